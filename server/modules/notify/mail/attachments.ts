// Files drawn when a queued mail is sent, named by the mail's `attachment` column ("<kind>:<ref>").
// A module registers the maker of its kind (the citizens' channel: "citizen-receipt"). Nothing is
// stored with the mail, so a purge of personal data leaves no file behind in the queue. A maker
// that fails never holds the mail back: it goes without the file, with the maker's note instead.
import type { Attachment as MailAttachment } from 'nodemailer/lib/mailer';

export interface DrawnAttachments {
  attachments: MailAttachment[];
  /** Added under the mail's text (e.g. "the receipt is attached" or where to download it instead). */
  note?: string;
}

export type AttachmentMaker = (ref: string) => Promise<DrawnAttachments>;

const makers = new Map<string, { make: AttachmentMaker; fallback: (err: unknown) => string | undefined }>();

/** `fallback` says, under the text, what to do when the file could not be drawn. */
export function registerMailAttachment(kind: string, make: AttachmentMaker, fallback: (err: unknown) => string | undefined): void {
  makers.set(kind, { make, fallback });
}

export async function drawAttachments(attachment: string | null | undefined, log: (line: string) => void): Promise<DrawnAttachments> {
  if (!attachment) return { attachments: [] };
  const [kind, ref] = [attachment.slice(0, attachment.indexOf(':')), attachment.slice(attachment.indexOf(':') + 1)];
  const maker = makers.get(kind);
  if (!maker) return { attachments: [] };
  try {
    return await maker.make(ref);
  } catch (err) {
    log(`mail attachment ${attachment} not drawn, the mail goes without it: ${err instanceof Error ? err.message : String(err)}`);
    return { attachments: [], note: maker.fallback(err) };
  }
}
