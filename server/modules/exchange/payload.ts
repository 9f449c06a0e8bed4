// The native envelope's payload: a letter's interchange fields (the ECMS CorrespondenceLetter's, in
// this product's names), its files with SHA-256 and MIME type, and the message's addressing. Built
// from a sent document on one side, checked field by field (zod, the columns' limits) on the other.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import { Attachment, Document, DOCUMENT_TYPES, SECRECIES, URGENCIES } from '../../db/models';
import { blobPath } from '../attachments/storage';

const s = (max: number) => z.string().max(max);
const ns = (max: number) => s(max).nullable();
const party = z.object({ agencyCode: s(64).min(1), nameTh: ns(255).optional() }).strict();

export const LetterFields = z.object({
  letterNumber: ns(100), letterDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(), subject: s(500).min(1), type: z.enum(DOCUMENT_TYPES), subType: ns(24),
  urgency: z.enum(URGENCIES), urgentBy: z.string().datetime().nullable(), secrecy: z.enum(SECRECIES).refine((v) => v !== 'top_secret', 'top secret letters do not travel electronically'),
  senderName: ns(255), addressee: ns(255), salutation: ns(32), body: ns(200_000), closing: ns(64), signerName: ns(255), signerPosition: ns(255), contact: ns(500),
  references: z.unknown().nullable(), enclosures: z.unknown().nullable(), copiesTo: z.unknown().nullable(), role: z.enum(['to', 'copy']), sendDate: z.string().datetime(),
}).strict();

export const FileEntry = z.object({
  role: z.enum(['main', 'enclosure']), filename: s(255).min(1), mime: s(100).regex(/^[\w.+-]+\/[\w.+-]+$/), size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/), content: z.string(),
}).strict();

const envelopeBase = { v: z.literal(1), messageId: s(128).regex(/^[\w.:@<>/+-]{8,128}$/), from: party, to: party, issuedAt: z.string().datetime() };

export const LetterEnvelope = z.object({ ...envelopeBase, kind: z.literal('letter'), letter: LetterFields, files: z.array(FileEntry).max(100) }).strict();
export type LetterEnvelope = z.infer<typeof LetterEnvelope>;

export const NOTICE_STATUSES = ['delivered', 'received', 'rejected', 'returned', 'withdrawn'] as const;
export const NoticeBody = z.object({
  status: z.enum(NOTICE_STATUSES), letterMessageId: s(128).min(8), receiveNumber: z.number().int().positive().nullable().optional(),
  receiveYear: z.number().int().positive().nullable().optional(), reason: ns(500).optional(),
}).strict();
export type NoticeBody = z.infer<typeof NoticeBody>;
export const NoticeEnvelope = z.object({ ...envelopeBase, kind: z.literal('notice'), notice: NoticeBody }).strict();
export type NoticeEnvelope = z.infer<typeof NoticeEnvelope>;

export const AckPayload = z.object({ v: z.literal(1), kind: z.literal('ack'), messageId: s(128), result: z.enum(['stored', 'duplicate']), from: party, at: z.string() }).passthrough();

/** A message id unique across deployments: mid://<time>.<random>@<agency>, as the interchange writes them. */
export const newMessageId = () => `mid://${new Date().toISOString().replace(/[-:TZ]/g, '').replace('.', '')}.${crypto.randomBytes(9).toString('base64url')}`;

const parsed = (json: string | null) => (json ? (JSON.parse(json) as unknown) : null);

/** The letter's envelope (the files read from storage, base64), addressed from its organisation to the peer. */
export async function letterEnvelope(dataDir: string, doc: Document, from: { agencyCode: string; nameTh: string }, to: { agencyCode: string }, messageId: string, role: 'to' | 'copy', sentAt: Date): Promise<LetterEnvelope> {
  const files = await Attachment.findAll({ where: { documentId: doc.id }, order: [['role', 'DESC'], ['id', 'ASC']] });
  const entries = [];
  for (const f of files) {
    const content = await fs.promises.readFile(blobPath(dataDir, f.sha256));
    entries.push({ role: f.role, filename: f.filename, mime: f.mime, size: content.length, sha256: f.sha256, content: content.toString('base64') });
  }
  return {
    v: 1, kind: 'letter', messageId, from, to, issuedAt: new Date().toISOString(),
    letter: {
      letterNumber: doc.letterNumber ?? null, letterDate: doc.letterDate ?? null, subject: doc.subject, type: doc.type, subType: doc.subType ?? null, urgency: doc.urgency,
      urgentBy: doc.urgentBy ? new Date(doc.urgentBy).toISOString() : null, secrecy: doc.secrecy as LetterEnvelope['letter']['secrecy'], senderName: doc.senderName ?? from.nameTh, addressee: doc.addressee ?? null,
      salutation: doc.salutation ?? null, body: doc.body ?? null, closing: doc.closing ?? null, signerName: doc.signerName ?? null, signerPosition: doc.signerPosition ?? null,
      contact: doc.contact ?? null, references: parsed(doc.referencesJson), enclosures: parsed(doc.enclosuresJson), copiesTo: parsed(doc.copiesToJson), role, sendDate: sentAt.toISOString(),
    },
    files: entries,
  };
}
