// Documents: drafts with versions, frozen once numbered; secrecy rules; every change audited and
// indexed for search in the same transaction.
import { Sequelize, Transaction } from 'sequelize';
import { z } from '../../lib/openapi';
import { Document, DocumentVersion, DocumentRecipient, Register, Unit, User, DOCUMENT_SUBTYPES } from '../../db/models';
import { conflict, forbidden, unprocessable } from '../../lib/errors';
import { writeTransaction } from '../../lib/transaction';
import { letterNumberKey } from '../../lib/letter-number';
import { thaiDateFull, thaiDateOnlyFull, thaiDateShort, thaiTime } from '../../lib/thai-date';
import { appendAudit } from '../audit/service';
import { indexDocument, prepareTokens } from '../search/tokens';
import type { Actor } from '../auth/actor';
import { TYPE_TH, SUBTYPE_TH, URGENCY, SECRECY } from './labels';
import { isSecret, readsAllSecrets } from './policy';
import * as S from './schemas';

type CreateInput = z.output<typeof S.DocumentCreate>;
type UpdateInput = z.output<typeof S.DocumentUpdate>;

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
const parse = <T>(json: string | null, fallback: T): T => (json ? (JSON.parse(json) as T) : fallback);

export function presentDocument(d: Document, register?: Register | null) {
  const registration = d.registerId && d.registeredAt
    ? { registerId: d.registerId, kind: register?.kind ?? '', year: d.registerYear!, number: d.registerNumber!, registeredAt: iso(d.registeredAt)!, dateTh: thaiDateShort(d.registeredAt), timeTh: thaiTime(d.registeredAt) }
    : null;
  return {
    id: d.id, organisationId: d.organisationId, unitId: d.unitId ?? null, direction: d.direction, type: d.type,
    typeTh: d.subType ? `${TYPE_TH[d.type]} (${SUBTYPE_TH[d.subType] ?? d.subType})` : TYPE_TH[d.type],
    subType: d.subType ?? null, status: d.status, version: d.version, urgency: d.urgency,
    urgencyTh: d.urgency === 'deadline' && d.urgentBy ? `ด่วนภายใน ${thaiDateFull(d.urgentBy)} เวลา ${thaiTime(d.urgentBy)}` : URGENCY[d.urgency].th,
    urgencyCode: URGENCY[d.urgency].code, urgentBy: iso(d.urgentBy), secrecy: d.secrecy, secrecyTh: SECRECY[d.secrecy].th, secrecyCode: SECRECY[d.secrecy].code,
    subject: d.subject, letterNumber: d.letterNumber ?? null, letterDate: d.letterDate ?? null, letterDateTh: d.letterDate ? thaiDateOnlyFull(d.letterDate) : null,
    senderName: d.senderName ?? null, addressee: d.addressee ?? null, salutation: d.salutation ?? null, body: d.body ?? null, closing: d.closing ?? null,
    signerName: d.signerName ?? null, signerPosition: d.signerPosition ?? null, contact: d.contact ?? null,
    references: parse(d.referencesJson, []), enclosures: parse(d.enclosuresJson, []), copiesTo: parse(d.copiesToJson, []),
    retentionYears: d.retentionYears ?? null, registration, createdById: d.createdById ?? null, createdAt: iso(d.createdAt)!, updatedAt: iso(d.updatedAt)!,
  };
}

/** The rules no schema can say alone: sub-types per type, ด่วนภายใน needs its deadline, no ลับที่สุด. */
function assertRules(merged: { type: string; subType?: string | null; urgency?: string; urgentBy?: string | Date | null; secrecy?: string }) {
  if (merged.secrecy === 'top_secret') {
    throw unprocessable('เอกสารลับที่สุดส่งทางระบบอิเล็กทรอนิกส์ไม่ได้ ให้ดำเนินการตามระเบียบว่าด้วยการรักษาความลับของทางราชการ (Top secret documents may not travel electronically.)', [{ field: 'secrecy', message: 'top_secret is not allowed in the electronic system' }]);
  }
  const allowed = DOCUMENT_SUBTYPES[merged.type as keyof typeof DOCUMENT_SUBTYPES];
  if (merged.subType && !allowed.includes(merged.subType)) {
    throw unprocessable(`ประเภทย่อย "${merged.subType}" ไม่ใช่ของหนังสือชนิดนี้ — sub-type "${merged.subType}" does not belong to type ${merged.type}.`, [{ field: 'subType', message: allowed.length ? `one of ${allowed.join(', ')}` : 'this type has no sub-types' }]);
  }
  if (!merged.subType && allowed.length) throw unprocessable(`หนังสือชนิดนี้ต้องระบุประเภทย่อย — type ${merged.type} needs a sub-type.`, [{ field: 'subType', message: `one of ${allowed.join(', ')}` }]);
  if (merged.urgency === 'deadline' && !merged.urgentBy) throw unprocessable('ด่วนภายใน ต้องระบุวันและเวลาที่ต้องถึงผู้รับ — urgency "deadline" needs the date and time it must be delivered by.', [{ field: 'urgentBy', message: 'required with urgency deadline' }]);
  if (merged.urgency !== 'deadline' && merged.urgentBy) throw unprocessable('ระบุกำหนดเวลาได้เฉพาะชั้นความเร็ว ด่วนภายใน — urgentBy only goes with urgency deadline (ด่วนภายใน).', [{ field: 'urgentBy', message: 'only with urgency deadline' }]);
}

function columnsOf(input: Partial<CreateInput>): Record<string, unknown> {
  const { references, enclosures, copiesTo, recipientUserIds, urgentBy, ...rest } = input;
  void recipientUserIds;
  const out: Record<string, unknown> = { ...rest };
  if (urgentBy !== undefined) out.urgentBy = urgentBy ? new Date(urgentBy) : null;
  if (references !== undefined) out.referencesJson = JSON.stringify(references);
  if (enclosures !== undefined) out.enclosuresJson = JSON.stringify(enclosures);
  if (copiesTo !== undefined) out.copiesToJson = JSON.stringify(copiesTo);
  if (rest.letterNumber !== undefined) out.letterNumberKey = rest.letterNumber ? letterNumberKey(rest.letterNumber) : null;
  return out;
}

async function setRecipients(t: Transaction, actor: Actor, documentId: number, userIds: number[]) {
  const unique = [...new Set(userIds)];
  const found = await User.count({ where: { id: unique, organisationId: actor.organisationId }, transaction: t });
  if (found !== unique.length) throw unprocessable('Every recipient must be a user of your organisation.', [{ field: 'recipientUserIds', message: 'unknown or outside the organisation' }]);
  await DocumentRecipient.destroy({ where: { documentId }, transaction: t });
  if (unique.length) await DocumentRecipient.bulkCreate(unique.map((userId) => ({ documentId, userId })), { transaction: t });
}

/** The people named to read a secret letter (besides its author and the secrets custodian). */
export async function namedRecipients(documentId: number) {
  const rows = await DocumentRecipient.findAll({ where: { documentId }, order: [['createdAt', 'ASC'], ['userId', 'ASC']] });
  const users = new Map((await User.findAll({ where: { id: rows.map((r) => r.userId) } })).map((u) => [u.id, u]));
  return rows.map((r) => ({ userId: r.userId, displayName: users.get(r.userId)?.displayName ?? null, since: new Date(r.createdAt).toISOString() }));
}

/**
 * The secrets custodian names or un-names a reader of a secret letter at any time (drafts set theirs
 * through the draft; forwarding names the person it goes to). Audited either way.
 */
export async function setNamedRecipient(sequelize: Sequelize, actor: Actor, doc: Document, userId: number, named: boolean): Promise<void> {
  if (!readsAllSecrets(actor)) throw forbidden('Only the secrets custodian (นายทะเบียนเอกสารลับ) names who may read a secret letter.');
  if (!isSecret(doc)) throw unprocessable('Only a secret letter (ลับ, ลับมาก) has named readers; everyone of the organisation may read this one.');
  await writeTransaction(sequelize, async (t) => {
    const user = await User.findOne({ where: { id: userId, organisationId: doc.organisationId }, transaction: t });
    if (!user) throw unprocessable('The reader must be a user of the letter\'s organisation.', [{ field: 'userId', message: 'unknown or outside the organisation' }]);
    const existing = await DocumentRecipient.findOne({ where: { documentId: doc.id, userId }, transaction: t });
    if (named === Boolean(existing)) return; // already so: nothing to record
    if (named) await DocumentRecipient.create({ documentId: doc.id, userId }, { transaction: t });
    else await DocumentRecipient.destroy({ where: { documentId: doc.id, userId }, transaction: t });
    await appendAudit(t, { organisationId: doc.organisationId, entityType: 'document', entityId: doc.id, action: named ? 'document.reader.named' : 'document.reader.removed', actorId: actor.userId, data: { userId, secrecy: doc.secrecy } });
  });
}

async function snapshot(t: Transaction, doc: Document, actorId: number) {
  await DocumentVersion.create({ documentId: doc.id, version: doc.version, content: JSON.stringify(presentDocument(doc)), createdById: actorId }, { transaction: t });
}

export async function createDocument(sequelize: Sequelize, actor: Actor, input: CreateInput): Promise<Document> {
  assertRules(input);
  // A secret letter received is the custodian's to register (in the secret register), so the custodian may enter it too.
  if (input.direction === 'incoming' && !actor.roles.has('registry_clerk') && !(isSecret(input) && readsAllSecrets(actor))) {
    throw unprocessable('Incoming letters are entered by a registry clerk (a secret one also by the secrets custodian).', [{ field: 'direction', message: 'registry clerk only' }]);
  }
  const prepared = await prepareTokens(input); // segmenting a long body holds no transaction
  return writeTransaction(sequelize, async (t) => {
    if (input.unitId) {
      const unit = await Unit.findByPk(input.unitId, { transaction: t });
      if (!unit || unit.organisationId !== actor.organisationId) throw unprocessable('unitId is not a unit of your organisation.', [{ field: 'unitId', message: 'not in your organisation' }]);
    }
    const doc = await Document.create(
      {
        ...columnsOf(input), organisationId: actor.organisationId, unitId: input.unitId ?? actor.unitId, status: 'draft', version: 1,
        retentionYears: input.retentionYears === undefined ? 10 : input.retentionYears, createdById: actor.userId,
      },
      { transaction: t },
    );
    if (input.recipientUserIds) await setRecipients(t, actor, doc.id, input.recipientUserIds);
    await snapshot(t, doc, actor.userId);
    await indexDocument(t, doc, prepared);
    await appendAudit(t, { organisationId: doc.organisationId, entityType: 'document', entityId: doc.id, action: 'document.created', actorId: actor.userId, data: { type: doc.type, direction: doc.direction, secrecy: doc.secrecy, version: 1 } });
    return doc;
  });
}

export async function updateDocument(sequelize: Sequelize, actor: Actor, documentId: number, input: UpdateInput): Promise<Document> {
  // Segmenting a long body holds no transaction; a text changed meanwhile is redone in it.
  const prepared = await prepareTokens(await Document.findByPk(documentId), input);
  return writeTransaction(sequelize, async (t) => {
    const doc = (await Document.findByPk(documentId, { transaction: t, lock: t.LOCK.UPDATE }))!;
    if (doc.status !== 'draft') throw conflict(`The document is ${doc.status} and frozen: numbered or sent documents are not changed (make a new document instead).`);
    if (doc.createdById !== actor.userId && !actor.roles.has('registry_clerk')) throw forbidden('Only the author or a registry clerk edits a draft.');
    const { version, ...changes } = input;
    if (version !== undefined && version !== doc.version) throw conflict(`The document is at version ${doc.version}, not ${version}: reload it and edit again.`, { currentVersion: doc.version });
    assertRules({ type: doc.type, subType: doc.subType, urgency: doc.urgency, urgentBy: doc.urgentBy, secrecy: doc.secrecy, ...changes });
    if (changes.unitId) {
      const unit = await Unit.findByPk(changes.unitId, { transaction: t });
      if (!unit || unit.organisationId !== actor.organisationId) throw unprocessable('unitId is not a unit of your organisation.', [{ field: 'unitId', message: 'not in your organisation' }]);
    }
    await doc.update({ ...columnsOf(changes), version: doc.version + 1 }, { transaction: t });
    if (changes.recipientUserIds) await setRecipients(t, actor, doc.id, changes.recipientUserIds);
    await snapshot(t, doc, actor.userId);
    await indexDocument(t, doc, prepared);
    await appendAudit(t, { organisationId: doc.organisationId, entityType: 'document', entityId: doc.id, action: 'document.updated', actorId: actor.userId, data: { version: doc.version, fields: Object.keys(changes) } });
    return doc;
  });
}

/** Reads of ลับ / ลับมาก documents leave a trace in the audit chain. */
export async function logSecretRead(sequelize: Sequelize, actor: Actor, doc: Document, what: string): Promise<void> {
  await logSecretReads(sequelize, actor, [doc], what);
}

/** The secret ones among the documents of one page (a search, a register): all their reads in one transaction. */
export async function logSecretReads(sequelize: Sequelize, actor: Actor, docs: Document[], what: string): Promise<void> {
  const secret = docs.filter(isSecret);
  if (!secret.length) return;
  await writeTransaction(sequelize, async (t) => {
    for (const doc of secret) await appendAudit(t, { organisationId: doc.organisationId, entityType: 'document', entityId: doc.id, action: 'document.read', actorId: actor.userId, data: { what, secrecy: doc.secrecy } });
  });
}
