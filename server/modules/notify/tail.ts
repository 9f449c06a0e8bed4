// Reading the outbox in id order, safely. Ids are handed out at INSERT but rows become visible at
// COMMIT, so with concurrent writers (MariaDB, several processes) id 11 can be visible before id 10.
// A reader that jumped to 11 would never see 10. So a reader stops at a gap and waits for it to fill;
// a gap that stays open longer than `gapGraceMs` (a rolled-back transaction burns its id) is passed.
import { Op, Transaction } from 'sequelize';
import { OutboxEvent } from '../../db/models';
import type { Audience } from '../events/outbox';

export interface OutboxRecord {
  id: number;
  type: string;
  organisationId: number | null;
  subject: { type: string; id: string };
  audience: Audience;
  summary: Record<string, unknown>;
  createdAt: Date;
}

export function toRecord(row: OutboxEvent): OutboxRecord {
  return {
    id: Number(row.id),
    type: row.type,
    organisationId: row.organisationId,
    subject: { type: row.subjectType, id: row.subjectId },
    audience: parse(row.audience) as Audience,
    summary: parse(row.summary) as Record<string, unknown>,
    createdAt: row.createdAt,
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) ?? {};
  } catch {
    return {};
  }
}

export interface TailOptions {
  limit?: number;
  gapGraceMs: number;
  /** Distance between consecutive ids (MariaDB's auto_increment_increment; 1 elsewhere). */
  step?: number;
  transaction?: Transaction;
  now?: number;
}

/** Events after `afterId` that are safe to hand out now, in id order. */
export async function readAfter(afterId: number, options: TailOptions): Promise<OutboxRecord[]> {
  const rows = await OutboxEvent.findAll({
    where: { id: { [Op.gt]: afterId } },
    order: [['id', 'ASC']],
    limit: options.limit ?? 500,
    transaction: options.transaction,
  });
  const step = options.step ?? 1;
  const now = options.now ?? Date.now();
  const out: OutboxRecord[] = [];
  let expected = afterId + step;
  for (const row of rows) {
    const record = toRecord(row);
    // The first read of a fresh cursor (afterId 0) has nothing to wait for.
    if (afterId > 0 && record.id !== expected && now - record.createdAt.getTime() < options.gapGraceMs) break;
    out.push(record);
    expected = record.id + step;
  }
  return out;
}

/** The newest event id, where a consumer that starts fresh begins (it does not replay history). */
export async function lastEventId(transaction?: Transaction): Promise<number> {
  const max = await OutboxEvent.max('id', { transaction });
  return Number(max ?? 0);
}
