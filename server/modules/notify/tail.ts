// Reading the outbox in id order, safely. Ids are handed out at INSERT but rows become visible at
// COMMIT, so with concurrent writers (MariaDB, several processes) id 11 can be visible before id 10.
// A reader that jumped to 11 would never see 10. So a reader stops at a gap and waits for it to fill;
// a gap that stays open longer than `gapGraceMs` is passed, unless the database says the id is
// still held by an open transaction (MariaDB: a NOWAIT locking read of it fails), which is waited
// for up to `inFlightMaxMs`. A rolled-back transaction burns its id; that gap is passed at once
// after the grace, so a rollback delays delivery only briefly.
import { Op, Sequelize, Transaction } from 'sequelize';
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
  /** True when one of these ids belongs to a transaction that has not committed yet. */
  inFlight?: (ids: number[]) => Promise<boolean>;
  /** Longest wait for an in-flight id (beyond MariaDB's innodb_lock_wait_timeout, 50 s by default). */
  inFlightMaxMs?: number;
}

/** The `step` of a tail: MariaDB's auto_increment_increment (several primaries hand out interleaved ids); 1 elsewhere. */
export async function idStep(sequelize: Sequelize): Promise<number> {
  if (sequelize.getDialect() !== 'mysql') return 1;
  const [rows] = await sequelize.query('SELECT @@auto_increment_increment AS step');
  return Number((rows as Array<{ step: number }>)[0]?.step ?? 1) || 1;
}

/** MariaDB/MySQL: an uncommitted INSERT holds a lock on its row, so NOWAIT fails on it. */
export function inFlightProbe(sequelize: Sequelize): ((ids: number[]) => Promise<boolean>) | undefined {
  if (sequelize.getDialect() !== 'mysql') return undefined; // SQLite: one writer, ids commit in order
  return async (ids) => {
    try {
      await sequelize.query('SELECT id FROM outbox_events WHERE id IN (:ids) LOCK IN SHARE MODE NOWAIT', { replacements: { ids: ids.slice(0, 100) } });
      return false;
    } catch {
      return true;
    }
  };
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
    if (afterId > 0 && record.id !== expected) {
      const age = now - record.createdAt.getTime();
      if (age < options.gapGraceMs) break;
      if (options.inFlight && age < (options.inFlightMaxMs ?? 60_000)) {
        const missing: number[] = [];
        for (let id = expected; id < record.id && missing.length < 100; id += step) missing.push(id);
        if (await options.inFlight(missing)) break;
      }
    }
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
