// Polling the ECMS nodes that keep letters for us (directory entries of transport ecms in mode poll).
// Every server process runs the loop, and like the outbox's rows a node is leased (a conditional
// update of exchange_peers.pollLockedUntil), so one process at a time reads a node's queue; one that
// dies lets go when its lease ends. For each item: fetchNext (the node's signed answer verified with
// the node's certificate, the letter's GovernmentSignature with its sender's, the recipient checked)
// → the item's ProcessID claimed in the replay store → createArrival (or the notifier applied), committed
// → only then deleteQueued. Any failure leaves the item on the node for the next poll; an item already
// stored (its deletion failed) is only deleted again.
import { Op } from 'sequelize';
import { ExchangePeer } from '../../db/models';
import type { AppContext } from '../../context';
import { rounds } from '../notify/rounds';
import type { Fetched } from './ecms/client';
import type { EcmsSettings } from './ecms/config';
import { DbReplayStore } from './ecms/db-stores';
import { SignatureError } from './ecms/dsig';
import { XmlError } from './ecms/xml';
import { EcmsHandlerError, type EcmsHandlers } from './ecms/types';
import { asEcmsPeer, clientFor, directoryEntry, handlers, identityAs, receivesHere, recordRefusal } from './ecms-transport';

/** How long a process keeps a node to itself (a round takes far less; a dead process lets go after this). */
const LEASE_MS = 10 * 60_000;
/** How long a stored item's ProcessID is remembered (the node deletes it long before). */
const KEEP_MS = 30 * 24 * 3_600_000;
const replay = new DbReplayStore();
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

/** The last refusal recorded per node: an item that stays at the head of a queue is listed once, not at every poll. */
const lastRefusal = new Map<number, string>();

/**
 * An item we refuse is recorded for the administrators like a refused request (reason
 * ecms_poll_<code>). The node refusing us, or not answering, is only logged: it is not an inbound request.
 */
async function refused(node: ExchangePeer, err: unknown, processId?: string): Promise<boolean> {
  const [status, code] = err instanceof EcmsHandlerError ? [err.status, err.code]
    : err instanceof SignatureError ? [403, 'bad_signature']
      : err instanceof XmlError ? [400, 'malformed'] : [0, ''];
  if (!status) return false;
  const seen = `${code}|${processId ?? ''}|${errorText(err)}`;
  if (lastRefusal.get(Number(node.id)) === seen) return true;
  lastRefusal.set(Number(node.id), seen);
  await recordRefusal({ at: new Date(), status, code: `poll_${code}`, reason: `${node.nameTh}: ${errorText(err)}`, claimedPeer: node.ecmsOrganisationId ?? undefined, messageId: processId, bytes: 0 });
  return true;
}

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

/** Takes up to `settings.pollBatch` items from one node's queue; returns how many were stored or found stored. */
async function drain(ctx: AppContext, settings: EcmsSettings, h: EcmsHandlers, node: ExchangePeer): Promise<number> {
  const target = asEcmsPeer(node);
  if (!target) throw new Error('the directory entry has no ECMS organisation id, endpoint or certificate');
  const client = clientFor(await identityAs(settings.organisationId!), node, target, {
    use: 'poll', receives: receivesHere,
    resolveSender: async (id) => {
      const p = await directoryEntry(id);
      return p ? asEcmsPeer(p) : null;
    },
  });
  const queueOf = node.ecmsOrganisationId!;
  for (let taken = 0; taken < settings.pollBatch; taken++) {
    let item: Fetched | null;
    try {
      item = await client.fetchNext();
    } catch (err) {
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
        await refused(node, err, item.processId);
        throw err;
      }
      await replay.complete(queueOf, key, new Date(Date.now() + KEEP_MS));
    }
    // Stored now or before (a deletion that failed): only now does it leave the node.
    await client.deleteQueued(item.processId);
  }
  return settings.pollBatch;
}

/** One round over the nodes this process can lease; returns the items taken. */
export async function pollNodes(ctx: AppContext, settings: EcmsSettings, log: (line: string) => void, h = handlers(ctx)): Promise<number> {
  const nodes = await ExchangePeer.findAll({ where: { transport: 'ecms', ecmsMode: 'poll', active: true }, order: [['id', 'ASC']] });
  let taken = 0;
  for (const node of nodes) {
    const now = new Date();
    const [leased] = await ExchangePeer.update({ pollLockedUntil: new Date(now.getTime() + LEASE_MS) }, {
      where: { id: node.id, [Op.or]: [{ pollLockedUntil: null }, { pollLockedUntil: { [Op.lt]: now } }] }, silent: true,
    });
    if (leased !== 1) continue; // another process reads this node now
    try {
      taken += await drain(ctx, settings, h, node);
    } catch (err) {
      log(`ecms: polling ${node.nameTh} (${node.ecmsOrganisationId}) stopped, the item stays queued there for the next poll: ${errorText(err)}`);
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

/** Every ECMS_POLL_SECONDS (and at start), in every process; the leases decide who reads which node. */
export function startEcmsPolling(ctx: AppContext, settings: EcmsSettings, log: (line: string) => void = () => {}): EcmsPolling {
  const h = handlers(ctx);
  const work = rounds(async () => {
    while ((await pollNodes(ctx, settings, log, h)) >= settings.pollBatch) {
      // a full batch: more may be waiting
    }
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
