// Sending a numbered letter to other organisations of the deployment: one delivery per recipient,
// written with its history, the audit links and the outbox events in the transaction of the send,
// so a crash loses nothing and a retry does nothing twice. The receiving side is in receive.ts.
import { Op, Sequelize, Transaction, literal, WhereOptions } from 'sequelize';
import { Delivery, DeliveryEvent, DeliveryStatus, Document, Group, Organisation, User, OPEN_DELIVERY_STATUSES, DeliveryRole } from '../../db/models';
import { conflict, forbidden, notFound, unprocessable } from '../../lib/errors';
import { writeTransaction } from '../../lib/transaction';
import { insertRow } from '../../db/transaction';
import { thaiDateShort, thaiTime } from '../../lib/thai-date';
import { appendAudit } from '../audit/service';
import { recordEvents, DomainEvent } from '../events/outbox';
import type { Actor } from '../auth/actor';
import { addressRefusal, assertMaySend, assertSender, traySecrecies } from './policy';
import { emailTargets, queueEmails } from './email';
import { onDeliveryChange } from '../exchange/outbox';
import { queueAgencyLetters } from '../exchange/send';

export interface RecipientInput {
  organisationId: number;
  role: DeliveryRole;
}

/** What a send names: an organisation here (through the system, or by its official e-mail), or a one-off address. */
export type SendRecipient = (RecipientInput & { via?: 'system' | 'email'; name?: string }) | { email: string; name?: string; role: DeliveryRole } | { agencyId: number; role: DeliveryRole };

/** The groups whose sockets hear of a delivery on one side: its clerks, or its custodian for a secret letter. */
async function sideGroups(t: Transaction, organisationId: number, secret: boolean): Promise<number[]> {
  const groups = await Group.findAll({ where: { organisationId, key: secret ? 'secrets_custodian' : 'registry_clerk' }, attributes: ['id'], transaction: t });
  return groups.map((g) => Number(g.id));
}

/** What a pushed event says of a delivery: ids and statuses only, never the letter's subject. */
const summaryOf = (d: Delivery, extra: Record<string, unknown> = {}) => ({
  deliveryId: Number(d.id), status: d.status, urgency: d.urgency, secret: d.secrecy !== 'normal',
  senderOrganisationId: Number(d.senderOrganisationId), recipientOrganisationId: d.recipientOrganisationId ?? null, ...extra,
});

/**
 * Records a status a delivery reached: its history line, an audit link in each organisation's chain
 * (in id order, so two chains are always locked in the same order), and a push to each side.
 */
/** Told of every status change, in its transaction: the citizens' channel follows its letters this way. */
export type DeliveryObserver = (t: Transaction, d: Delivery, status: DeliveryStatus, actor: Actor | null, note: string | null) => Promise<void>;
export const deliveryObservers: DeliveryObserver[] = [];

export async function recordChange(t: Transaction, d: Delivery, status: DeliveryStatus, actor: Actor | null, note: string | null, extra: Record<string, unknown> = {}): Promise<void> {
  for (const observe of deliveryObservers) await observe(t, d, status, actor, note);
  await DeliveryEvent.create({ deliveryId: d.id, status, actorId: actor?.userId ?? null, organisationId: actor?.organisationId ?? null, note, createdAt: new Date() }, { transaction: t });
  const orgs = [Number(d.senderOrganisationId), ...(d.recipientOrganisationId ? [Number(d.recipientOrganisationId)] : [])].sort((a, b) => a - b);
  for (const organisationId of new Set(orgs)) {
    await appendAudit(t, { organisationId, entityType: 'delivery', entityId: d.id, action: `delivery.${status}`, actorId: actor?.userId ?? null, data: { documentId: Number(d.documentId), recipientOrganisationId: d.recipientOrganisationId, note, ...extra } });
  }
  const secret = d.secrecy !== 'normal';
  // A citizen's letter, or one from an agency elsewhere, has only the receiving side here: the exchange tells the agency (onDeliveryChange).
  const events: DomainEvent[] = d.senderKind === 'citizen' || d.senderAgencyId ? [] : [
    { type: `delivery.${status}`, organisationId: Number(d.senderOrganisationId), subject: { type: 'delivery', id: d.id }, audience: { groupIds: await sideGroups(t, Number(d.senderOrganisationId), secret), userIds: d.sentById ? [Number(d.sentById)] : [] }, summary: summaryOf(d, { documentId: Number(d.documentId), ...extra }) },
  ];
  if (d.recipientKind === 'organisation' && d.recipientOrganisationId) {
    events.push({ type: status === 'delivered' ? 'delivery.arrived' : `delivery.${status}`, organisationId: Number(d.recipientOrganisationId), subject: { type: 'delivery', id: d.id }, audience: { groupIds: await sideGroups(t, Number(d.recipientOrganisationId), secret) }, summary: summaryOf(d, extra) });
  }
  await recordEvents(t, events);
  await onDeliveryChange(t, d, status, note, extra);
}

/** A letter that may travel: numbered (registered, with its ที่), outgoing, not voided, not top secret. */
function assertSendable(doc: Document): void {
  if (doc.secrecy === 'top_secret') throw unprocessable('เอกสารลับที่สุดส่งทางระบบอิเล็กทรอนิกส์ไม่ได้ (Top secret documents may not travel electronically.)', [{ field: 'secrecy', message: 'top_secret' }]);
  if (doc.direction === 'incoming') throw conflict('A received letter is not sent on: forward it inside the organisation, or write a new letter.');
  if (!['registered', 'sent'].includes(doc.status) || !doc.letterNumber || !doc.registerId) {
    throw conflict(`ส่งได้เฉพาะหนังสือที่ออกเลขแล้ว (Only a numbered letter is sent; this one is ${doc.status === 'draft' ? 'not numbered yet' : doc.status}.)`, { status: doc.status });
  }
}

/** The organisations named, each active and addressable; 422 names the unknown or inactive ones, 403 the ones not addressable. */
async function recipientOrganisations(t: Transaction, actor: Actor, recipients: RecipientInput[]): Promise<Map<number, Organisation>> {
  const ids = recipients.map((r) => r.organisationId);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length) throw unprocessable(`Organisation ${twice.join(', ')} is named more than once.`, twice.map((id) => ({ field: `recipients.${ids.lastIndexOf(id)}.organisationId`, message: `organisation ${id} is already a recipient` })));
  const orgs = new Map((await Organisation.findAll({ where: { id: { [Op.in]: ids } }, transaction: t })).map((o) => [Number(o.id), o]));
  const problems = recipients.flatMap((r, i) => {
    const org = orgs.get(r.organisationId);
    if (!org) return [{ field: `recipients.${i}.organisationId`, message: `unknown organisation ${r.organisationId}` }];
    if (!org.active) return [{ field: `recipients.${i}.organisationId`, message: `${org.nameTh} (${org.agencyCode}) is inactive` }];
    return [];
  });
  if (problems.length) throw unprocessable(`Some recipients cannot receive letters: ${problems.map((p) => p.message).join('; ')}.`, problems);
  for (const org of orgs.values()) {
    const refusal = addressRefusal(actor.organisationId, org);
    if (refusal) throw forbidden(refusal);
  }
  return orgs;
}

/** A secret letter waits for a custodian: an organisation without one could never open its tray (422 names it). */
async function assertCustodians(t: Transaction, orgs: Organisation[]): Promise<void> {
  const rows = await Group.findAll({ where: { organisationId: { [Op.in]: orgs.map((o) => o.id) }, key: 'secrets_custodian' }, include: [{ model: User, as: 'members', where: { active: true }, attributes: ['id'], required: true }], attributes: ['organisationId'], transaction: t });
  const kept = new Set(rows.map((g) => Number(g.organisationId)));
  const missing = orgs.filter((o) => !kept.has(Number(o.id)));
  if (missing.length) {
    throw unprocessable(`หน่วยงานปลายทางยังไม่มีนายทะเบียนเอกสารลับ: ${missing.map((o) => o.nameTh).join(', ')} (No secrets custodian to receive a secret letter.)`, missing.map((o) => ({ field: 'recipients', message: `${o.nameTh} has no secrets custodian` })));
  }
}

/** One letter goes once to a recipient at a time: a new delivery needs the earlier one closed (not received). */
async function assertNotLive(t: Transaction, doc: Document, orgIds: number[]): Promise<void> {
  const live = await Delivery.findAll({ where: { documentId: doc.id, recipientKind: 'organisation', recipientOrganisationId: { [Op.in]: orgIds }, status: { [Op.in]: [...OPEN_DELIVERY_STATUSES, 'received'] } }, transaction: t });
  if (live.length) {
    throw conflict(`The letter was already sent to ${live.map((d) => `${d.recipientName} (${d.status})`).join(', ')}: withdraw it first to send again.`, live.map((d) => ({ deliveryId: Number(d.id), organisationId: d.recipientOrganisationId, status: d.status })));
  }
}

interface Target {
  org: Organisation;
  role: DeliveryRole;
  previousDeliveryId: number | null;
}

/**
 * Creates the deliveries to organisations of the deployment. Same deployment: the tray is this
 * database, so each letter is in its tray (sent, then delivered) when the send commits. A circular
 * to 50 writes 50 delivery rows, but its history, the outbox events and the group look-up in one
 * statement each, and one audit link in the sender's chain listing every delivery. The recipients'
 * chains record what each recipient does with it (accepted, rejected, returned): a letter in a tray
 * is not yet a record of the recipient, and a link per recipient was two thirds of a send's statements.
 */
async function deliverAll(t: Transaction, actor: Actor, doc: Document, targets: Target[], now: Date): Promise<Delivery[]> {
  const out: Delivery[] = [];
  for (const { org, role, previousDeliveryId } of targets) {
    const values = {
      documentId: doc.id, senderOrganisationId: doc.organisationId, sentById: actor.userId, recipientKind: 'organisation', recipientOrganisationId: org.id,
      recipientAgencyId: null, recipientEmail: null, recipientName: org.nameTh, role, secrecy: doc.secrecy, urgency: doc.urgency,
      status: 'delivered', sentAt: now, deliveredAt: now, previousDeliveryId, createdAt: now, updatedAt: now,
    };
    // The driver's fast path (db/transaction.ts): a model instance per row costs twice the CPU.
    const id = await insertRow(Delivery.sequelize!, 'deliveries', values, t);
    out.push(Delivery.build({ ...values, id }, { isNewRecord: false, raw: true }));
  }
  await DeliveryEvent.bulkCreate(out.flatMap((d) => [
    { deliveryId: d.id, status: 'sent', actorId: actor.userId, organisationId: actor.organisationId, note: d.previousDeliveryId ? `resent (delivery ${d.previousDeliveryId})` : null, createdAt: now },
    { deliveryId: d.id, status: 'delivered', actorId: null, organisationId: d.recipientOrganisationId, note: null, createdAt: now },
  ]), { transaction: t });
  await appendAudit(t, {
    organisationId: doc.organisationId, entityType: 'document', entityId: doc.id, action: 'document.sent', actorId: actor.userId,
    data: { letterNumber: doc.letterNumber, deliveries: out.map((d) => ({ id: Number(d.id), organisationId: d.recipientOrganisationId, role: d.role, previousDeliveryId: d.previousDeliveryId })) },
  });
  const secret = doc.secrecy !== 'normal';
  const groups = await Group.findAll({ where: { organisationId: { [Op.in]: [doc.organisationId, ...out.map((d) => Number(d.recipientOrganisationId))] }, key: secret ? 'secrets_custodian' : 'registry_clerk' }, attributes: ['id', 'organisationId'], transaction: t });
  const groupsOf = (organisationId: number) => groups.filter((g) => Number(g.organisationId) === organisationId).map((g) => Number(g.id));
  await recordEvents(t, [
    {
      type: 'delivery.sent', organisationId: doc.organisationId, subject: { type: 'document', id: doc.id }, audience: { groupIds: groupsOf(doc.organisationId), userIds: [actor.userId] },
      summary: { documentId: Number(doc.id), deliveryIds: out.map((d) => Number(d.id)), secret },
    },
    ...out.map((d): DomainEvent => ({ type: 'delivery.arrived', organisationId: Number(d.recipientOrganisationId), subject: { type: 'delivery', id: d.id }, audience: { groupIds: groupsOf(Number(d.recipientOrganisationId)) }, summary: summaryOf(d) })),
  ]);
  return out;
}

/** Sends a numbered letter to organisations of the deployment and e-mail addresses (ONE transaction for all recipients). */
export async function sendLetter(sequelize: Sequelize, actor: Actor, documentId: number, recipients: SendRecipient[]): Promise<Delivery[]> {
  const indexed = recipients.map((r, index) => ({ ...r, index }));
  const system = indexed.filter((r): r is RecipientInput & { index: number } => 'organisationId' in r && (r as { via?: string }).via !== 'email');
  const agencies = indexed.filter((r): r is { agencyId: number; role: DeliveryRole; index: number } => 'agencyId' in r);
  const mailed = indexed.filter((r) => 'email' in r || (r as { via?: string }).via === 'email') as Array<{ index: number; email?: string; organisationId?: number; name?: string; role: DeliveryRole }>;
  return writeTransaction(sequelize, async (t) => {
    const doc = await Document.findByPk(documentId, { transaction: t, lock: t.LOCK.UPDATE });
    if (!doc || doc.organisationId !== actor.organisationId) throw notFound('Document');
    assertSendable(doc);
    assertMaySend(actor, doc);
    const addresses = await emailTargets(t, actor, doc, mailed);
    const now = new Date();
    const out: Delivery[] = [];
    if (system.length) {
      const orgs = await recipientOrganisations(t, actor, system);
      if (doc.secrecy !== 'normal') await assertCustodians(t, [...orgs.values()]);
      await assertNotLive(t, doc, [...orgs.keys()]);
      out.push(...(await deliverAll(t, actor, doc, system.map((r) => ({ org: orgs.get(r.organisationId)!, role: r.role, previousDeliveryId: null })), now)));
    }
    out.push(...(await queueEmails(t, actor, doc, addresses, now)));
    out.push(...(await queueAgencyLetters(t, actor, doc, agencies, now)));
    if (doc.status === 'registered') await doc.update({ status: 'sent' }, { transaction: t });
    return out;
  });
}

/** A status the sender sees as the end of the line, with its words. */
async function closedMessage(t: Transaction, d: Delivery): Promise<string> {
  if (d.status === 'received') {
    const who = d.receivedById ? await User.findByPk(d.receivedById, { transaction: t }) : null;
    return `already accepted by ${d.recipientName}${who ? ` (${who.displayName})` : ''} on ${thaiDateShort(d.receivedAt!)} ${thaiTime(d.receivedAt!)}, เลขรับ ${d.receiveNumber}/${d.receiveYear}`;
  }
  return `already ${d.status}`;
}

/** The sender takes back a letter not yet accepted (it leaves the recipient's tray). */
export async function withdraw(sequelize: Sequelize, actor: Actor, deliveryId: number, reason: string | null): Promise<Delivery> {
  return writeTransaction(sequelize, async (t) => {
    const d = assertSender(actor, await Delivery.findByPk(deliveryId, { transaction: t, lock: t.LOCK.UPDATE }));
    if (!OPEN_DELIVERY_STATUSES.includes(d.status)) throw conflict(`The letter cannot be withdrawn: ${await closedMessage(t, d)}.`, { status: d.status });
    await d.update({ status: 'withdrawn', closedAt: new Date(), closedById: actor.userId, reason }, { transaction: t });
    await recordChange(t, d, 'withdrawn', actor, reason);
    return d;
  });
}

/** Sends a withdrawn, rejected or returned letter again to the same recipient: a new delivery linked to the old one. */
export async function resend(sequelize: Sequelize, actor: Actor, deliveryId: number): Promise<Delivery> {
  return writeTransaction(sequelize, async (t) => {
    const old = assertSender(actor, await Delivery.findByPk(deliveryId, { transaction: t, lock: t.LOCK.UPDATE }));
    // An e-mail recipient is sent to again with a new send (the address may have been the problem).
    if (old.recipientKind === 'agency') {
      if (!['withdrawn', 'rejected', 'returned', 'failed'].includes(old.status)) throw conflict(`Only a withdrawn, rejected, returned or undelivered letter is resent; this one is ${old.status}.`, { status: old.status });
      if (await Delivery.findOne({ where: { previousDeliveryId: old.id }, transaction: t })) throw conflict('This delivery was already resent.');
      const letter = (await Document.findByPk(old.documentId, { transaction: t, lock: t.LOCK.UPDATE }))!;
      assertSendable(letter);
      assertMaySend(actor, letter);
      // A letter given up on stays in the history as not delivered; the resend is a new message.
      if (old.status === 'failed') await old.update({ closedAt: new Date() }, { transaction: t });
      const [d] = await queueAgencyLetters(t, actor, letter, [{ agencyId: Number(old.recipientAgencyId), role: old.role, previousDeliveryId: Number(old.id) }], new Date());
      return d;
    }
    if (old.recipientKind !== 'organisation') throw conflict('A letter sent by e-mail is not resent: send it again to the address (or a corrected one).', { recipientKind: old.recipientKind });
    if (!['withdrawn', 'rejected', 'returned'].includes(old.status)) throw conflict(`Only a withdrawn, rejected or returned letter is resent; this one is ${old.status}.`, { status: old.status });
    const again = await Delivery.findOne({ where: { previousDeliveryId: old.id }, transaction: t });
    if (again) throw conflict(`This delivery was already resent (delivery ${again.id}).`, { deliveryId: Number(again.id) });
    const doc = (await Document.findByPk(old.documentId, { transaction: t, lock: t.LOCK.UPDATE }))!;
    assertSendable(doc);
    assertMaySend(actor, doc);
    const orgs = await recipientOrganisations(t, actor, [{ organisationId: Number(old.recipientOrganisationId), role: old.role }]);
    if (doc.secrecy !== 'normal') await assertCustodians(t, [...orgs.values()]);
    await assertNotLive(t, doc, [...orgs.keys()]);
    const [d] = await deliverAll(t, actor, doc, [{ org: orgs.get(Number(old.recipientOrganisationId))!, role: old.role, previousDeliveryId: Number(old.id) }], new Date());
    return d;
  });
}

const urgencyOrder = literal("CASE urgency WHEN 'most_urgent' THEN 4 WHEN 'very_urgent' THEN 3 WHEN 'deadline' THEN 3 WHEN 'urgent' THEN 2 ELSE 1 END");

/** The ordinary and/or secret deliveries the actor handles; 403 for someone who handles neither. */
function secrecyWhere(actor: Actor): WhereOptions {
  const kinds = traySecrecies(actor);
  if (!kinds.length) throw forbidden('เฉพาะเจ้าหน้าที่สารบรรณหรือนายทะเบียนเอกสารลับ (Only registry clerks and the secrets custodian handle deliveries.)');
  if (kinds.length === 2) return {};
  return kinds[0] === 'normal' ? { secrecy: 'normal' } : { secrecy: { [Op.ne]: 'normal' } };
}

export interface OutgoingFilter { status?: DeliveryStatus; pending?: 'true' | 'false'; olderThanHours?: number; documentId?: number; limit: number; offset: number }

/** The sending organisation's deliveries; pending + olderThanHours: "sent, not yet received for more than N hours". */
export async function outgoing(actor: Actor, q: OutgoingFilter): Promise<Delivery[]> {
  const where: Record<string | symbol, unknown> = { senderOrganisationId: actor.organisationId, senderKind: 'organisation', ...secrecyWhere(actor) };
  if (q.status) where.status = q.status;
  else if (q.pending === 'true') where.status = { [Op.in]: OPEN_DELIVERY_STATUSES };
  if (q.olderThanHours !== undefined) where.sentAt = { [Op.lt]: new Date(Date.now() - q.olderThanHours * 3_600_000) };
  if (q.documentId) where.documentId = q.documentId;
  return Delivery.findAll({ where, order: [['sentAt', 'DESC'], ['id', 'DESC']], limit: q.limit, offset: q.offset });
}

/** The arrivals tray (หนังสือรอลงรับ): most urgent first, then oldest first. */
export async function arrivals(actor: Actor, q: { status?: DeliveryStatus; limit: number; offset: number }): Promise<Delivery[]> {
  const where = { recipientKind: 'organisation', recipientOrganisationId: actor.organisationId, status: q.status ?? { [Op.in]: OPEN_DELIVERY_STATUSES }, ...secrecyWhere(actor) };
  return Delivery.findAll({ where, order: [[urgencyOrder, 'DESC'], ['sentAt', 'ASC'], ['id', 'ASC']], limit: q.limit, offset: q.offset });
}

/**
 * A letter's deliveries, for its page (the caller checked the actor reads the letter): a sent letter's
 * recipients, or for a letter received through the system the delivery that brought it (the link to
 * the sent one).
 */
export async function ofDocument(doc: Document): Promise<{ rows: Delivery[]; side: 'sender' | 'recipient' }> {
  if (doc.direction === 'incoming') return { rows: await Delivery.findAll({ where: { receivedDocumentId: doc.id } }), side: 'recipient' };
  return { rows: await Delivery.findAll({ where: { documentId: doc.id }, order: [['id', 'ASC']] }), side: 'sender' };
}

/** Seeing a secret letter through its delivery (a tray line, its files) is a read of it, logged in the reader's own chain. */
export async function logSecretDeliveryReads(sequelize: Sequelize, actor: Actor, rows: Delivery[], what: string): Promise<void> {
  const secret = rows.filter((d) => d.secrecy !== 'normal');
  if (!secret.length) return;
  await writeTransaction(sequelize, async (t) => {
    for (const d of secret) {
      await appendAudit(t, { organisationId: actor.organisationId, entityType: 'delivery', entityId: d.id, action: 'delivery.read', actorId: actor.userId, data: { what, documentId: Number(d.documentId), secrecy: d.secrecy } });
    }
  });
}
