// The mail queue: outbox events become rows in mail_queue (or digest items) exactly once across
// all processes, and a sender delivers due rows over SMTP with retries and exponential backoff.
//
// Exactly once: turning events into mail is a database-only step, so it runs in ONE transaction
// that locks the consumer's cursor row (FOR UPDATE SKIP LOCKED on MariaDB: the other processes skip
// the round), writes the mail rows and moves the cursor. Sending is claimed per row with a
// conditional UPDATE (a lease), so one process sends each message; a crash mid-send lets the lease
// lapse and the message is retried (SMTP cannot be in a transaction: at least once, rarely twice).
import { Op, Sequelize, Transaction } from 'sequelize';
import type { Transporter } from 'nodemailer';
import { Delegation, GroupMember, MailDigestItem, MailMessage, OutboxCursor, OutboxEvent, Task, User } from '../../../db/models';
import { loadActor } from '../../auth/actor';
import { disclosure } from '../../documents/present';
import { inFlightProbe, readAfter, toRecord, lastEventId, OutboxRecord } from '../tail';
import type { Audience } from '../../events/outbox';
import { assignedMail, digestMail, escalatedMail, MailText } from './templates';
import { drawAttachments } from './attachments';

export const ASSIGNMENT_TYPES = new Set(['task.created', 'task.assigned']);
export const ESCALATION_TYPES = new Set(['task.escalated']);

export interface QueueSettings {
  publicUrl: string;
  gapGraceMs: number;
  step: number;
  /** Minimum time between two digests (ms). */
  digestIntervalMs: number;
  /** First retry after this, doubling each attempt, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  leaseMs: number;
}

/** SQLite: take the write lock at BEGIN. A deferred transaction that reads and then writes fails
 * at once (SQLITE_BUSY) when another writer committed in between, instead of waiting its turn. */
const txOptions = (sequelize: Sequelize) => (sequelize.getDialect() === 'sqlite' ? { type: Transaction.TYPES.IMMEDIATE } : {});

const lockOptions = (sequelize: Sequelize, transaction: Transaction) =>
  sequelize.getDialect() === 'sqlite' ? { transaction } : { transaction, lock: transaction.LOCK.UPDATE, skipLocked: true };

/** Creates the cursor once; a fresh installation starts at the newest event, not at history. */
export async function ensureCursor(name: string): Promise<void> {
  if (await OutboxCursor.findByPk(name)) return;
  try {
    await OutboxCursor.create({ name, lastEventId: await lastEventId() });
  } catch {
    // another process created it first
  }
}

/** Who may receive mail among these people: active, with an address, notifications on. */
async function mailable(ids: Iterable<number>, transaction: Transaction): Promise<Map<number, User>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const users = await User.findAll({ where: { id: unique, active: true, emailNotifications: true, email: { [Op.ne]: null } }, transaction });
  return new Map(users.map((u) => [u.id, u]));
}

/** Who holds each position, and who acts for it today (delegations), as the rooms do. */
async function positionHolders(positionIds: number[], transaction: Transaction): Promise<Map<number, number[]>> {
  const holders = new Map<number, number[]>();
  if (!positionIds.length) return holders;
  const now = new Date();
  const [users, delegations] = await Promise.all([
    User.findAll({ attributes: ['id', 'positionId'], where: { positionId: positionIds }, transaction }),
    Delegation.findAll({
      attributes: ['delegateUserId', 'principalPositionId'],
      where: { principalPositionId: positionIds, revokedAt: null, startsAt: { [Op.lte]: now }, [Op.or]: [{ endsAt: null }, { endsAt: { [Op.gt]: now } }] },
      transaction,
    }),
  ]);
  const add = (positionId: number, userId: number) => holders.set(positionId, [...(holders.get(positionId) ?? []), userId]);
  for (const u of users) add(u.positionId!, u.id);
  for (const d of delegations) add(d.principalPositionId, d.delegateUserId);
  return holders;
}

async function groupMembers(groupIds: number[], transaction: Transaction): Promise<Map<number, number[]>> {
  const members = new Map<number, number[]>();
  if (!groupIds.length) return members;
  const rows = await GroupMember.findAll({ attributes: ['groupId', 'userId'], where: { groupId: groupIds }, transaction });
  for (const r of rows) members.set(r.groupId, [...(members.get(r.groupId) ?? []), r.userId]);
  return members;
}

/**
 * Whether each recipient may be shown the text of each event's letter: the one presenter's rule
 * (documents/present.ts), applied to the recipient as the letter is now (its secrecy may have been
 * raised after its process started). The letter is the summary's documentId, else the task's.
 */
async function letterReaders(events: OutboxRecord[], userIds: Iterable<number>, transaction: Transaction): Promise<(event: OutboxRecord, userId: number) => boolean> {
  if (!events.length) return () => false;
  const taskIds = events.filter((e) => e.summary.documentId == null && e.subject.type === 'task').map((e) => Number(e.subject.id)).filter(Number.isSafeInteger);
  const tasks = taskIds.length ? await Task.findAll({ attributes: ['id', 'organisationId', 'documentId'], where: { id: taskIds }, transaction }) : [];
  const taskOf = new Map(tasks.map((t) => [Number(t.id), t]));
  const letterOf = (e: OutboxRecord) => {
    if (e.summary.documentId != null) return Number(e.summary.documentId);
    const task = e.subject.type === 'task' ? taskOf.get(Number(e.subject.id)) : undefined;
    return task && task.organisationId === e.organisationId ? task.documentId : null;
  };
  const itemOf = (e: OutboxRecord) => ({ organisationId: Number(e.organisationId), documentId: letterOf(e) });
  const rules = new Map<number, (e: OutboxRecord) => boolean>();
  for (const userId of new Set(userIds)) {
    const actor = await loadActor(userId);
    if (!actor) continue;
    const disclosed = await disclosure(actor, events.map(itemOf), transaction);
    rules.set(userId, (e) => disclosed(itemOf(e)));
  }
  return (event, userId) => rules.get(userId)?.(event) ?? false;
}

function message(user: User, kind: MailMessage['kind'], eventId: number | null, mail: MailText) {
  return { userId: user.id, eventId, kind, toAddress: user.email!, subject: mail.subject.slice(0, 255), text: mail.text, nextAttemptAt: new Date() };
}

export interface Queued {
  toAddress: string;
  subject: string;
}

/** Turns new outbox events into mail rows; returns how many events it read and the mail it queued. */
export async function consumeEvents(sequelize: Sequelize, settings: QueueSettings): Promise<{ read: number; queued: Queued[] }> {
  return sequelize.transaction(txOptions(sequelize), async (transaction) => {
    const cursor = await OutboxCursor.findByPk('mail', lockOptions(sequelize, transaction));
    if (!cursor) return { read: 0, queued: [] }; // another process holds it this round
    const events = await readAfter(cursor.lastEventId, { gapGraceMs: settings.gapGraceMs, step: settings.step, transaction, limit: 200, inFlight: inFlightProbe(sequelize) });
    if (!events.length) return { read: 0, queued: [] };
    const messages: ReturnType<typeof message>[] = [];
    const digestItems: Array<{ userId: number; eventId: number }> = [];
    // The people of the whole batch are read together: a few statements per batch, not per event.
    const mailing = events.filter((e) => ESCALATION_TYPES.has(e.type) || ASSIGNMENT_TYPES.has(e.type));
    const audiences = mailing.map((e) => e.audience ?? {});
    const holders = await positionHolders([...new Set(audiences.flatMap((a) => a.positionIds ?? []))], transaction);
    const members = await groupMembers([...new Set(audiences.flatMap((a) => a.groupIds ?? []))], transaction);
    const personalOf = (a: Audience) => [...(a.userIds ?? []), ...(a.positionIds ?? []).flatMap((p) => holders.get(p) ?? [])];
    const membersOf = (a: Audience) => (a.groupIds ?? []).flatMap((g) => members.get(g) ?? []);
    const people = await mailable(audiences.flatMap((a) => [...personalOf(a), ...membersOf(a)]), transaction);
    const pick = (ids: number[]) => [...new Set(ids)].map((id) => people.get(id)).filter((u): u is User => Boolean(u));
    const mayRead = await letterReaders(mailing, people.keys(), transaction);
    for (const event of mailing) {
      const audience = event.audience ?? {};
      const personal = pick(personalOf(audience));
      if (ESCALATION_TYPES.has(event.type)) {
        for (const user of personal) messages.push(message(user, 'escalated', event.id, escalatedMail(event, user.displayName, settings.publicUrl, mayRead(event, user.id))));
      } else {
        for (const user of personal) messages.push(message(user, 'assigned', event.id, assignedMail(event, user.displayName, settings.publicUrl, mayRead(event, user.id))));
        // A task offered to a group goes into each member's next digest, not into one mail each.
        const mailed = new Set(personal.map((u) => u.id));
        for (const user of pick(membersOf(audience))) {
          if (!mailed.has(user.id)) digestItems.push({ userId: user.id, eventId: event.id });
        }
      }
    }
    if (messages.length) await MailMessage.bulkCreate(messages, { transaction });
    if (digestItems.length) await MailDigestItem.bulkCreate(digestItems, { transaction });
    await cursor.update({ lastEventId: events[events.length - 1].id }, { transaction });
    return { read: events.length, queued: messages };
  });
}

/** At most once per interval across all processes: one digest mail per person with waiting items. */
export async function runDigests(sequelize: Sequelize, settings: QueueSettings, now = new Date()): Promise<Queued[]> {
  return sequelize.transaction(txOptions(sequelize), async (transaction) => {
    const cursor = await OutboxCursor.findByPk('digest', lockOptions(sequelize, transaction));
    if (!cursor) return [];
    if (now.getTime() - cursor.updatedAt.getTime() < settings.digestIntervalMs) return [];
    const items = await MailDigestItem.findAll({ where: { mailId: null }, order: [['id', 'ASC']], transaction });
    cursor.changed('updatedAt', true);
    await cursor.save({ transaction });
    if (!items.length) return [];
    const events = new Map(
      (await OutboxEvent.findAll({ where: { id: [...new Set(items.map((i) => Number(i.eventId)))] }, transaction })).map((row) => [Number(row.id), toRecord(row)]),
    );
    const byUser = new Map<number, MailDigestItem[]>();
    for (const item of items) byUser.set(item.userId, [...(byUser.get(item.userId) ?? []), item]);
    const queued: Queued[] = [];
    const recipients = await mailable(byUser.keys(), transaction);
    const mayRead = await letterReaders([...events.values()], recipients.keys(), transaction);
    for (const user of recipients.values()) {
      const mine = byUser.get(user.id)!;
      const list = mine.map((i) => events.get(Number(i.eventId))).filter((e): e is OutboxRecord => !!e);
      const mail = await MailMessage.create(message(user, 'digest', null, digestMail(list, user.displayName, settings.publicUrl, (e) => mayRead(e, user.id))), { transaction });
      await MailDigestItem.update({ mailId: mail.id }, { where: { id: mine.map((i) => i.id) }, transaction });
      queued.push(mail);
    }
    // People who turned e-mail off since: their items are settled without a mail.
    await MailDigestItem.destroy({ where: { mailId: null, id: items.map((i) => i.id) }, transaction });
    return queued;
  });
}

export function backoff(settings: QueueSettings, attempts: number): number {
  return Math.min(settings.backoffMs * 2 ** Math.max(0, attempts - 1), settings.maxBackoffMs);
}

/** Sends due messages. Each is claimed with a lease first, so two processes never send the same one. */
export async function sendDue(transport: Transporter, from: string, settings: QueueSettings, log: (line: string) => void): Promise<number> {
  const now = new Date();
  const due = await MailMessage.findAll({
    where: { status: 'pending', nextAttemptAt: { [Op.lte]: now }, [Op.or]: [{ lockedUntil: null }, { lockedUntil: { [Op.lt]: now } }] },
    order: [['id', 'ASC']],
    limit: 20,
  });
  let sent = 0;
  for (const mail of due) {
    const [claimed] = await MailMessage.update(
      { lockedUntil: new Date(Date.now() + settings.leaseMs) },
      { where: { id: mail.id, status: 'pending', [Op.or]: [{ lockedUntil: null }, { lockedUntil: { [Op.lt]: new Date() } }] } },
    );
    if (claimed !== 1) continue;
    const attempts = mail.attempts + 1;
    try {
      const drawn = await drawAttachments(mail.attachment, log);
      const text = drawn.note ? `${mail.text}\n\n${drawn.note}` : mail.text;
      await transport.sendMail({ from, to: mail.toAddress, subject: mail.subject, text, attachments: drawn.attachments, headers: { 'X-Saraban-Mail-Id': String(mail.id) } });
      await MailMessage.update({ status: 'sent', sentAt: new Date(), attempts, lockedUntil: null, lastError: null }, { where: { id: mail.id } });
      sent++;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const wait = backoff(settings, attempts);
      await MailMessage.update({ attempts, lockedUntil: null, lastError: reason.slice(0, 1000), nextAttemptAt: new Date(Date.now() + wait) }, { where: { id: mail.id } });
      log(`mail #${mail.id} not sent (attempt ${attempts}, next try in ${Math.round(wait / 1000)} s): ${reason}`);
    }
  }
  return sent;
}
