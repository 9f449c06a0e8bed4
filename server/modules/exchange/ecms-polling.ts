// Polling the ECMS nodes that keep letters for us (directory entries of transport ecms in mode poll).
// Every server process runs the loop, and like the outbox's rows a node is leased (a conditional
// update of exchange_peers.pollLockedUntil), so one process at a time reads a node's queue; one that
// dies lets go when its lease ends. For each item: fetchNext (the node's signed answer verified with
// the node's certificate, the letter's GovernmentSignature with its sender's, the recipient checked)
// → the item's ProcessID claimed in the replay store → createArrival (or the notifier applied), committed
// → only then deleteQueued. An item that can never be stored as it is (its letter's signature fails,
// its sender is not in the directory, it is for an organisation not here, malformed: a 4xx) is set
// aside: kept whole in ecms_set_aside_items, listed for administrators, and only then deleted from
// the node, so it cannot block the letters behind it (a node hands out its queue's head only). An
// administrator may try a set-aside letter again. Any other failure (the node, our database) leaves
// the item on the node for the next poll; an item already stored (its deletion failed) is only
// deleted again.
import { Op } from 'sequelize';
import { EcmsSetAsideItem, ExchangePeer, Organisation } from '../../db/models';
import { conflict, notFound, unprocessable } from '../../lib/errors';
import type { AppContext } from '../../context';
import { rounds } from '../notify/rounds';
import { QueuedItemRefused, type EcmsClient, type Fetched } from './ecms/client';
import type { EcmsSettings } from './ecms/config';
import { DbReplayStore } from './ecms/db-stores';
import { SignatureError } from './ecms/dsig';
import { XmlError } from './ecms/xml';
import { EcmsHandlerError, type EcmsHandlers } from './ecms/types';
import { asEcmsPeer, clientFor, directoryEntry, giveUpUncollected, handlers, identityAs, receivesHere, recordRefusal } from './ecms-transport';

/** How long a process keeps a node to itself (a round takes far less; a dead process lets go after this). */
const LEASE_MS = 10 * 60_000;
/** How long a stored item's ProcessID is remembered (the node deletes it long before). */
const KEEP_MS = 30 * 24 * 3_600_000;
const replay = new DbReplayStore();
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

/** The last refusal recorded per node: an item that stays at the head of a queue is listed once, not at every poll. */
const lastRefusal = new Map<number, string>();

const refusalOf = (err: unknown): [number, string] => (err instanceof EcmsHandlerError ? [err.status, err.code]
  : err instanceof SignatureError ? [403, 'bad_signature']
    : err instanceof XmlError ? [400, 'malformed'] : [0, '']);

/**
 * An item we refuse is recorded for the administrators like a refused request (reason
 * ecms_poll_<code>). The node refusing us, or not answering, is only logged: it is not an inbound request.
 */
async function refused(node: ExchangePeer, err: unknown, processId?: string, note = ''): Promise<boolean> {
  const [status, code] = refusalOf(err);
  if (!status) return false;
  const seen = `${code}|${processId ?? ''}|${errorText(err)}`;
  if (lastRefusal.get(Number(node.id)) === seen) return true;
  lastRefusal.set(Number(node.id), seen);
  await recordRefusal({ at: new Date(), status, code: `poll_${code}`, reason: `${node.nameTh}: ${errorText(err)}${note}`, claimedPeer: node.ecmsOrganisationId ?? undefined, messageId: processId, bytes: 0 });
  return true;
}

/** Keeps an item that can never be stored as it is, and lists it; the caller then deletes it from the node. */
async function setAside(node: ExchangePeer, item: { processId: string; kind: 'letter' | 'notifier'; claimedSender: string | null; content: string }, err: unknown): Promise<void> {
  const [, code] = refusalOf(err);
  const [kept] = await EcmsSetAsideItem.findOrCreate({
    where: { nodeId: node.id, processId: item.processId.slice(0, 255) },
    defaults: { nodeId: node.id, processId: item.processId.slice(0, 255), kind: item.kind, claimedSender: item.claimedSender?.slice(0, 64) ?? null, reason: code || 'refused', detail: errorText(err), contentXml: item.content, bytes: Buffer.byteLength(item.content), status: 'held' },
  });
  await refused(node, err, item.processId, ` — กันไว้ที่นี่ (set aside here as item ${kept.id}) and removed from the node's queue`);
}

/** 4xx from our own checks: the item itself is wrong or not yet trusted, and waiting on the node does not help. */
const itemLevel = (err: unknown) => refusalOf(err)[0] >= 400 && refusalOf(err)[0] < 500;

async function store(h: EcmsHandlers, node: ExchangePeer, item: Fetched): Promise<void> {
  const origin = { messageId: `${node.ecmsOrganisationId}/${item.processId}`.slice(0, 1000), receivedAt: new Date() };
  if (item.payload.type === 'notifier') {
    await h.onNotifier(item.payload.notifier, { ...origin, peer: asEcmsPeer(node)! });
    return;
  }
  // A node relays letters from others: the arrival is the sender's, whose certificate verified it.
  const sender = await directoryEntry(item.payload.letter.sender.departmentId);
  const peer = sender && asEcmsPeer(sender);
  if (!peer) throw new EcmsHandlerError(403, 'unknown_peer', 'The letter\'s sender is not in the directory.');
  await h.onLetterArrived({ letter: item.payload.letter, signedDocument: item.payload.signedDocument }, { ...origin, peer });
}

function nodeClient(settings: EcmsSettings, node: ExchangePeer, as = settings.organisationId!): Promise<EcmsClient> {
  const target = asEcmsPeer(node);
  if (!target) throw new Error('the directory entry has no ECMS organisation id, endpoint or certificate');
  return identityAs(as).then((identity) => clientFor(identity, node, target, {
    use: 'poll', receives: receivesHere,
    resolveSender: async (id) => {
      const p = await directoryEntry(id);
      return p ? asEcmsPeer(p) : null;
    },
  }));
}

/**
 * The ECMS ids a node keeps queues for here: ECMS_ORGANISATION_ID and every active organisation's
 * interchange id (a ministry's central and provincial offices each have their own; a node serves
 * each its own queue, asked as that organisation).
 */
async function ourEcmsIds(settings: EcmsSettings): Promise<string[]> {
  const orgs = await Organisation.findAll({ where: { active: true, interchangeId: { [Op.ne]: null } }, attributes: ['interchangeId'], order: [['id', 'ASC']] });
  return [...new Set([settings.organisationId!, ...orgs.map((o) => String(o.interchangeId)).filter((id) => /^\d{1,10}$/.test(id))])];
}

/**
 * Takes up to `settings.pollBatch` items from one node's queue for each of our ECMS ids; returns the
 * most taken from one queue. A queue that fails (the node refuses that id, an item stays) does not
 * keep the others from being read.
 */
async function drain(settings: EcmsSettings, h: EcmsHandlers, node: ExchangePeer, ids: string[], log: (line: string) => void): Promise<number> {
  let taken = 0;
  for (const as of ids) {
    try {
      taken = Math.max(taken, await drainAs(settings, h, node, await nodeClient(settings, node, as)));
    } catch (err) {
      log(`ecms: polling ${node.nameTh} (${node.ecmsOrganisationId}) as ${as} stopped, the item stays queued there for the next poll: ${errorText(err)}`);
    }
  }
  return taken;
}

async function drainAs(settings: EcmsSettings, h: EcmsHandlers, node: ExchangePeer, client: EcmsClient): Promise<number> {
  const queueOf = node.ecmsOrganisationId!;
  for (let taken = 0; taken < settings.pollBatch; taken++) {
    let item: Fetched | null;
    try {
      item = await client.fetchNext();
    } catch (err) {
      if (err instanceof QueuedItemRefused) {
        await setAside(node, err, err.refusal);
        await client.deleteQueued(err.processId);
        continue;
      }
      await refused(node, err);
      throw err;
    }
    if (!item) return taken;
    const key = `poll:${item.processId}`;
    const claim = await replay.claim(queueOf, key, new Date(Date.now() + LEASE_MS));
    if (claim === 'in_progress') return taken;
    if (claim === 'claimed') {
      try {
        await store(h, node, item);
      } catch (err) {
        await replay.release(queueOf, key);
        if (!itemLevel(err)) {
          await refused(node, err, item.processId);
          throw err;
        }
        const p = item.payload;
        await setAside(node, p.type === 'letter'
          ? { processId: item.processId, kind: 'letter', claimedSender: p.letter.sender.departmentId, content: p.signedDocument.toString('utf8') }
          : { processId: item.processId, kind: 'notifier', claimedSender: node.ecmsOrganisationId, content: JSON.stringify(p.notifier) }, err);
        await client.deleteQueued(item.processId);
        continue;
      }
      await replay.complete(queueOf, key, new Date(Date.now() + KEEP_MS));
    }
    // Stored now or before (a deletion that failed): only now does it leave the node.
    await client.deleteQueued(item.processId);
  }
  return settings.pollBatch;
}

/** An item as administrators see it (never its content). */
export function presentSetAside(x: Omit<EcmsSetAsideItem, 'contentXml'>) {
  return {
    id: Number(x.id), nodeId: Number(x.nodeId), processId: x.processId, kind: x.kind, claimedSender: x.claimedSender ?? null, reason: x.reason, detail: x.detail ?? null,
    status: x.status, bytes: x.bytes, at: new Date(x.createdAt).toISOString(), updatedAt: new Date(x.updatedAt).toISOString(),
  };
}

/**
 * An administrator tries a set-aside letter again, e.g. after adding its sender to the directory:
 * verified afresh with the directory as it is now, then stored like a polled item (once: the same
 * replay key). A notifier is not tried again (the letter it speaks of is not here). 409 when already
 * stored, 422 with the reason when it still cannot be stored.
 */
export async function retrySetAside(ctx: AppContext, settings: EcmsSettings, id: number): Promise<EcmsSetAsideItem> {
  const x = await EcmsSetAsideItem.findByPk(id);
  if (!x) throw notFound('Set-aside item');
  if (x.status === 'stored') throw conflict('รายการนี้รับเข้าแล้ว (The item was already stored.)', { status: x.status });
  if (x.kind !== 'letter' || !x.claimedSender) throw conflict('ลองรับใหม่ได้เฉพาะหนังสือ (Only a letter is tried again; a notifier speaks of a letter that is not here.)', { kind: x.kind });
  const node = await ExchangePeer.findByPk(x.nodeId);
  if (!node) throw conflict('ตัวกลาง ECMS ที่ส่งรายการนี้ไม่อยู่ในทะเบียนแล้ว (The node that served the item is no longer in the directory.)');
  const client = await nodeClient(settings, node);
  const document = Buffer.from(x.contentXml, 'utf8');
  const queueOf = node.ecmsOrganisationId!;
  const key = `poll:${x.processId}`;
  try {
    const letter = await client.openQueuedLetter(document, x.claimedSender);
    const claim = await replay.claim(queueOf, key, new Date(Date.now() + LEASE_MS));
    if (claim === 'in_progress') throw conflict('รายการนี้กำลังรับเข้าอยู่ (The item is being stored now.)');
    if (claim === 'claimed') {
      try {
        await store(handlers(ctx), node, { processId: x.processId, payload: { type: 'letter', letter, signedDocument: document } });
      } catch (err) {
        await replay.release(queueOf, key);
        throw err;
      }
      await replay.complete(queueOf, key, new Date(Date.now() + KEEP_MS));
    }
  } catch (err) {
    if (!itemLevel(err)) throw err;
    const reason = refusalOf(err)[1];
    await x.update({ reason, detail: errorText(err) });
    throw unprocessable(`ยังรับเข้าไม่ได้: ${errorText(err)} — still cannot be stored`, [{ field: 'id', message: reason }]);
  }
  await x.update({ status: 'stored' });
  return x;
}

/** One round over the nodes this process can lease; returns the items taken. */
export async function pollNodes(ctx: AppContext, settings: EcmsSettings, log: (line: string) => void, h = handlers(ctx)): Promise<number> {
  const nodes = await ExchangePeer.findAll({ where: { transport: 'ecms', ecmsMode: 'poll', active: true }, order: [['id', 'ASC']] });
  if (!nodes.length) return 0;
  const ids = await ourEcmsIds(settings);
  let taken = 0;
  for (const node of nodes) {
    const now = new Date();
    const [leased] = await ExchangePeer.update({ pollLockedUntil: new Date(now.getTime() + LEASE_MS) }, {
      where: { id: node.id, [Op.or]: [{ pollLockedUntil: null }, { pollLockedUntil: { [Op.lt]: now } }] }, silent: true,
    });
    if (leased !== 1) continue; // another process reads this node now
    try {
      taken += await drain(settings, h, node, ids, log);
    } catch (err) {
      log(`ecms: polling ${node.nameTh} (${node.ecmsOrganisationId}) stopped: ${errorText(err)}`);
    } finally {
      await ExchangePeer.update({ pollLockedUntil: null }, { where: { id: node.id }, silent: true });
    }
  }
  return taken;
}

export interface EcmsPolling {
  run(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every ECMS_POLL_SECONDS (and at start), in every process; the leases decide who reads which node.
 * Each round also gives up the letters a pickup peer left in our queue past EXCHANGE_GIVE_UP_MINUTES.
 */
export function startEcmsPolling(ctx: AppContext, settings: EcmsSettings, log: (line: string) => void = () => {}): EcmsPolling {
  const h = handlers(ctx);
  const work = rounds(async () => {
    while ((await pollNodes(ctx, settings, log, h)) >= settings.pollBatch) {
      // a full batch: more may be waiting
    }
    // Our own queue: letters a pickup peer never collected become not delivered.
    await giveUpUncollected(ctx, ctx.config.exchange.giveUpMs, log);
  }, (err) => log(`ecms: polling: ${errorText(err)}`));
  const timer = setInterval(() => void work.kick(), settings.pollMs);
  timer.unref();
  void work.kick();
  return {
    run: work.flush,
    close: async () => {
      clearInterval(timer);
      await work.close();
    },
  };
}
