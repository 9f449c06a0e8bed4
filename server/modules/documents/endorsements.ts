// Endorsements (เกษียนหนังสือ): appended in order, never edited or deleted. The signer's capacity
// must be one the actor holds today (their own post, or a delegation: ปฏิบัติราชการแทน /
// รักษาราชการแทน), and the signature block names it.
import { Sequelize, Transaction } from 'sequelize';
import { z } from '../../lib/openapi';
import { Document, Endorsement, Position, Unit, DECISIONS, type Decision } from '../../db/models';
import { unprocessable } from '../../lib/errors';
import { writeTransaction } from '../../lib/transaction';
import { thaiDateShort, thaiTime } from '../../lib/thai-date';
import { appendAudit } from '../audit/service';
import { stampOnEndorsement } from '../signatures/letters';
import type { Actor } from '../auth/actor';
import { CAPACITY_TH, DECISION_TH } from './labels';
import { assertRead } from './policy';
import * as S from './schemas';

export function presentEndorsement(e: Endorsement) {
  const title = e.positionTitle ?? '';
  const signatureBlock = e.capacity === 'self' ? `${e.typedName}\n${title}` : `${e.typedName}\n${CAPACITY_TH[e.capacity]}${title}`;
  return {
    id: e.id, documentId: e.documentId, seq: e.seq, authorId: e.authorId, text: e.text ?? null, decision: e.decision ?? null,
    decisionTh: e.decision ? (e.decision === 'assign' && e.assignTo ? `มอบ ${e.assignTo}` : DECISION_TH[e.decision]) : null,
    assignTo: e.assignTo ?? null, typedName: e.typedName, positionId: e.positionId ?? null, positionTitle: e.positionTitle ?? null, capacity: e.capacity,
    signatureBlock: signatureBlock.trim(), createdAt: new Date(e.createdAt).toISOString(), dateTh: thaiDateShort(e.createdAt), timeTh: thaiTime(e.createdAt),
  };
}

export async function addEndorsement(sequelize: Sequelize, actor: Actor, doc: Document, input: z.output<typeof S.EndorsementCreate>): Promise<Endorsement> {
  const own = actor.capacities.find((c) => c.capacity === 'self');
  const positionId = input.positionId ?? (input.capacity === 'self' ? own?.positionId : undefined);
  let capacityHeld = null as null | (typeof actor.capacities)[number];
  if (positionId) capacityHeld = actor.capacities.find((c) => c.positionId === positionId && c.capacity === input.capacity) ?? null;
  if (input.capacity !== 'self' && !capacityHeld) {
    throw unprocessable(`You do not hold ${CAPACITY_TH[input.capacity]} for that position today (no active delegation).`, [{ field: 'capacity', message: 'not one of your capacities' }]);
  }
  if (input.capacity === 'self' && positionId && !capacityHeld) throw unprocessable('That is not your position.', [{ field: 'positionId', message: 'not your own position' }]);
  return writeTransaction(sequelize, async (t) => {
    // The document row is the lock that orders endorsements (seq has no gaps or twins).
    await Document.findByPk(doc.id, { transaction: t, lock: t.LOCK.UPDATE });
    return appendEndorsement(t, actor, doc, { positionId: positionId ?? null, capacity: input.capacity, delegationId: capacityHeld?.delegationId ?? null }, input);
  });
}

interface Signer {
  positionId: number | null;
  capacity: 'self' | 'acting_for' | 'acting_in_post';
  delegationId: number | null;
}

/** Appends the next endorsement in `t`; the caller holds the document row's lock. */
async function appendEndorsement(t: Transaction, actor: Actor, doc: Document, signer: Signer, input: { text?: string; decision?: Decision; assignTo?: string; typedName?: string }): Promise<Endorsement> {
  const position = signer.positionId ? await Position.findByPk(signer.positionId, { transaction: t }) : null;
  const last = (await Endorsement.max('seq', { where: { documentId: doc.id }, transaction: t })) as number | null;
  const e = await Endorsement.create(
    {
      documentId: doc.id, seq: (last ?? 0) + 1, authorId: actor.userId, text: input.text ?? null, decision: input.decision ?? null, assignTo: input.assignTo ?? null,
      typedName: input.typedName ?? actor.user.displayName, positionId: position?.id ?? null, positionTitle: position?.titleTh ?? null, capacity: signer.capacity,
      delegationId: signer.delegationId, createdAt: new Date(),
    },
    { transaction: t },
  );
  await appendAudit(t, { organisationId: doc.organisationId, entityType: 'endorsement', entityId: e.id, action: 'endorsement.added', actorId: actor.userId, data: { documentId: doc.id, seq: e.seq, decision: e.decision, capacity: e.capacity, positionId: e.positionId } });
  stampOnEndorsement(t, e); // the letter's PDF, if it has one, carries it once this commits
  return e;
}

const textOf = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/**
 * A routing step on a letter completed with an endorsement (form field `endorsement`) or, for the
 * staff's screening, a summary and recommendation, writes it into the letter's chain in the same
 * transaction, signed in the capacity the step was done in. A step's own decision values that are
 * not endorsement decisions (e.g. เสนอต่อ) leave the decision empty; the text carries the meaning.
 */
export async function endorseFromStep(t: Transaction, actor: Actor, signer: Signer, documentId: number, variables: Record<string, unknown>): Promise<Endorsement | null> {
  const summary = textOf(variables.summary);
  const recommendation = textOf(variables.recommendation);
  const result = textOf(variables.result); // what the unit did (assigned work, a forwarded letter)
  const text = textOf(variables.endorsement) ?? ([summary && `สรุปเรื่อง: ${summary}`, recommendation && `ข้อเสนอ: ${recommendation}`, result && `ผลการดำเนินการ: ${result}`].filter(Boolean).join('\n') || null);
  if (!text) return null;
  const doc = await Document.findByPk(documentId, { transaction: t, lock: t.LOCK.UPDATE });
  if (!doc) return null;
  // The last guard of every path that writes an endorsement from a step: only a reader signs.
  await assertRead(actor, doc, t);
  const decision = (DECISIONS as readonly unknown[]).includes(variables.decision) ? (variables.decision as Decision) : undefined;
  let assignTo: string | undefined;
  if (decision === 'assign' && variables.assignUnitId != null) assignTo = (await Unit.findByPk(Number(variables.assignUnitId), { transaction: t }))?.nameTh;
  return appendEndorsement(t, actor, doc, signer, { text, decision, assignTo });
}

export const listEndorsements = (documentId: number) => Endorsement.findAll({ where: { documentId }, order: [['seq', 'ASC']] });
