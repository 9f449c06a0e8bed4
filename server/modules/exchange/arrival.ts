// What every transport does with what an agency elsewhere sends, whatever the wire (native JWS or
// ECMS SOAP): a letter becomes an arrival in the receiving organisation's tray (document, files,
// delivery "delivered", exactly once per key); a notifier changes the status of a letter we sent; a
// withdrawal takes an arrival back while it is not accepted. One place, so the transports cannot drift.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transaction, UniqueConstraintError } from 'sequelize';
import { Attachment, Delivery, DeliveryRole, DeliveryStatus, Document, DocumentType, DocumentVersion, ExchangeInbound, ExchangePeer, OPEN_DELIVERY_STATUSES, Organisation, Secrecy, Urgency } from '../../db/models';
import { Retry } from '../../lib/transaction';
import { insertRow } from '../../db/transaction';
import { letterNumberKey } from '../../lib/letter-number';
import { keepUpload } from '../attachments/blobs';
import { tempDir } from '../attachments/storage';
import { recordChange } from '../deliveries/service';
import { queueNotice } from './outbox';
import type { NoticeBody } from './payload';

/** A file of an arrival, written to a temporary file before the transaction (placed as a blob inside it). */
export interface StagedFile { role: 'main' | 'enclosure'; filename: string; mime: string; size: number; sha256: string; tempPath: string }

/** Writes the files' bytes to temporary files; `check` may refuse a file (e.g. a declared hash that differs). */
export async function stageFiles(dataDir: string, files: Array<Omit<StagedFile, 'tempPath' | 'size' | 'sha256'> & { content: Buffer }>, check?: (f: { size: number; sha256: string }, i: number) => void): Promise<StagedFile[]> {
  const dir = await tempDir(dataDir);
  const staged: StagedFile[] = [];
  try {
    for (const [i, f] of files.entries()) {
      const sha256 = crypto.createHash('sha256').update(f.content).digest('hex');
      check?.({ size: f.content.length, sha256 }, i);
      const tempPath = path.join(dir, `${Date.now()}-${crypto.randomBytes(8).toString('hex')}.part`);
      await fs.promises.writeFile(tempPath, f.content);
      staged.push({ role: f.role, filename: f.filename, mime: f.mime, size: f.content.length, sha256, tempPath });
    }
  } catch (err) {
    await discardFiles(staged);
    throw err;
  }
  return staged;
}

export const discardFiles = (files: StagedFile[]) => Promise.all(files.map((f) => fs.promises.rm(f.tempPath, { force: true })));

/** The letter's fields as this product stores them (the native envelope's names; ECMS maps onto them). */
export interface ArrivalLetter {
  type: DocumentType; subType?: string | null; urgency: Urgency; urgentBy?: string | null; secrecy: Secrecy; letterNumber: string | null; letterDate: string | null; subject: string;
  senderName?: string | null; addressee?: string | null; salutation?: string | null; body?: string | null; closing?: string | null; signerName?: string | null; signerPosition?: string | null;
  contact?: string | null; references?: unknown; enclosures?: unknown; copiesTo?: unknown; role: DeliveryRole; sendDate: string;
}

export interface Arrival {
  organisation: Organisation;
  peer: ExchangePeer;
  /** Exactly once per (peer, key): the native message id, or ECMS sender department + letter number + date. */
  key: string;
  /** Where the peer's later notices about this letter point (native: its message id). */
  letterMessageId: string;
  /** The answer kept for a second delivery of the same key. */
  ack: string;
  letter: ArrivalLetter;
  /** What the document's first version records of the message as it came. */
  received: Record<string, unknown>;
  files: StagedFile[];
  /** A notifier sent back through the outbox once the letter is stored (ECMS: ReceiveLetterNotifier). */
  receipt?: Omit<NoticeBody, 'letterMessageId'>;
}

/** Takes a key of a peer (unique): the second taker sees the first one's answer and delivery. */
export async function takeMessageId(t: Transaction, peer: ExchangePeer, messageId: string, kind: string, letterMessageId: string, ackJws: string): Promise<ExchangeInbound | { ack: string; duplicate: true; deliveryId: number | null }> {
  const earlier = await ExchangeInbound.findOne({ where: { peerId: peer.id, messageId }, transaction: t });
  if (earlier) return { ack: earlier.ackJws, duplicate: true, deliveryId: earlier.deliveryId == null ? null : Number(earlier.deliveryId) };
  try {
    return await ExchangeInbound.create({ peerId: peer.id, messageId, kind, deliveryId: null, letterMessageId, ackJws, createdAt: new Date() }, { transaction: t });
  } catch (err) {
    if (err instanceof UniqueConstraintError) throw new Retry(); // taken meanwhile: run again to answer as a duplicate
    throw err;
  }
}

/**
 * The arrivals-tray entry of a letter from elsewhere, in the caller's transaction: the incoming
 * document with its files, a delivery "delivered" to the organisation, the key taken. A second
 * arrival under the same key answers as a duplicate and stores nothing.
 */
export async function createArrival(t: Transaction, dataDir: string, a: Arrival): Promise<{ ack: string; duplicate: boolean; deliveryId: number | null }> {
  const { peer, organisation: org, letter: L } = a;
  const inbound = await takeMessageId(t, peer, a.key, 'letter', a.letterMessageId, a.ack);
  if ('duplicate' in inbound) return inbound;
  const doc = await Document.create({
    organisationId: org.id, unitId: null, direction: 'incoming', type: L.type, subType: L.subType ?? null, status: 'draft', version: 1, urgency: L.urgency, urgentBy: L.urgentBy ? new Date(L.urgentBy) : null,
    secrecy: L.secrecy, letterNumber: L.letterNumber, letterNumberKey: L.letterNumber ? letterNumberKey(L.letterNumber) : null, letterDate: L.letterDate, subject: L.subject,
    senderName: L.senderName ?? peer.nameTh, addressee: L.addressee ?? null, salutation: L.salutation ?? null, body: L.body ?? null, closing: L.closing ?? null, signerName: L.signerName ?? null,
    signerPosition: L.signerPosition ?? null, contact: L.contact ?? null, referencesJson: L.references == null ? null : JSON.stringify(L.references),
    enclosuresJson: L.enclosures == null ? null : JSON.stringify(L.enclosures), copiesToJson: L.copiesTo == null ? null : JSON.stringify(L.copiesTo), retentionYears: 10, createdById: null,
  }, { transaction: t });
  await DocumentVersion.create({ documentId: doc.id, version: 1, content: JSON.stringify(a.received), createdById: null }, { transaction: t });
  for (const f of a.files) {
    await keepUpload(t, dataDir, { tempPath: f.tempPath, sha256: f.sha256, size: f.size, truncated: false }, f.mime);
    await Attachment.create({ documentId: doc.id, sha256: f.sha256, role: f.role, filename: f.filename, mime: f.mime, size: f.size, createdById: null }, { transaction: t });
  }
  const now = new Date();
  const values = {
    documentId: doc.id, senderKind: 'agency', senderOrganisationId: org.id, senderAgencyId: String(peer.id), sentById: null, recipientKind: 'organisation', recipientOrganisationId: org.id,
    recipientAgencyId: null, recipientEmail: null, recipientName: org.nameTh, role: L.role, secrecy: L.secrecy, urgency: L.urgency,
    status: 'delivered', sentAt: new Date(L.sendDate), deliveredAt: now, previousDeliveryId: null, createdAt: now, updatedAt: now,
  };
  const id = await insertRow(Delivery.sequelize!, 'deliveries', values, t);
  const d = Delivery.build({ ...values, id }, { isNewRecord: false, raw: true });
  await inbound.update({ deliveryId: id }, { transaction: t });
  await recordChange(t, d, 'delivered', null, `รับจาก ${peer.nameTh} (${peer.agencyCode}) ทางระบบแลกเปลี่ยน`.slice(0, 500), { fromAgency: peer.agencyCode, messageId: a.letterMessageId });
  if (a.receipt) await queueNotice(t, Number(peer.id), id, { ...a.receipt, letterMessageId: a.key });
  return { ack: a.ack, duplicate: false, deliveryId: id };
}

/** The sender takes back a letter it sent us: it leaves the tray unless already accepted. */
export async function withdrawArrival(t: Transaction, peer: ExchangePeer, d: Delivery, reason: string | null): Promise<void> {
  if (!OPEN_DELIVERY_STATUSES.includes(d.status)) return;
  await d.update({ status: 'withdrawn', closedAt: new Date(), reason }, { transaction: t });
  await recordChange(t, d, 'withdrawn', null, `${peer.nameTh}: ${reason ?? 'ดึงหนังสือกลับ'}`.slice(0, 500), { fromAgency: peer.agencyCode });
}

const NOTICE_APPLIES: Record<Exclude<NoticeBody['status'], 'withdrawn'>, DeliveryStatus[]> = {
  // The far system has the letter: what a successful send says already, unless it said nothing yet.
  delivered: ['queued', 'sent'],
  // A receipt is the truth even after a withdrawal crossed it on the way.
  received: [...OPEN_DELIVERY_STATUSES, 'withdrawn', 'failed'],
  rejected: [...OPEN_DELIVERY_STATUSES, 'failed'],
  returned: [...OPEN_DELIVERY_STATUSES, 'failed'],
};

/** A notice from the recipient agency about a letter we sent it (`d`, locked by the caller). */
export async function applyReceipt(t: Transaction, peer: ExchangePeer, d: Delivery, n: Omit<NoticeBody, 'letterMessageId' | 'status'> & { status: Exclude<NoticeBody['status'], 'withdrawn'> }): Promise<void> {
  if (!NOTICE_APPLIES[n.status].includes(d.status)) return;
  const now = new Date();
  if (n.status === 'delivered') {
    await d.update({ status: 'delivered', deliveredAt: now }, { transaction: t });
    await recordChange(t, d, 'delivered', null, `${peer.nameTh}: ระบบปลายทางได้รับแล้ว`.slice(0, 500), { fromAgency: peer.agencyCode });
  } else if (n.status === 'received') {
    await d.update({ status: 'received', receivedAt: now, receiveYear: n.receiveYear ?? null, receiveNumber: n.receiveNumber ?? null, closedAt: null, reason: null }, { transaction: t });
    await recordChange(t, d, 'received', null, `${peer.nameTh} ลงรับแล้ว เลขรับ ${n.receiveNumber ?? '-'}/${n.receiveYear ?? '-'}`.slice(0, 500), { receiveNumber: n.receiveNumber ?? null, receiveYear: n.receiveYear ?? null });
  } else {
    await d.update({ status: n.status, closedAt: now, reason: n.reason ?? (n.status === 'returned' ? 'ส่งผิดหน่วยงาน' : null) }, { transaction: t });
    await recordChange(t, d, n.status, null, (n.reason ?? null)?.slice(0, 500) ?? null, { fromAgency: peer.agencyCode });
  }
}
