// The citizens' channel after the submission: the tray's decisions become the citizen's status
// (through the deliveries observer, in the decision's transaction), tracking without enumeration,
// the reply letter, the clerks' view of the contact data and the monitor's counts.
import crypto from 'node:crypto';
import { Op, Sequelize, Transaction } from 'sequelize';
import { Attachment, CitizenSubmission, Delivery, Document, Group, Organisation, Unit } from '../../db/models';
import type { DeliveryStatus } from '../../db/models';
import { conflict, notFound, unprocessable } from '../../lib/errors';
import { writeTransaction } from '../../lib/transaction';
import { thaiDateOnlyFull, thaiDateShort, thaiTime } from '../../lib/thai-date';
import type { Actor } from '../auth/actor';
import { appendAudit } from '../audit/service';
import { recordEvents } from '../events/outbox';
import { deliveryObservers } from '../deliveries/service';
import { queueCitizenMail } from './mail';
import { parseTrackingCode } from './identity';
import { assertClerkOf, assertReadsContact, mayReadContact } from './policy';

/** Deliveries → the citizen's status and mail; registered once, whatever builds the app. */
let observing = false;
export function observeDeliveries(publicUrl: () => string): void {
  if (observing) return;
  observing = true;
  deliveryObservers.push(async (t: Transaction, d: Delivery, status: DeliveryStatus, _actor, note) => {
    if (d.senderKind !== 'citizen' || !['received', 'rejected', 'returned'].includes(status)) return;
    const s = await CitizenSubmission.findOne({ where: { deliveryId: d.id }, transaction: t, lock: t.LOCK.UPDATE });
    if (!s) return;
    const org = (await Organisation.findByPk(s.organisationId, { transaction: t }))!;
    if (status === 'received') {
      await s.update({ status: 'registered', statusAt: new Date() }, { transaction: t });
      await queueCitizenMail(t, publicUrl(), s, org, 'registered', { receiveNumber: `${d.receiveNumber}/${d.receiveYear}` });
    } else {
      // Returned as "not ours" is, for the citizen, not accepted here: the reason says so.
      const reason = (status === 'returned' ? `ส่งผิดหน่วยงาน${note && note !== 'ส่งผิดหน่วยงาน' ? `: ${note}` : ''}` : note ?? '').slice(0, 500);
      await s.update({ status: 'rejected', statusAt: new Date(), reason }, { transaction: t });
      await queueCitizenMail(t, publicUrl(), s, org, 'rejected', { reason });
    }
  });
}

const STATUS_WORDS = {
  received: ['ได้รับคำร้องแล้ว รอลงทะเบียนรับ', 'Received, waiting to be registered'],
  registered: ['ลงทะเบียนรับแล้ว อยู่ระหว่างดำเนินการ', 'Registered, being handled'],
  rejected: ['ไม่รับเรื่อง', 'Not accepted'],
  answered: ['ตอบแล้ว', 'Answered'],
} as const;

export const publicOrganisation = (o: Organisation) => ({ code: o.interchangeId ?? o.agencyCode, nameTh: o.nameTh, nameEn: o.nameEn ?? null, address: o.address ?? null, phone: o.phone ?? null });

/** An active organisation by the code in the public page's address (interchange id or agency code). */
export async function organisationByCode(code: string): Promise<Organisation> {
  const org = await Organisation.findOne({ where: { active: true, [Op.or]: [{ interchangeId: code }, { agencyCode: code }] } });
  if (!org) throw notFound('The organisation');
  return org;
}

const sha = (s: string) => crypto.createHash('sha256').update(s).digest();
// Compared against when no submission has the code, so a wrong code costs what a wrong e-mail costs.
const DECOY = { email: 'nobody@invalid', idLast4: '----' };

/**
 * The submission a code and its second factor open, or 404, the same answer for a wrong code, a
 * wrong e-mail and wrong digits: one indexed look-up and one constant-time comparison either way.
 */
export async function openSubmission(body: { code: string; email?: string; idLast4?: string }): Promise<CitizenSubmission> {
  const code = parseTrackingCode(body.code);
  const row = await CitizenSubmission.findOne({ where: { trackingCode: code ?? '-' } });
  const expected = body.email ? (row ?? DECOY).email : (row ?? DECOY).idLast4;
  const given = body.email ? body.email.trim().toLowerCase() : body.idLast4 ?? '';
  const match = crypto.timingSafeEqual(sha(expected), sha(given));
  // A purged request has no e-mail or digits left to compare: its code alone opens it, and all it says is "closed".
  if (!row || !(match || row.purgedAt)) throw notFound('A request with this tracking code and these details');
  return row;
}

const CLOSED = ['เรื่องนี้ปิดแล้ว', 'This matter is closed'] as const;

export async function presentTracking(s: CitizenSubmission) {
  if (s.purgedAt) {
    // Closed under its retention: nothing of the matter or the person, only that it is closed.
    const org = (await Organisation.findByPk(s.organisationId))!;
    return {
      trackingCode: s.trackingCode, organisation: publicOrganisation(org), subject: null, submittedAt: s.createdAt.toISOString(), submittedAtTh: `${thaiDateShort(s.createdAt)} ${thaiTime(s.createdAt)} น.`,
      status: s.status, closed: true, statusTh: CLOSED[0], statusEn: CLOSED[1], statusAt: s.purgedAt.toISOString(), registered: null, unit: null, reason: null, reply: null,
    };
  }
  const [org, doc, delivery, reply] = await Promise.all([
    Organisation.findByPk(s.organisationId), Document.findByPk(s.documentId, { attributes: ['id', 'subject'] }),
    s.deliveryId ? Delivery.findByPk(s.deliveryId) : null, s.replyDocumentId ? Document.findByPk(s.replyDocumentId) : null,
  ]);
  const received = delivery?.receivedDocumentId ? await Document.findByPk(delivery.receivedDocumentId, { attributes: ['id', 'unitId'] }) : null;
  const unit = received?.unitId ? await Unit.findByPk(received.unitId, { attributes: ['nameTh'] }) : null;
  const files = reply ? await Attachment.findAll({ where: { documentId: reply.id }, order: [['role', 'DESC'], ['id', 'ASC']] }) : [];
  const at = (d: Date) => `${thaiDateShort(d)} ${thaiTime(d)} น.`;
  return {
    trackingCode: s.trackingCode, organisation: publicOrganisation(org!), subject: doc!.subject, submittedAt: s.createdAt.toISOString(), submittedAtTh: at(s.createdAt),
    status: s.status, closed: false, statusTh: STATUS_WORDS[s.status][0], statusEn: STATUS_WORDS[s.status][1], statusAt: s.statusAt.toISOString(),
    registered: delivery?.status === 'received' && delivery.receiveNumber
      ? { number: delivery.receiveNumber, year: delivery.receiveYear!, at: delivery.receivedAt!.toISOString(), atTh: at(delivery.receivedAt!) }
      : null,
    unit: unit?.nameTh ?? null,
    reason: s.status === 'rejected' ? s.reason ?? null : null,
    reply: reply
      ? { letterNumber: reply.letterNumber ?? null, letterDateTh: reply.letterDate ? thaiDateOnlyFull(reply.letterDate) : null, files: files.map((f) => ({ id: Number(f.id), filename: f.filename, mime: f.mime, size: Number(f.size) })) }
      : null,
  };
}

/** A file of the reply letter, for the citizen who opened the submission. */
export async function replyFile(s: CitizenSubmission, fileId: number): Promise<Attachment> {
  const file = s.replyDocumentId && !s.purgedAt ? await Attachment.findByPk(fileId) : null;
  if (!file || Number(file.documentId) !== Number(s.replyDocumentId)) throw notFound('File');
  return file;
}

/** For the organisation's registry clerks: the citizen's contact data, the ID number masked. */
export async function presentSubmissions(rows: CitizenSubmission[]) {
  const deliveries = new Map((await Delivery.findAll({ where: { id: rows.map((r) => r.deliveryId).filter((x): x is number => x != null) }, attributes: ['id', 'receivedDocumentId'] })).map((d) => [Number(d.id), d]));
  return rows.map((s) => ({
    id: Number(s.id), trackingCode: s.trackingCode, status: s.status, statusAt: s.statusAt.toISOString(), name: s.name, idNumberMasked: s.purgedAt ? '' : `•••••••••${s.idLast4}`,
    address: s.address, phone: s.phone ?? null, email: s.email, language: s.language, submittedAt: s.createdAt.toISOString(),
    deliveryId: s.deliveryId ?? null, documentId: Number(s.documentId), receivedDocumentId: (s.deliveryId && deliveries.get(Number(s.deliveryId))?.receivedDocumentId) || null,
    reason: s.reason ?? null, replyDocumentId: s.replyDocumentId ?? null, answeredAt: s.answeredAt?.toISOString() ?? null, purgedAt: s.purgedAt?.toISOString() ?? null,
  }));
}

/** The submission behind a letter: the tray copy or the registered copy of it (null when it is no citizen's letter of the actor's organisation). */
async function submissionOfLetter(actor: Actor, documentId: number): Promise<CitizenSubmission | null> {
  const delivery = await Delivery.findOne({ where: { receivedDocumentId: documentId, senderKind: 'citizen' }, attributes: ['id'] });
  return CitizenSubmission.findOne({ where: { organisationId: actor.organisationId, [Op.or]: [{ documentId }, ...(delivery ? [{ deliveryId: delivery.id }] : [])] } });
}

export async function listSubmissions(actor: Actor, q: { status?: string; deliveryId?: number; documentId?: number; limit: number; offset: number }): Promise<CitizenSubmission[]> {
  if (q.documentId) {
    // From the letter page: the registry clerks and the people working on that letter. Anyone else
    // learns nothing, not even that the letter came from a citizen (an empty list, as for any letter).
    const s = await submissionOfLetter(actor, q.documentId);
    return s && (!q.status || s.status === q.status) && (await mayReadContact(actor, s)) ? [s] : [];
  }
  assertClerkOf(actor, actor.organisationId);
  const where: Record<string, unknown> = { organisationId: actor.organisationId };
  if (q.status) where.status = q.status;
  if (q.deliveryId) where.deliveryId = q.deliveryId;
  return CitizenSubmission.findAll({ where, order: [['id', 'DESC']], limit: q.limit, offset: q.offset });
}

export async function findSubmission(actor: Actor, id: number, t?: Transaction): Promise<CitizenSubmission> {
  const s = await CitizenSubmission.findByPk(id, { transaction: t, ...(t ? { lock: t.LOCK.UPDATE } : {}) });
  if (!s || Number(s.organisationId) !== actor.organisationId) throw notFound('Submission');
  await assertReadsContact(actor, s, t);
  return s;
}

/** Links a numbered outgoing letter with its file as the answer: the citizen downloads it and is told by mail. */
export async function linkReply(sequelize: Sequelize, publicUrl: string, actor: Actor, id: number, documentId: number): Promise<CitizenSubmission> {
  return writeTransaction(sequelize, async (t) => {
    const s = await findSubmission(actor, id, t);
    if (s.purgedAt) throw conflict('The personal data of this request was removed under its retention: it can no longer be answered here.', { status: s.status });
    if (s.status !== 'registered') throw conflict(`Only a registered request is answered; this one is ${s.status}.`, { status: s.status });
    const doc = await Document.findByPk(documentId, { transaction: t });
    if (!doc || Number(doc.organisationId) !== actor.organisationId) throw unprocessable('documentId is not a letter of your organisation.', [{ field: 'documentId', message: 'not found' }]);
    const problem = doc.direction !== 'outgoing' ? 'the answer is an outgoing letter'
      : !['registered', 'sent'].includes(doc.status) || !doc.letterNumber ? 'the answer must be numbered first'
        : doc.secrecy !== 'normal' ? 'a secret letter is not handed out on a public page' : null;
    if (problem) throw unprocessable(problem, [{ field: 'documentId', message: problem }]);
    if (!(await Attachment.count({ where: { documentId: doc.id }, transaction: t }))) throw unprocessable('the answer has no file to download', [{ field: 'documentId', message: 'no file' }]);
    const now = new Date();
    await s.update({ status: 'answered', statusAt: now, replyDocumentId: doc.id, answeredAt: now }, { transaction: t });
    await appendAudit(t, { organisationId: actor.organisationId, entityType: 'citizen_submission', entityId: s.id, action: 'citizen.answered', actorId: actor.userId, data: { replyDocumentId: Number(doc.id), letterNumber: doc.letterNumber } });
    const clerks = await Group.findAll({ where: { organisationId: actor.organisationId, key: 'registry_clerk' }, attributes: ['id'], transaction: t });
    await recordEvents(t, [{ type: 'citizen.answered', organisationId: actor.organisationId, subject: { type: 'citizen_submission', id: s.id }, audience: { groupIds: clerks.map((g) => Number(g.id)) }, summary: { submissionId: Number(s.id) } }]);
    const org = (await Organisation.findByPk(s.organisationId, { transaction: t }))!;
    await queueCitizenMail(t, publicUrl, s, org, 'answered', { letterNumber: doc.letterNumber });
    return s;
  });
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : null);

/** The monitor's figures: requests by status in a period, how many wait for an answer, and how long answers took. */
export async function monitor(actor: Actor, days: number) {
  const since = new Date(Date.now() - days * 86_400_000);
  const rows = await CitizenSubmission.findAll({ where: { organisationId: actor.organisationId, createdAt: { [Op.gte]: since } }, attributes: ['status', 'createdAt', 'answeredAt'], raw: true });
  const counts = { received: 0, registered: 0, rejected: 0, answered: 0, total: rows.length };
  for (const r of rows) counts[r.status]++;
  const hours = rows.filter((r) => r.answeredAt).map((r) => (new Date(r.answeredAt!).getTime() - new Date(r.createdAt).getTime()) / 3_600_000).sort((a, b) => a - b);
  const round = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
  // Every request still waiting (whatever the period), oldest first: how long each has waited.
  const now = Date.now();
  const open = await CitizenSubmission.findAll({ where: { organisationId: actor.organisationId, status: { [Op.in]: ['received', 'registered'] }, purgedAt: null }, attributes: ['id', 'status', 'createdAt', 'deliveryId'], order: [['createdAt', 'ASC'], ['id', 'ASC']], raw: true });
  const waited = open.map((r) => (now - new Date(r.createdAt).getTime()) / 3_600_000).sort((a, b) => a - b);
  const shown = open.slice(0, 20);
  const deliveries = new Map((await Delivery.findAll({ where: { id: shown.map((r) => r.deliveryId).filter((x): x is number => x != null) }, attributes: ['id', 'receivedDocumentId', 'receiveNumber', 'receiveYear'], raw: true })).map((d) => [Number(d.id), d]));
  return {
    since: since.toISOString(), counts, waitingForAnswer: counts.received + counts.registered,
    hoursToAnswer: { median: round(percentile(hours, 0.5)), p90: round(percentile(hours, 0.9)), answered: hours.length },
    hoursWaiting: { median: round(percentile(waited, 0.5)), p90: round(percentile(waited, 0.9)), open: open.length },
    oldestOpen: shown.map((r) => {
      const d = r.deliveryId ? deliveries.get(Number(r.deliveryId)) : undefined;
      return {
        id: Number(r.id), status: r.status, submittedAt: new Date(r.createdAt).toISOString(), hoursWaiting: round((now - new Date(r.createdAt).getTime()) / 3_600_000)!,
        receiveNumber: d?.receiveNumber ? `${d.receiveNumber}/${d.receiveYear}` : null, documentId: d?.receivedDocumentId ? Number(d.receivedDocumentId) : null,
      };
    }),
  };
}
