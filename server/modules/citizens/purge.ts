// The citizen's personal data ends with the letter (issue 18: "retention follows the letter's
// retention class"). When the citizen's letter is destroyed under its class (retention/destruction.ts
// calls purgeForDestroyed in the destruction's transaction), or a request rejected from the tray
// has outlived its keeping time (sweepRejected, RETENTION: citizens.rejectedKeepDays after the
// rejection), everything that names or reaches the person goes, in one transaction:
// - the submission's contact row: name, ID hash and last 4, address, phone, e-mail, the reason
//   (the row stays, emptied and marked purgedAt, so the tracking code answers "closed" and the
//   monitor keeps counting it);
// - the letter in the tray and its registered copy: the sender's name becomes "ประชาชน", the text
//   the citizen wrote goes; their versions, search words, routing variables and the register's
//   note are rewritten the same way; the tray copy (never in a register) is destroyed with its
//   files (returned to the caller, who deletes the files no live letter carries);
// - the mails to the citizen (they carry the name, the address and the code);
// - the reply letter, when it is destroyed too: its addressee lines lose the person's data.
// The subject stays: it is the destruction list's record of what was destroyed.
import { Op, Sequelize, Transaction } from 'sequelize';
import { Attachment, CitizenSubmission, Delivery, DeliveryEvent, Document, DocumentVersion, MailMessage, ProcessInstance, RegisterEntry } from '../../db/models';
import { writeTransaction } from '../../lib/transaction';
import { appendAudit } from '../audit/service';
import { indexDocument } from '../search/tokens';
import { formatTrackingCode } from './identity';

/** What a purged letter names as its sender. */
export const CITIZEN_SENDER = 'ประชาชน';

type Cause = 'letter_destroyed' | 'rejected_expired';

/** Every occurrence of the person's own strings in a text, replaced. */
function scrub(text: string | null, personal: string[]): string | null {
  if (text == null) return text;
  let out = text;
  for (const p of personal) if (p.length >= 3) out = out.split(p).join(CITIZEN_SENDER);
  return out;
}

/** The same strings as they appear inside JSON (quotes and backslashes escaped). */
const inJson = (personal: string[]) => personal.map((p) => JSON.stringify(p).slice(1, -1));

async function scrubLetter(t: Transaction, doc: Document, personal: string[], own: boolean): Promise<void> {
  // The citizen's own letter loses its text (written by the person, with whatever it says about them).
  const change = own
    ? { senderName: CITIZEN_SENDER, body: null, contact: null, addressee: scrub(doc.addressee, personal) }
    : { addressee: scrub(doc.addressee, personal), body: scrub(doc.body, personal), salutation: scrub(doc.salutation, personal), copiesToJson: scrub(doc.copiesToJson, inJson(personal)) };
  await doc.update(change, { transaction: t });
  await indexDocument(t, doc);
  const json = inJson(personal);
  for (const v of await DocumentVersion.findAll({ where: { documentId: doc.id }, transaction: t })) {
    const content = JSON.parse(v.content) as Record<string, unknown>;
    if (own) Object.assign(content, { senderName: CITIZEN_SENDER, body: null, contact: null });
    await v.update({ content: scrub(JSON.stringify(content), json)! }, { transaction: t });
  }
  for (const i of await ProcessInstance.findAll({ where: { documentId: doc.id }, transaction: t })) {
    const state = scrub(i.state, json)!;
    if (state !== i.state) await i.update({ state }, { transaction: t });
  }
  for (const e of await RegisterEntry.findAll({ where: { documentId: doc.id }, transaction: t })) {
    const note = scrub(e.note, personal);
    if (note !== e.note) await e.update({ note }, { transaction: t });
  }
}

/**
 * Purges one submission (see the top of this file). Returns the hashes of the files of the tray
 * copy it destroyed, for the caller to delete after commit where no live letter carries them.
 */
export async function purgeSubmission(t: Transaction, s: CitizenSubmission, cause: Cause, actorId: number | null): Promise<string[]> {
  if (s.purgedAt) return [];
  const personal = [s.name, s.email, s.address, s.phone ?? ''].filter((p) => p && p.length >= 3);
  const delivery = s.deliveryId ? await Delivery.findByPk(s.deliveryId, { transaction: t, lock: t.LOCK.UPDATE }) : null;
  const ownIds = [Number(s.documentId), ...(delivery?.receivedDocumentId ? [Number(delivery.receivedDocumentId)] : [])];
  const own = await Document.findAll({ where: { id: { [Op.in]: ownIds } }, order: [['id', 'ASC']], transaction: t, lock: t.LOCK.UPDATE });
  for (const doc of own) {
    const trayCopy = Number(doc.id) === Number(s.documentId);
    if (trayCopy && doc.status !== 'destroyed') {
      // The tray copy was never in a register: it has no retention of its own and goes with the data.
      await doc.update({ status: 'destroyed' }, { transaction: t });
      await appendAudit(t, { organisationId: doc.organisationId, entityType: 'document', entityId: doc.id, action: 'document.destroyed', actorId, data: { previousStatus: 'draft', citizenSubmissionId: Number(s.id), cause } });
    }
    await scrubLetter(t, doc, personal, true);
  }
  const reply = s.replyDocumentId ? await Document.findByPk(s.replyDocumentId, { transaction: t, lock: t.LOCK.UPDATE }) : null;
  // A reply still kept under its own class stays as written (it is the agency's record); a destroyed one loses the person.
  if (reply?.status === 'destroyed') await scrubLetter(t, reply, personal, false);
  if (delivery) {
    const reason = scrub(delivery.reason, personal);
    if (reason !== delivery.reason) await delivery.update({ reason }, { transaction: t });
    for (const e of await DeliveryEvent.findAll({ where: { deliveryId: delivery.id }, transaction: t })) {
      const note = scrub(e.note, personal);
      if (note !== e.note) await e.update({ note }, { transaction: t });
    }
  }
  await MailMessage.destroy({ where: { kind: 'citizen', subject: { [Op.like]: `%${formatTrackingCode(s.trackingCode)}` } }, transaction: t });
  await s.update({ name: '', idHash: '', idLast4: '', address: '', phone: null, email: '', reason: null, purgedAt: new Date() }, { transaction: t });
  await appendAudit(t, { organisationId: Number(s.organisationId), entityType: 'citizen_submission', entityId: s.id, action: 'citizen.purged', actorId, data: { cause } });
  const files = await Attachment.findAll({ where: { documentId: s.documentId }, attributes: ['sha256'], transaction: t });
  return [...new Set(files.map((f) => f.sha256))];
}

/** In a destruction's transaction: the submissions whose letter (the tray copy or its registered copy) is among `destroyedIds`. */
export async function purgeForDestroyed(t: Transaction, organisationId: number, destroyedIds: number[], actorId: number | null): Promise<string[]> {
  if (!destroyedIds.length) return [];
  const deliveries = await Delivery.findAll({ where: { receivedDocumentId: { [Op.in]: destroyedIds }, senderKind: 'citizen' }, attributes: ['id'], transaction: t });
  const submissions = await CitizenSubmission.findAll({
    where: { organisationId, purgedAt: null, [Op.or]: [{ documentId: { [Op.in]: destroyedIds } }, { deliveryId: { [Op.in]: deliveries.map((d) => d.id) } }] },
    order: [['id', 'ASC']], transaction: t, lock: t.LOCK.UPDATE,
  });
  const hashes: string[] = [];
  for (const s of submissions) hashes.push(...(await purgeSubmission(t, s, 'letter_destroyed', actorId)));
  return hashes;
}

/**
 * Requests rejected (or returned as not ours) from the tray never enter a register, so no
 * retention class reaches them: their personal data goes `keepDays` after the rejection (long
 * enough for the citizen to read the reason). A batch per call, each in its own transaction.
 */
export async function sweepRejected(sequelize: Sequelize, keepDays: number, now = new Date(), batch = 100): Promise<{ purged: number; hashes: string[] }> {
  const before = new Date(now.getTime() - keepDays * 86_400_000);
  const due = await CitizenSubmission.findAll({ where: { status: 'rejected', purgedAt: null, statusAt: { [Op.lte]: before } }, attributes: ['id'], order: [['statusAt', 'ASC']], limit: batch });
  const hashes: string[] = [];
  for (const { id } of due) {
    hashes.push(...(await writeTransaction(sequelize, async (t) => {
      const s = await CitizenSubmission.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE });
      return s && s.status === 'rejected' && !s.purgedAt ? purgeSubmission(t, s, 'rejected_expired', null) : [];
    })));
  }
  return { purged: due.length, hashes: [...new Set(hashes)] };
}
