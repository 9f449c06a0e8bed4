// The exchange outbox: letters and notifiers to agencies elsewhere, written in the transaction of the
// change that makes them (a send, an accept, a withdrawal), delivered after commit by a worker that
// retries with exponential backoff until the peer acknowledges (a signed acknowledgement), and that
// declares a letter "not delivered" (status failed, with the last error) after EXCHANGE_GIVE_UP_MINUTES.
// The peer takes each message id once, so a retry after a lost response does nothing twice. Like the
// e-mail outbox (deliveries/email.ts): a row is claimed with a lease, so two processes never send it twice.
import { Op, Sequelize, Transaction } from 'sequelize';
import { Delivery, Document, ExchangeInbound, ExchangeOutbox, ExchangePeer, ExchangeTransport, Organisation } from '../../db/models';
import { conflict, notFound } from '../../lib/errors';
import { writeTransaction } from '../../lib/transaction';
import type { AppContext } from '../../context';
import { outboxSignal } from '../events/outbox';
import { recordChange } from '../deliveries/service';
import type { NoticeBody } from './payload';
import { newMessageId } from './payload';

export interface ExchangeSettings {
  pollMs: number;
  backoffMs: number;
  maxBackoffMs: number;
  giveUpMs: number;
  /** Messages sent at once by one process. */
  concurrency: number;
  /** How long a claimed row stays with the process that claimed it (one that died mid-send lets go after this). */
  leaseMs: number;
}

/**
 * A transport moves one outbox row to its peer; it throws when the peer has not acknowledged it.
 * `awaitingPickup`: the letter waits in a queue here for the peer to collect (ECMS pickup), so it is
 * sent, not yet delivered (the peer's receipt says that).
 */
export interface TransportDriver {
  deliver(ctx: AppContext, row: ExchangeOutbox, peer: ExchangePeer): Promise<void | { awaitingPickup: true }>;
}
const drivers = new Map<ExchangeTransport, TransportDriver>();

/** The native transport registers itself here; the ECMS adapter registers 'ecms' the same way. */
export function registerTransport(name: ExchangeTransport, driver: TransportDriver): void {
  drivers.set(name, driver);
}
export const hasTransport = (name: ExchangeTransport) => drivers.has(name);

/** A letter's outbox row, written with its delivery (status queued) in the send's transaction. */
export async function queueLetter(t: Transaction, d: Delivery, peer: ExchangePeer, now: Date): Promise<ExchangeOutbox> {
  return ExchangeOutbox.create({ messageId: newMessageId(), peerId: peer.id, deliveryId: d.id, kind: 'letter', noticeJson: null, status: 'queued', queuedAt: now, nextAttemptAt: now }, { transaction: t });
}

export async function queueNotice(t: Transaction, peerId: number, deliveryId: number, notice: NoticeBody): Promise<void> {
  const now = new Date();
  await ExchangeOutbox.create({ messageId: newMessageId(), peerId, deliveryId, kind: 'notice', noticeJson: JSON.stringify(notice), status: 'queued', queuedAt: now, nextAttemptAt: now }, { transaction: t });
}

/**
 * Called by deliveries' recordChange in the transaction of every status change: a letter that came
 * from elsewhere sends its receipt, rejection or return back; a letter sent elsewhere that the sender
 * withdraws tells the peer (or never leaves, if it had not been tried yet).
 */
export async function onDeliveryChange(t: Transaction, d: Delivery, status: string, note: string | null, extra: Record<string, unknown>): Promise<void> {
  if (d.senderAgencyId && ['received', 'rejected', 'returned'].includes(status)) {
    const origin = await ExchangeInbound.findOne({ where: { deliveryId: d.id, kind: 'letter' }, transaction: t });
    if (!origin) return;
    await queueNotice(t, Number(d.senderAgencyId), Number(d.id), {
      status: status as 'received', letterMessageId: origin.messageId, receiveNumber: (extra.receiveNumber as number) ?? null, receiveYear: (extra.receiveYear as number) ?? null, reason: note,
    });
  }
  if (d.recipientKind === 'agency' && status === 'withdrawn') {
    const letter = await ExchangeOutbox.findOne({ where: { deliveryId: d.id, kind: 'letter' }, transaction: t, lock: t.LOCK.UPDATE });
    if (!letter) return;
    // Never tried: it simply does not leave. Tried once, its response may have been lost after the
    // peer stored it, so the peer is told as well.
    const tried = letter.status === 'sent' || letter.attempts > 0;
    if (letter.status === 'queued' || letter.status === 'failed') await letter.update({ status: 'cancelled', lockedUntil: null }, { transaction: t });
    if (tried) await queueNotice(t, Number(letter.peerId), Number(d.id), { status: 'withdrawn', letterMessageId: letter.messageId, reason: note });
  }
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

async function succeeded(sequelize: Sequelize, row: ExchangeOutbox, attempts: number, awaitingPickup = false): Promise<void> {
  await writeTransaction(sequelize, async (t) => {
    await ExchangeOutbox.update({ status: 'sent', attempts, sentAt: new Date(), lockedUntil: null, lastError: null }, { where: { id: row.id }, transaction: t });
    if (row.kind !== 'letter') return;
    const d = await Delivery.findByPk(row.deliveryId, { transaction: t, lock: t.LOCK.UPDATE });
    if (awaitingPickup) {
      if (d?.status !== 'queued') return;
      await d.update({ status: 'sent' }, { transaction: t });
      await recordChange(t, d, 'sent', null, `รอระบบของผู้รับมารับจากคิวของเรา (waiting in our ECMS queue for the recipient's system to collect it, ${row.messageId})`, { messageId: row.messageId, attempts });
      return;
    }
    if (!d || !['queued', 'sent'].includes(d.status)) return; // withdrawn meanwhile (its notice follows), or already further on
    await d.update({ status: 'delivered', deliveredAt: new Date() }, { transaction: t });
    await recordChange(t, d, 'delivered', null, `the recipient's system acknowledged it (${row.messageId})`, { messageId: row.messageId, attempts });
  }, { ahead: true });
}

async function failed(sequelize: Sequelize, row: ExchangeOutbox, attempts: number, err: unknown, s: ExchangeSettings, log: (line: string) => void): Promise<void> {
  const reason = errorText(err);
  const giveUp = Date.now() - new Date(row.queuedAt).getTime() >= s.giveUpMs;
  if (!giveUp) {
    const wait = Math.min(s.backoffMs * 2 ** (attempts - 1), s.maxBackoffMs) * (0.8 + Math.random() * 0.4);
    await writeTransaction(sequelize, (t) => ExchangeOutbox.update({ attempts, lockedUntil: null, lastError: reason, nextAttemptAt: new Date(Date.now() + wait) }, { where: { id: row.id, status: 'queued' }, transaction: t }), { ahead: true });
    log(`exchange: ${row.kind} ${row.messageId} not delivered (attempt ${attempts}, next in ${Math.round(wait / 1000)} s): ${reason}`);
    return;
  }
  await writeTransaction(sequelize, async (t) => {
    await ExchangeOutbox.update({ status: 'failed', attempts, lockedUntil: null, lastError: reason }, { where: { id: row.id, status: 'queued' }, transaction: t });
    if (row.kind !== 'letter') return;
    const d = await Delivery.findByPk(row.deliveryId, { transaction: t, lock: t.LOCK.UPDATE });
    if (!d || d.status !== 'queued') return;
    const note = `ส่งไม่สำเร็จ (not delivered): ${reason}`.slice(0, 500);
    await d.update({ status: 'failed', reason: note }, { transaction: t });
    await recordChange(t, d, 'failed', null, note, { attempts, messageId: row.messageId });
  }, { ahead: true });
  log(`exchange: ${row.kind} ${row.messageId} given up after ${attempts} attempts: ${reason}`);
}

/**
 * Claims up to `n` due rows with a lease (another process, or this one, does not take them meanwhile),
 * with their peers. One write transaction: on SQLite it takes its turn with the others instead of
 * waiting for the write lock inside SQLite, which holds the shared connection meanwhile.
 */
async function claimDue(sequelize: Sequelize, s: ExchangeSettings, n: number): Promise<Array<{ row: ExchangeOutbox; peer: ExchangePeer | undefined }>> {
  const dueNow = () => {
    const now = new Date();
    return { status: 'queued', nextAttemptAt: { [Op.lte]: now }, [Op.or]: [{ lockedUntil: null }, { lockedUntil: { [Op.lt]: now } }] };
  };
  // A look first, without the write lock: most kicks (every commit) find nothing due.
  if (!(await ExchangeOutbox.findOne({ where: dueNow(), attributes: ['id'] }))) return [];
  const claimed = await writeTransaction(sequelize, async (t) => {
    const due = await ExchangeOutbox.findAll({ where: dueNow(), order: [['id', 'ASC']], limit: n, transaction: t, lock: t.LOCK.UPDATE });
    if (due.length) await ExchangeOutbox.update({ lockedUntil: new Date(Date.now() + s.leaseMs) }, { where: { id: { [Op.in]: due.map((r) => r.id) } }, transaction: t });
    return due;
  }, { ahead: true });
  if (!claimed.length) return [];
  const peers = new Map((await ExchangePeer.findAll({ where: { id: { [Op.in]: [...new Set(claimed.map((r) => Number(r.peerId)))] } } })).map((p) => [Number(p.id), p]));
  return claimed.map((row) => ({ row, peer: peers.get(Number(row.peerId)) }));
}

async function sendOne(ctx: AppContext, s: ExchangeSettings, row: ExchangeOutbox, peer: ExchangePeer | undefined, log: (line: string) => void): Promise<void> {
  const attempts = row.attempts + 1;
  try {
    if (!peer || !peer.active) throw new Error('the agency is no longer active in the directory');
    const driver = drivers.get(peer.transport);
    if (!driver) throw new Error(`no transport "${peer.transport}" in this deployment`);
    const outcome = await driver.deliver(ctx, row, peer);
    await succeeded(ctx.db.sequelize, row, attempts, Boolean(outcome?.awaitingPickup));
  } catch (err) {
    await failed(ctx.db.sequelize, row, attempts, err, s, log).catch((e) => log(`exchange: ${errorText(e)}`));
  }
}

export interface ExchangeWorker {
  /** Sends what is due now and waits until nothing is due or being sent. */
  run(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Up to `concurrency` lanes send at once. A lane that finishes a message takes the next due one
 * straight away (claimed a few at a time, one claim shared by the lanes that wait for it), so a
 * letter committed during a busy spell leaves as soon as a lane is free, not after a whole batch;
 * lanes end when nothing is due, and a commit or the poll timer starts them again.
 */
export function startExchangeWorker(ctx: AppContext, s: ExchangeSettings, log: (line: string) => void = () => {}): ExchangeWorker {
  const ready: Array<{ row: ExchangeOutbox; peer: ExchangePeer | undefined }> = [];
  let claiming: Promise<void> | null = null;
  let askedAgain = false;
  let moreDue = false; // the last claim took all it asked for: more rows may be due
  let lanes = 0;
  let sending = 0;
  let closed = false;
  const whenIdle: Array<() => void> = [];

  const claim = (): Promise<void> => {
    claiming ??= (async () => {
      do {
        askedAgain = false;
        try {
          // One row per waiting lane: a claimed row does not sit out its lease here.
          const want = Math.max(1, lanes - sending);
          const got = await claimDue(ctx.db.sequelize, s, want);
          ready.push(...got);
          moreDue = got.length === want;
        } catch (err) {
          log(`exchange: ${errorText(err)}`);
          moreDue = false; // the lanes end; the poll timer starts them again
          return;
        }
      } while (!ready.length && askedAgain && !closed);
    })().finally(() => {
      claiming = null;
    });
    return claiming;
  };
  const lane = async () => {
    for (;;) {
      if (!ready.length && !closed) await claim();
      const next = closed ? undefined : ready.shift();
      if (!next && moreDue && !closed) continue; // joined a claim sized before this lane waited
      if (!next) break;
      sending++;
      await sendOne(ctx, s, next.row, next.peer, log);
      sending--;
    }
    lanes--;
    if (lanes === 0) whenIdle.splice(0).forEach((resolve) => resolve());
  };
  const kick = () => {
    if (closed) return;
    if (claiming) askedAgain = true; // a commit after the claim's query: look once more
    while (lanes < s.concurrency) {
      lanes++;
      void lane();
    }
  };
  const idle = () => (lanes === 0 ? Promise.resolve() : new Promise<void>((resolve) => whenIdle.push(resolve)));

  const timer = setInterval(kick, s.pollMs);
  timer.unref();
  outboxSignal.on('committed', kick);
  kick();
  return {
    run: async () => {
      kick();
      await idle();
    },
    close: async () => {
      clearInterval(timer);
      outboxSignal.off('committed', kick);
      closed = true;
      await idle();
    },
  };
}

/** An administrator sends a failed (or waiting) message again now; a failed letter's delivery is queued again. */
export async function retryNow(sequelize: Sequelize, id: number): Promise<ExchangeOutbox> {
  return writeTransaction(sequelize, async (t) => {
    const row = await ExchangeOutbox.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE });
    if (!row) throw notFound('Outbox message');
    if (!['failed', 'queued'].includes(row.status)) throw conflict(`The message is ${row.status}: nothing to retry.`, { status: row.status });
    const now = new Date();
    if (row.kind === 'letter') {
      const d = (await Delivery.findByPk(row.deliveryId, { transaction: t, lock: t.LOCK.UPDATE }))!;
      if (!['failed', 'queued'].includes(d.status)) throw conflict(`The letter's delivery is ${d.status}: nothing to retry.`, { status: d.status });
      const again = await Delivery.findOne({ where: { previousDeliveryId: d.id }, transaction: t });
      if (again) throw conflict(`The letter was already resent (delivery ${again.id}).`, { deliveryId: Number(again.id) });
      if (d.status === 'failed') {
        await d.update({ status: 'queued', reason: null }, { transaction: t });
        await recordChange(t, d, 'queued', null, 'retried by an administrator', { messageId: row.messageId });
      }
    }
    await row.update({ status: 'queued', queuedAt: now, nextAttemptAt: now, lockedUntil: null }, { transaction: t });
    return row;
  });
}

/** The sender-side facts of the letters' outbox rows, for the deliveries' presenter. */
export async function outboxOf(deliveryIds: number[]): Promise<Map<number, ExchangeOutbox>> {
  if (!deliveryIds.length) return new Map();
  const rows = await ExchangeOutbox.findAll({ where: { deliveryId: { [Op.in]: deliveryIds }, kind: 'letter' } });
  return new Map(rows.map((r) => [Number(r.deliveryId), r]));
}

export async function presentOutbox(rows: ExchangeOutbox[]) {
  const peers = new Map((await ExchangePeer.findAll({ where: { id: { [Op.in]: [...new Set(rows.map((r) => Number(r.peerId)))] } }, attributes: ['id', 'nameTh', 'agencyCode'] })).map((p) => [Number(p.id), p]));
  const deliveries = new Map((await Delivery.findAll({ where: { id: { [Op.in]: rows.map((r) => Number(r.deliveryId)) } }, attributes: ['id', 'documentId', 'status'] })).map((d) => [Number(d.id), d]));
  const docs = new Map((await Document.findAll({ where: { id: { [Op.in]: [...deliveries.values()].map((d) => Number(d.documentId)) } }, attributes: ['id', 'letterNumber', 'organisationId'] })).map((d) => [Number(d.id), d]));
  const orgs = new Map((await Organisation.findAll({ attributes: ['id', 'nameTh'], where: { id: { [Op.in]: [...docs.values()].map((d) => Number(d.organisationId)) } } })).map((o) => [Number(o.id), o]));
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return rows.map((r) => {
    const d = deliveries.get(Number(r.deliveryId));
    const doc = d ? docs.get(Number(d.documentId)) : undefined;
    return {
      id: Number(r.id), messageId: r.messageId, kind: r.kind, status: r.status, attempts: r.attempts, queuedAt: iso(r.queuedAt)!, nextAttemptAt: r.status === 'queued' ? iso(r.nextAttemptAt) : null,
      lastError: r.lastError ?? null, sentAt: iso(r.sentAt), deliveryId: Number(r.deliveryId), deliveryStatus: d?.status ?? null, letterNumber: doc?.letterNumber ?? null,
      organisation: doc ? orgs.get(Number(doc.organisationId))?.nameTh ?? null : null, peer: { id: Number(r.peerId), nameTh: peers.get(Number(r.peerId))?.nameTh ?? null, agencyCode: peers.get(Number(r.peerId))?.agencyCode ?? null },
    };
  });
}
