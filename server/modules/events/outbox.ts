// Recording domain events. Call recordEvent inside the transaction of the change: the event
// exists if and only if the change committed. Delivery (issue 5) listens to `outboxSignal`
// and reads outbox rows after their id; it never trusts in-memory state alone.
import { EventEmitter } from 'node:events';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Database } from '../../db';
import { appendRows, sqlDate } from '../../db/transaction';
import { MailDigestItem, OutboxCursor, OutboxEvent } from '../../db/models';

export interface Audience {
  userIds?: number[];
  groupIds?: number[];
  unitIds?: number[];
  positionIds?: number[];
  /** Managers watching a process's monitor. */
  processKeys?: string[];
}

export interface DomainEvent {
  /** e.g. task.created, task.assigned, task.claimed, task.delegated, task.completed, task.cancelled,
   * letter.received, instance.ended, incident.raised, monitor.changed */
  type: string;
  organisationId: number | null;
  subject: { type: string; id: number | string };
  audience: Audience;
  /** Ids and a short, non-secret summary: clients re-read through the REST API. */
  summary: Record<string, unknown>;
}

/** Emits 'committed' after a transaction that recorded events commits. */
export const outboxSignal = new EventEmitter();
outboxSignal.setMaxListeners(100);

export async function recordEvents(transaction: Transaction, events: DomainEvent[]): Promise<void> {
  if (!events.length) return;
  const createdAt = new Date();
  await appendRows(
    OutboxEvent.sequelize!,
    'outbox_events',
    events.map((e) => ({
      type: e.type,
      organisationId: e.organisationId,
      subjectType: e.subject.type,
      subjectId: String(e.subject.id),
      audience: JSON.stringify(e.audience),
      summary: JSON.stringify(e.summary),
      createdAt,
    })),
    transaction,
  );
  transaction.afterCommit(() => {
    outboxSignal.emit('committed');
  });
}

export const recordEvent = (transaction: Transaction, event: DomainEvent) => recordEvents(transaction, [event]);

/**
 * Deletes outbox rows older than `keepDays` that nobody still needs: kept are the rows a durable
 * consumer (the mail and digest cursors) has not read yet, the rows a pending digest refers to, and
 * the recent days that reconnecting browsers may replay (further behind, they are told to resync).
 * Deletes in batches so no statement holds locks for long; safe to run in several processes at once.
 */
export async function pruneOutbox(db: Database, keepDays: number, batch = 5000): Promise<number> {
  const { sequelize } = db;
  const consumed = await OutboxCursor.min<number | null, OutboxCursor>('lastEventId');
  const pendingDigest = await MailDigestItem.min<number | null, MailDigestItem>('eventId', { where: { mailId: null } });
  const limits = [consumed == null ? null : Number(consumed), pendingDigest == null ? null : Number(pendingDigest) - 1].filter((v): v is number => v !== null);
  const replacements: Record<string, unknown> = { before: sqlDate(db, new Date(Date.now() - keepDays * 86_400_000)), batch, upTo: limits.length ? Math.min(...limits) : Number.MAX_SAFE_INTEGER };
  let deleted = 0;
  for (;;) {
    const [row] = await sequelize.query<{ last: number | null }>(
      'SELECT MAX(id) AS last FROM (SELECT id FROM outbox_events WHERE createdAt < :before AND id <= :upTo ORDER BY id LIMIT :batch) oldest',
      { replacements, type: QueryTypes.SELECT },
    );
    if (row?.last == null) return deleted;
    const n = (await sequelize.query('DELETE FROM outbox_events WHERE id <= :last', { replacements: { last: Number(row.last) }, type: QueryTypes.BULKDELETE })) as unknown as number;
    deleted += Number(n);
    if (Number(n) < batch) return deleted;
  }
}
