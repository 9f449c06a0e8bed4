// Recording domain events. Call recordEvent inside the transaction of the change: the event
// exists if and only if the change committed. Delivery (issue 5) listens to `outboxSignal`
// and reads outbox rows after their id; it never trusts in-memory state alone.
import { EventEmitter } from 'node:events';
import type { Transaction } from 'sequelize';
import { OutboxEvent } from '../../db/models';

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
  await OutboxEvent.bulkCreate(
    events.map((e) => ({
      type: e.type,
      organisationId: e.organisationId,
      subjectType: e.subject.type,
      subjectId: String(e.subject.id),
      audience: JSON.stringify(e.audience),
      summary: JSON.stringify(e.summary),
    })),
    { transaction },
  );
  transaction.afterCommit(() => {
    outboxSignal.emit('committed');
  });
}

export const recordEvent = (transaction: Transaction, event: DomainEvent) => recordEvents(transaction, [event]);
