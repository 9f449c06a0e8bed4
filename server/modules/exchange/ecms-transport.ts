// The ECMS adapter (ecms/) wired into the exchange: what arrives over ECMS becomes an arrival in the
// tray through the same createArrival as the native inbox, notifiers and withdrawals change the same
// statuses (arrival.ts), and the exchange outbox carries letters and notifiers to ECMS peers.
//
// Which organisation here owns an ECMS department id: the organisation whose `interchangeId` is that
// id (the column administrators already fill, unique, exported in introductions). A ministry deployment
// serves one endpoint for all its organisations: a letter lands in the tray of the organisation its
// ReceiverParty names; an organisation without an id of its own sends as its nearest ancestor with one
// (a provincial office as its department), and ECMS_ORGANISATION_ID is the last resort.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Op, Transaction } from 'sequelize';
import { Attachment, Delivery, Document, EcmsPickupItem, ExchangeInbound, ExchangeOutbox, ExchangePeer, ExchangeRefusal, OPEN_DELIVERY_STATUSES, Organisation } from '../../db/models';
import { writeTransaction } from '../../lib/transaction';
import type { AppContext } from '../../context';
import { recordChange } from '../deliveries/service';
import { blobPath } from '../attachments/storage';
import { getExchangeIdentity } from './identity';
import { registerTransport } from './outbox';
import type { NoticeBody } from './payload';
import { applyReceipt, createArrival, discardFiles, stageFiles, withdrawArrival } from './arrival';
import { EcmsClient, EcmsRefused, type EcmsClientOptions } from './ecms/client';
import type { EcmsSettings } from './ecms/config';
import { DbPickupQueue, DbReplayStore } from './ecms/db-stores';
import { messageTime, newMessageId } from './ecms/envelope';
import { signDocumentOffThread } from './ecms/pool';
import * as m from './ecms/messages';
import type { EcmsServerOptions } from './ecms/server';
import { EcmsHandlerError, type ArrivedLetter, type EcmsHandlers, type EcmsIdentity, type EcmsOrigin, type EcmsPeer, type RefusalRecord } from './ecms/types';

const ECMS_ID = /^\d{1,10}$/;
const ecmsId = (v: string | null | undefined) => (v && ECMS_ID.test(v) ? v : null);

/** The organisation and its ancestors, nearest first. */
async function lineage(organisationId: number, t?: Transaction): Promise<Organisation[]> {
  const out: Organisation[] = [];
  for (let id: number | null = organisationId; id && out.length < 10;) {
    const o: Organisation | null = await Organisation.findByPk(id, { transaction: t });
    if (!o) break;
    out.push(o);
    id = o.parentId ? Number(o.parentId) : null;
  }
  return out;
}

/** The ECMS department and ministry ids an organisation here speaks as. */
async function partyOf(organisationId: number, fallback: string, t?: Transaction): Promise<{ departmentId: string; ministryId: string }> {
  const line = await lineage(organisationId, t);
  const departmentId = line.map((o) => ecmsId(o.interchangeId)).find(Boolean) ?? fallback;
  const ministryId = line.filter((o) => o.kind === 'ministry').map((o) => ecmsId(o.interchangeId)).find(Boolean) ?? departmentId;
  return { departmentId, ministryId };
}

let signingKey: { sha: string; pem: string } | null = null;
/** The deployment's exchange key (the one the native transport signs with), as ECMS wants it; a replaced key is picked up within identity.ts's cache time. */
export async function identityAs(ecmsOrganisationId: string): Promise<EcmsIdentity> {
  const keys = await getExchangeIdentity();
  if (signingKey?.sha !== keys.certificateSha256) signingKey = { sha: keys.certificateSha256, pem: keys.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string };
  return { ecmsOrganisationId, privateKeyPem: signingKey.pem, certificatePem: keys.certificatePem };
}

/** What the ECMS core needs of a directory entry; a peer that polls us (pickup) has no endpoint, and needs none. */
export const asEcmsPeer = (p: ExchangePeer): EcmsPeer | null =>
  (p.ecmsOrganisationId && (p.endpointUrl || p.ecmsMode === 'pickup') && p.certificatePem ? { ecmsOrganisationId: p.ecmsOrganisationId, endpointUrl: p.endpointUrl ?? '', certificatePem: p.certificatePem } : null);

export const directoryEntry = (ecmsOrganisationId: string) => ExchangePeer.findOne({ where: { transport: 'ecms', ecmsOrganisationId, active: true }, order: [['id', 'ASC']] });

async function senderOf(origin: EcmsOrigin): Promise<ExchangePeer> {
  const peer = await directoryEntry(origin.peer.ecmsOrganisationId);
  if (!peer) throw new EcmsHandlerError(403, 'unknown_peer', 'The sending organisation left the directory.');
  return peer;
}

/** Exactly once per sender department + letter number + date (what ECMS identifies a letter by). */
export const ecmsLetterKey = (senderDepartmentId: string, letterNumber: string, date: string) =>
  `ecms:${crypto.createHash('sha256').update(`${senderDepartmentId}\n${letterNumber}\n${date}`).digest('hex').slice(0, 48)}`;

/**
 * A letter whose earlier arrival under the same key was rejected, returned or withdrawn is a resend:
 * the earlier one keeps its record under another key, and the resend lands anew.
 */
async function freeClosedKey(t: Transaction, peer: ExchangePeer, key: string): Promise<void> {
  const earlier = await ExchangeInbound.findOne({ where: { peerId: peer.id, messageId: key }, transaction: t, lock: t.LOCK.UPDATE });
  if (!earlier?.deliveryId) return;
  const d = await Delivery.findByPk(earlier.deliveryId, { transaction: t });
  if (d && ['rejected', 'returned', 'withdrawn'].includes(d.status)) await earlier.update({ messageId: `${key}#${earlier.id}` }, { transaction: t });
}

export function handlers(ctx: AppContext): EcmsHandlers {
  const seq = ctx.db.sequelize;
  return {
    async onLetterArrived({ letter: L, signedDocument }: ArrivedLetter, origin: EcmsOrigin) {
      const peer = await senderOf(origin);
      const org = await Organisation.findOne({ where: { interchangeId: L.receiver.departmentId, active: true } });
      if (!org) throw new EcmsHandlerError(403, 'not_for_us', 'The letter is addressed to another organisation.');
      const key = ecmsLetterKey(L.sender.departmentId, L.letterNumber, L.correspondenceDate);
      const files = await stageFiles(ctx.config.dataDir, [
        { role: 'main', filename: L.mainLetter.fileName ?? 'หนังสือ', mime: L.mainLetter.mimeCode, content: L.mainLetter.content },
        ...L.attachments.map((a, i) => ({ role: 'enclosure' as const, filename: a.fileName ?? `สิ่งที่ส่งมาด้วย-${i + 1}`, mime: a.mimeCode, content: a.content })),
        // The signed GovernmentDocument as it came: proof of who sent what, verifiable by anyone with the sender's certificate.
        { role: 'enclosure', filename: 'ECMS-GovernmentDocument-signed.xml', mime: 'application/xml', content: signedDocument },
      ]);
      try {
        const done = await writeTransaction(seq, async (t) => {
          await freeClosedKey(t, peer, key);
          return createArrival(t, ctx.config.dataDir, {
            organisation: org, peer, key, letterMessageId: key, ack: origin.messageId.slice(0, 1000),
            letter: {
              type: 'external', urgency: m.SPEED_CODES[L.speedCode], secrecy: m.SECRET_CODES[L.secretCode], letterNumber: L.letterNumber, letterDate: L.correspondenceDate,
              subject: L.subject.slice(0, 500), senderName: peer.nameTh, signerName: [L.sender.givenName, L.sender.familyName].filter(Boolean).join(' ').slice(0, 255) || null,
              signerPosition: L.sender.jobTitle?.slice(0, 255) ?? null, references: L.references.length ? L.references.map((r) => ({ owner: (r.subject ?? '').slice(0, 255), number: r.letterNumber, date: r.date })) : null,
              enclosures: L.enclosureText ? [L.enclosureText.slice(0, 500)] : null, role: 'to', sendDate: new Date(L.sendDate).toISOString(),
            },
            received: { fromAgency: peer.agencyCode, ecmsOrganisationId: L.sender.departmentId, messageId: origin.messageId, letter: { ...L, mainLetter: undefined, attachments: undefined } },
            files, receipt: { status: 'delivered' },
          });
        });
        return { processId: `saraban-${done.deliveryId}` };
      } finally {
        await discardFiles(files);
      }
    },

    async onNotifier(n, origin) {
      const peer = await senderOf(origin);
      return writeTransaction(seq, async (t) => {
        // A letter without a date of its own travelled with its send date.
        const docs = (await Document.findAll({ where: { letterNumber: n.letterNumber }, attributes: ['id', 'letterDate'], transaction: t })).filter((x) => !x.letterDate || x.letterDate === n.correspondenceDate);
        // Any directory entry of that ECMS organisation (one may reach it directly, another through its node).
        const entries = (await ExchangePeer.findAll({ where: { transport: 'ecms', ecmsOrganisationId: origin.peer.ecmsOrganisationId }, attributes: ['id'], transaction: t })).map((p) => String(p.id));
        const d = docs.length ? await Delivery.findOne({ where: { documentId: { [Op.in]: docs.map((x) => x.id) }, recipientKind: 'agency', recipientAgencyId: { [Op.in]: entries } }, order: [['id', 'DESC']], transaction: t, lock: t.LOCK.UPDATE }) : null;
        if (!d) throw new EcmsHandlerError(404, 'unknown_letter', 'No letter with that number and date was sent to this organisation.');
        if (n.kind === 'invalidAcceptId') {
          await recordChange(t, d, d.status, null, `${peer.nameTh}: เลขรับไม่ถูกต้อง (${n.acceptId ?? ''}) ${n.reason ?? ''}`.trim().slice(0, 500), { fromAgency: peer.agencyCode, acceptId: n.acceptId ?? null });
        } else {
          const accepted = n.kind === 'accept' ? /^(\d{1,9})(?:\/(\d{4}))?$/.exec(n.acceptId ?? '') : null;
          const status = ({ receive: 'delivered', accept: 'received', reject: 'rejected', invalid: 'returned' } as const)[n.kind];
          await applyReceipt(t, peer, d, { status, receiveNumber: accepted ? Number(accepted[1]) : null, receiveYear: accepted?.[2] ? Number(accepted[2]) : null, reason: n.reason?.slice(0, 500) ?? null });
        }
        return { processId: `saraban-${d.id}-${n.kind}`, answeredBy: (await partyOf(Number(d.senderOrganisationId), '', t)).departmentId || undefined };
      });
    },

    async onWithdraw(w, origin) {
      const peer = await senderOf(origin);
      return writeTransaction(seq, async (t) => {
        const inbound = await ExchangeInbound.findOne({ where: { peerId: peer.id, messageId: ecmsLetterKey(w.senderDepartmentId, w.letterNumber, w.correspondenceDate), kind: 'letter' }, transaction: t });
        const d = inbound?.deliveryId ? await Delivery.findByPk(inbound.deliveryId, { transaction: t, lock: t.LOCK.UPDATE }) : null;
        if (!d) return false;
        const holder = await Organisation.findByPk(d.recipientOrganisationId!, { transaction: t });
        if (holder?.interchangeId !== w.receiverDepartmentId) throw new EcmsHandlerError(422, 'wrong_recipient', 'The withdrawal names another organisation than the letter\'s recipient.');
        if (!OPEN_DELIVERY_STATUSES.includes(d.status)) return d.status === 'withdrawn';
        await withdrawArrival(t, peer, d, null);
        return true;
      });
    },

    async organisations({ ministriesOnly, ministryId }) {
      const own = await Organisation.findAll({ where: { active: true, interchangeId: { [Op.ne]: null }, ...(ministriesOnly ? { kind: 'ministry' } : {}) } });
      const out: m.EcmsOrganisation[] = [];
      for (const o of own.filter((x) => ecmsId(x.interchangeId))) {
        const party = await partyOf(Number(o.id), o.interchangeId!);
        out.push({ id: o.interchangeId!, thaiName: o.nameTh, englishName: o.nameEn ?? undefined, ministryId: party.ministryId });
      }
      if (!ministriesOnly) {
        for (const p of await ExchangePeer.findAll({ where: { transport: 'ecms', active: true } })) {
          if (ecmsId(p.ecmsOrganisationId)) out.push({ id: p.ecmsOrganisationId!, thaiName: p.nameTh, englishName: p.nameEn ?? undefined, ministryId: ecmsId(p.ministryCode) ?? undefined, ecmsUrl: p.endpointUrl ?? undefined });
        }
      }
      return ministryId ? out.filter((o) => o.ministryId === ministryId) : out;
    },
  };
}

// ---- outgoing: the exchange outbox's driver for directory entries with transport ecms ------------

const clients = new Map<string, EcmsClient>();
/** node-soap reads the WSDL once per client: keep one per (identity, peer, use) while they stay the same. */
export function clientFor(identity: EcmsIdentity, peer: ExchangePeer, p: EcmsPeer, options?: { use: string } & EcmsClientOptions): EcmsClient {
  const key = [options?.use ?? 'send', identity.ecmsOrganisationId, signingKey?.sha, peer.id, p.endpointUrl, peer.certificateSha256].join('|');
  let c = clients.get(key);
  if (!c) {
    if (clients.size > 200) clients.clear();
    c = new EcmsClient(identity, p, options);
    clients.set(key, c);
  }
  return c;
}

/** Whether a ReceiverParty department is an organisation here. */
export const receivesHere = async (departmentId: string) => (await Organisation.count({ where: { interchangeId: departmentId, active: true } })) > 0;

/**
 * The MessageID of a row stays the same across retries, so the peer answers a repeat with
 * duplicate_message (= delivered), while it is still fresh for the peer's clock-skew window; an older
 * one is replaced (the peer would refuse it as stale), and the peer's idempotency per letter holds.
 */
async function messageIdOf(row: ExchangeOutbox, from: string, freshMs: number): Promise<string> {
  const at = messageTime(row.messageId);
  if (at && Date.now() - at.getTime() < freshMs) return row.messageId;
  const messageId = newMessageId(from);
  await ExchangeOutbox.update({ messageId }, { where: { id: row.id } });
  row.messageId = messageId;
  return messageId;
}

async function letterOf(ctx: AppContext, d: Delivery, doc: Document, me: { departmentId: string; ministryId: string }, peer: ExchangePeer): Promise<m.EcmsLetter> {
  const files = await Attachment.findAll({ where: { documentId: doc.id }, order: [['role', 'DESC'], ['id', 'ASC']] });
  const read = async (f: Attachment): Promise<m.EcmsFile> => {
    if (!(f.mime in m.MIME_CODES)) throw new Error(`${f.filename} is ${f.mime}, which is not in the ECMS MIME code list`);
    return { mimeCode: f.mime, fileName: f.filename, content: await fs.promises.readFile(blobPath(ctx.config.dataDir, f.sha256)) };
  };
  const [main, ...rest] = files;
  if (!main || main.role !== 'main') throw new Error('the letter has no main file');
  const refs = doc.referencesJson ? (JSON.parse(doc.referencesJson) as Array<{ owner?: string; number?: string; date?: string }>) : [];
  const enclosures = doc.enclosuresJson ? (JSON.parse(doc.enclosuresJson) as string[]) : [];
  return {
    letterNumber: doc.letterNumber!, correspondenceDate: doc.letterDate ?? new Date(d.sentAt).toISOString().slice(0, 10), subject: doc.subject,
    secretCode: m.secretCodeOf(doc.secrecy), speedCode: m.speedCodeOf(doc.urgency),
    sender: { givenName: doc.signerName ?? undefined, jobTitle: doc.signerPosition ?? undefined, ...me },
    receiver: { ministryId: ecmsId(peer.ministryCode) ?? peer.ecmsOrganisationId!, departmentId: peer.ecmsOrganisationId! },
    references: refs.filter((r) => r.number && r.date).map((r) => ({ letterNumber: r.number!, date: r.date!, subject: r.owner || undefined })),
    enclosureText: enclosures.length ? enclosures.join(', ') : undefined, sendDate: new Date(d.sentAt).toISOString(),
    mainLetter: await read(main), attachments: await Promise.all(rest.map(read)),
  };
}

const pickupQueue = new DbPickupQueue();
/** One queue item per outbox row, whatever the retries: a retry after a lost outcome finds it. */
const PICKUP_PREFIX = 'saraban-out-';
const pickupId = (outboxId: number) => `${PICKUP_PREFIX}${outboxId}`;

/**
 * A peer that polls us (pickup): the letter (signed on its own, as a node would relay it) or the
 * notifier waits in our queue until the peer's CorrespondenceLetterInboundRequest takes it. A
 * withdrawal takes the letter out of the queue if it is still there (the queue carries no withdrawal).
 */
async function enqueueFor(ctx: AppContext, row: ExchangeOutbox, peer: ExchangePeer, d: Delivery, doc: Document, me: { departmentId: string; ministryId: string }): Promise<void | { awaitingPickup: true }> {
  const queueOf = peer.ecmsOrganisationId!;
  if (row.kind === 'letter') {
    if (!(await pickupQueue.get(queueOf, pickupId(Number(row.id))))) {
      const identity = await identityAs(me.departmentId);
      const letterId = `letter-${crypto.randomUUID()}`;
      const signed = await signDocumentOffThread(m.letterXml(await letterOf(ctx, d, doc, me, peer), letterId), letterId, identity);
      await pickupQueue.enqueue(queueOf, signed, pickupId(Number(row.id)));
    }
    return { awaitingPickup: true };
  }
  const n = JSON.parse(row.noticeJson!) as NoticeBody;
  if (n.status === 'withdrawn') {
    const letter = await ExchangeOutbox.findOne({ where: { deliveryId: d.id, kind: 'letter' } });
    if (letter) await pickupQueue.remove(queueOf, pickupId(Number(letter.id)));
    return;
  }
  await pickupQueue.enqueue(queueOf, m.notifierXml(notifierOf(n, d, doc)), pickupId(Number(row.id)));
}

/**
 * A letter left in our queue longer than EXCHANGE_GIVE_UP_MINUTES, never collected by the peer that
 * polls us, is taken out of the queue and declared not delivered (status failed, with why), as the
 * outbox does for a peer that never answers; an administrator may retry it (queued again). One
 * transaction per letter: the queue item goes only with the status change. A letter collected but
 * not yet receipted stays sent (its item is gone: the peer has it). Returns how many were given up.
 */
export async function giveUpUncollected(ctx: AppContext, giveUpMs: number, log: (line: string) => void): Promise<number> {
  const peers = await ExchangePeer.findAll({ where: { transport: 'ecms', ecmsMode: 'pickup' }, attributes: ['id', 'ecmsOrganisationId', 'nameTh'] });
  if (!peers.length) return 0;
  const byId = new Map(peers.map((p) => [Number(p.id), p]));
  // From what still waits in the queue (collected letters are gone from it), so letters collected
  // but not yet receipted are not read again at every round.
  const waiting = await EcmsPickupItem.findAll({ where: { peerOrganisationId: { [Op.in]: peers.map((p) => p.ecmsOrganisationId!) }, processId: { [Op.like]: `${PICKUP_PREFIX}%` } }, attributes: ['processId'], order: [['id', 'ASC']], limit: 1000 });
  const outboxIds = waiting.map((w) => Number(w.processId.slice(PICKUP_PREFIX.length))).filter(Number.isSafeInteger);
  if (!outboxIds.length) return 0;
  const stale = await ExchangeOutbox.findAll({ where: { id: { [Op.in]: outboxIds }, kind: 'letter', status: 'sent', peerId: { [Op.in]: [...byId.keys()] }, queuedAt: { [Op.lt]: new Date(Date.now() - giveUpMs) } }, order: [['id', 'ASC']] });
  let given = 0;
  for (const row of stale) {
    const peer = byId.get(Number(row.peerId))!;
    const hours = Math.round(giveUpMs / 3_600_000);
    const note = `ส่งไม่สำเร็จ: ${peer.nameTh} ไม่ได้มารับหนังสือจากคิวภายใน ${hours} ชั่วโมง (not collected from our ECMS queue within ${hours} h)`;
    const done = await writeTransaction(ctx.db.sequelize, async (t) => {
      const taken = await EcmsPickupItem.destroy({ where: { peerOrganisationId: peer.ecmsOrganisationId!, processId: pickupId(Number(row.id)) }, transaction: t });
      if (!taken) return false; // collected meanwhile: the peer has it, its receipt will say so
      await ExchangeOutbox.update({ status: 'failed', lockedUntil: null, lastError: note }, { where: { id: row.id, status: 'sent' }, transaction: t });
      const d = await Delivery.findByPk(row.deliveryId, { transaction: t, lock: t.LOCK.UPDATE });
      if (d?.status === 'sent') {
        await d.update({ status: 'failed', reason: note.slice(0, 500) }, { transaction: t });
        await recordChange(t, d, 'failed', null, note.slice(0, 500), { messageId: row.messageId });
      }
      return true;
    }, { ahead: true });
    if (done) {
      given++;
      log(`ecms: letter ${row.messageId} to ${peer.nameTh} not collected within ${hours} h: taken out of the queue, not delivered`);
    }
  }
  return given;
}

function notifierOf(n: NoticeBody, d: Delivery, doc: Document): m.EcmsNotifier {
  const kind = ({ delivered: 'receive', received: 'accept', rejected: 'reject', returned: 'invalid' } as const)[n.status as Exclude<NoticeBody['status'], 'withdrawn'>];
  return {
    kind, letterNumber: doc.letterNumber ?? '-', correspondenceDate: doc.letterDate ?? new Date(d.sentAt).toISOString().slice(0, 10), subject: doc.subject,
    acceptId: kind === 'accept' ? `${n.receiveNumber ?? d.id}${n.receiveYear ? `/${n.receiveYear}` : ''}` : undefined, reason: n.reason ?? undefined,
  };
}

async function deliverEcms(ctx: AppContext, settings: EcmsSettings, row: ExchangeOutbox, peer: ExchangePeer): Promise<void | { awaitingPickup: true }> {
  const target = asEcmsPeer(peer);
  if (!target) throw new Error('the directory entry has no ECMS organisation id, endpoint or certificate');
  const d = (await Delivery.findByPk(row.deliveryId))!;
  const doc = await Document.findByPk(d.documentId);
  if (!doc) throw new Error('the letter is no longer stored');
  // A notifier about a letter from elsewhere speaks for its recipient here; anything else for the sender.
  const me = await partyOf(Number(d.senderAgencyId ? d.recipientOrganisationId : d.senderOrganisationId), settings.organisationId!);
  if (peer.ecmsMode === 'pickup') return enqueueFor(ctx, row, peer, d, doc, me);
  const client = clientFor(await identityAs(me.departmentId), peer, target);
  const messageId = await messageIdOf(row, me.departmentId, settings.clockSkewMs / 2);
  try {
    if (row.kind === 'letter') {
      await client.sendLetter(await letterOf(ctx, d, doc, me, peer), messageId);
      return;
    }
    const n = JSON.parse(row.noticeJson!) as NoticeBody;
    if (n.status === 'withdrawn') {
      // Answered OK or NotFound: either way the peer has heard it (a letter it never stored needs no withdrawal).
      await client.withdraw({ letterNumber: doc.letterNumber!, correspondenceDate: doc.letterDate!, senderDepartmentId: me.departmentId, receiverDepartmentId: target.ecmsOrganisationId }, messageId);
      return;
    }
    await client.sendNotifier(notifierOf(n, d, doc), messageId);
  } catch (err) {
    if (err instanceof EcmsRefused && err.code === 'duplicate_message') return; // the peer had it already: delivered
    if (err instanceof EcmsRefused) throw new Error(`HTTP ${err.status} ${err.code} from ${peer.nameTh}: ${err.message}`);
    throw err;
  }
}

/** Refusals at the ECMS endpoint go to the administrators' list with the native ones, their reason prefixed ecms_. */
export async function recordRefusal(r: RefusalRecord): Promise<void> {
  const peer = r.claimedPeer ? await directoryEntry(r.claimedPeer) : null;
  await ExchangeRefusal.create({
    peerId: peer?.id ?? null, claimedSender: r.claimedPeer?.slice(0, 255) ?? null, messageId: r.messageId?.slice(0, 128) ?? null, remoteAddress: r.remoteAddress?.slice(0, 64) || null,
    status: r.status, reason: `ecms_${r.code}`.slice(0, 64), detail: r.reason.slice(0, 1000), bytes: Math.min(r.bytes, 2 ** 31 - 1), createdAt: r.at,
  });
}

/** The ECMS endpoint's options (ctx.ecms) and the outbox's ECMS transport, for a deployment with ECMS_ENABLED=true. */
export function wireEcms(ctx: AppContext, settings: EcmsSettings): EcmsServerOptions {
  registerTransport('ecms', { deliver: (c, row, peer) => deliverEcms(c, settings, row, peer) });
  return {
    identity: () => identityAs(settings.organisationId!),
    endpointUrls: settings.endpointUrls,
    receives: receivesHere,
    resolvePeer: async (id) => {
      const p = await directoryEntry(id);
      return p ? asEcmsPeer(p) : null;
    },
    handlers: handlers(ctx),
    replay: new DbReplayStore(),
    queue: new DbPickupQueue(),
    onRefused: recordRefusal,
    maxBytes: settings.maxBytes,
    clockSkewMs: settings.clockSkewMs,
    rateLimit: settings.rateLimit,
  };
}
