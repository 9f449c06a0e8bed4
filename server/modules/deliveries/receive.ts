// The receiving side: accept (register + the received document + routing + the receipt back, in one
// transaction), reject with a reason, return as wrong recipient.
import { Sequelize, Transaction } from 'sequelize';
import { Attachment, Blob, Delivery, Document, DocumentVersion, Organisation, Register, RegisterEntry, User, OPEN_DELIVERY_STATUSES } from '../../db/models';
import { conflict, unprocessable } from '../../lib/errors';
import { writeTransaction } from '../../lib/transaction';
import { letterNumberKey } from '../../lib/letter-number';
import { thaiDateShort, thaiTime } from '../../lib/thai-date';
import { appendAudit } from '../audit/service';
import { assertRegistrar } from '../documents/policy';
import { presentDocument } from '../documents/service';
import { ensureRegisters, registerWithin, IncomingRouter } from '../registers/service';
import type { Actor } from '../auth/actor';
import { assertReceiver } from './policy';
import { recordChange } from './service';

/** 409 for a delivery that is no longer in the tray, saying what happened to it (and who won, if accepted). */
async function assertInTray(t: Transaction, d: Delivery): Promise<void> {
  if (OPEN_DELIVERY_STATUSES.includes(d.status)) return;
  if (d.status === 'received') {
    const who = d.receivedById ? await User.findByPk(d.receivedById, { transaction: t }) : null;
    throw conflict(
      `ลงรับแล้วโดย ${who?.displayName ?? 'another clerk'} เมื่อ ${thaiDateShort(d.receivedAt!)} ${thaiTime(d.receivedAt!)} น. เลขรับ ${d.receiveNumber}/${d.receiveYear} (Already accepted by ${who?.displayName ?? 'another clerk'}.)`,
      { status: d.status, receivedById: d.receivedById, receivedByName: who?.displayName ?? null, receivedAt: new Date(d.receivedAt!).toISOString(), receiveNumber: d.receiveNumber, receiveYear: d.receiveYear },
    );
  }
  const th = { withdrawn: 'ผู้ส่งดึงหนังสือกลับแล้ว', rejected: 'ปฏิเสธการรับแล้ว', returned: 'ส่งคืนแล้ว (ส่งผิดหน่วยงาน)' }[d.status as 'withdrawn' | 'rejected' | 'returned'];
  throw conflict(`${th} (The letter is ${d.status}: it is no longer in the tray.)`, { status: d.status });
}

/** The receiving organisation's own copy of the letter: the sender's ที่ and ลงวันที่, its urgency and secrecy; its files point at the same stored blobs. */
async function receivedCopy(t: Transaction, actor: Actor, d: Delivery): Promise<Document> {
  const source = (await Document.findByPk(d.documentId, { transaction: t }))!;
  const sender = (await Organisation.findByPk(d.senderOrganisationId, { transaction: t }))!;
  const doc = await Document.create(
    {
      organisationId: actor.organisationId, unitId: actor.unitId, direction: 'incoming', type: source.type, subType: source.subType, status: 'draft', version: 1,
      urgency: source.urgency, urgentBy: source.urgentBy, secrecy: source.secrecy, letterNumber: source.letterNumber, letterNumberKey: source.letterNumber ? letterNumberKey(source.letterNumber) : null,
      letterDate: source.letterDate, subject: source.subject, senderName: source.senderName || sender.nameTh, addressee: source.addressee, salutation: source.salutation, body: source.body,
      closing: source.closing, signerName: source.signerName, signerPosition: source.signerPosition, contact: source.contact, referencesJson: source.referencesJson,
      enclosuresJson: source.enclosuresJson, copiesToJson: source.copiesToJson, retentionYears: source.retentionYears === null ? null : 10, createdById: actor.userId,
    },
    { transaction: t },
  );
  await DocumentVersion.create({ documentId: doc.id, version: 1, content: JSON.stringify(presentDocument(doc)), createdById: actor.userId }, { transaction: t });
  const files = await Attachment.findAll({ where: { documentId: source.id }, order: [['id', 'ASC']], transaction: t });
  for (const f of files) {
    // Locked as an upload locks it: a destruction deletes a blob only under this lock and only when no live document refers to it.
    if (!(await Blob.findByPk(f.sha256, { transaction: t, lock: t.LOCK.UPDATE }))) throw conflict(`The file "${f.filename}" of the sent letter is no longer stored.`);
    await Attachment.create({ documentId: doc.id, sha256: f.sha256, role: f.role, filename: f.filename, mime: f.mime, size: f.size, createdById: actor.userId }, { transaction: t });
  }
  await appendAudit(t, {
    organisationId: doc.organisationId, entityType: 'document', entityId: doc.id, action: 'document.created', actorId: actor.userId,
    data: { type: doc.type, direction: 'incoming', secrecy: doc.secrecy, version: 1, deliveryId: Number(d.id), fromOrganisationId: Number(d.senderOrganisationId), files: files.map((f) => f.sha256) },
  });
  return doc;
}

/** A letter from an agency elsewhere arrived as a document of this organisation (exchange/inbox.ts): accepting makes it the clerk's, as a received copy would be. */
async function arrivedCopy(t: Transaction, actor: Actor, d: Delivery): Promise<Document> {
  const doc = (await Document.findByPk(d.documentId, { transaction: t, lock: t.LOCK.UPDATE }))!;
  await doc.update({ unitId: actor.unitId, createdById: actor.userId }, { transaction: t });
  await appendAudit(t, {
    organisationId: doc.organisationId, entityType: 'document', entityId: doc.id, action: 'document.created', actorId: actor.userId,
    data: { type: doc.type, direction: 'incoming', secrecy: doc.secrecy, version: 1, deliveryId: Number(d.id), fromAgencyId: d.senderAgencyId },
  });
  return doc;
}

export interface Accepted {
  delivery: Delivery;
  document: Document;
  entry: RegisterEntry;
  instanceId: number | null;
}

/**
 * Accepts an arrived letter: registers its copy in the incoming register (the secret register for
 * a secret letter) and starts the organisation's routing, in the transaction that marks the
 * delivery received and records the receipt back to the sender. Two clerks at once: the delivery
 * row is locked first, so one wins and the other gets 409 naming the winner.
 */
export async function accept(sequelize: Sequelize, actor: Actor, deliveryId: number, route: (actor: Actor) => IncomingRouter): Promise<Accepted> {
  const pre = assertReceiver(actor, await Delivery.findByPk(deliveryId));
  const kind = pre.secrecy !== 'normal' ? 'secret' : 'incoming';
  const reg = (await ensureRegisters(sequelize, actor.organisationId)).find((r: Register) => r.unitId === null && r.kind === kind)!;
  assertRegistrar(actor, reg);
  return writeTransaction(sequelize, async (t) => {
    const d = assertReceiver(actor, await Delivery.findByPk(deliveryId, { transaction: t, lock: t.LOCK.UPDATE }));
    await assertInTray(t, d);
    const copy = d.senderAgencyId ? await arrivedCopy(t, actor, d) : await receivedCopy(t, actor, d);
    let instanceId: number | null = null;
    const routeIt = route(actor);
    const note = `รับทางระบบจาก ${copy.senderName ?? ''}`.slice(0, 500);
    const { entry, document } = await registerWithin(t, actor, reg, { documentId: copy.id, note }, async (tt, doc) => {
      const started = await routeIt(tt, doc);
      instanceId = typeof started === 'number' ? started : null;
      return started;
    });
    await d.update({
      status: 'received', receivedAt: entry.registeredAt, receivedById: actor.userId, receivedDocumentId: copy.id, receiveEntryId: entry.id,
      receiveRegisterId: reg.id, receiveYear: entry.year, receiveNumber: entry.number,
    }, { transaction: t });
    // The receipt the sender sees: the receive number; which book it went into stays with the receiver for a secret letter.
    await recordChange(t, d, 'received', actor, null, { receiveNumber: entry.number, receiveYear: entry.year });
    return { delivery: d, document: document!, entry, instanceId };
  });
}

/** Rejects (with a reason) or returns as wrong recipient: the letter leaves the tray and the sender is told. */
export async function refuse(sequelize: Sequelize, actor: Actor, deliveryId: number, status: 'rejected' | 'returned', reason: string | null): Promise<Delivery> {
  if (status === 'rejected' && !reason) throw unprocessable('A rejection needs its reason.', [{ field: 'reason', message: 'required' }]);
  return writeTransaction(sequelize, async (t) => {
    const d = assertReceiver(actor, await Delivery.findByPk(deliveryId, { transaction: t, lock: t.LOCK.UPDATE }));
    await assertInTray(t, d);
    const note = reason ?? (status === 'returned' ? 'ส่งผิดหน่วยงาน' : null);
    await d.update({ status, closedAt: new Date(), closedById: actor.userId, reason: note }, { transaction: t });
    await recordChange(t, d, status, actor, note);
    return d;
  });
}
