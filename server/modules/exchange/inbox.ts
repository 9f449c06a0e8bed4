// The inbox of the native transport: POST /api/exchange/inbox. Nothing an agency elsewhere sends
// reaches a clerk unless it passes, in this order: size, JWS form, rate per claimed sender, a directory
// entry for that sender, the certificate chain against the entry, the signature, the payload's shape,
// freshness (clock-skew window), the recipient being an organisation here, the files' hashes. A
// message id of a peer is taken once (exactly once: a second delivery gets the first acknowledgement).
// Every refusal is recorded for the administrators with its reason and answered 4xx.
import express, { Request, Response } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Op } from 'sequelize';
import { Delivery, ExchangeInbound, ExchangeOutbox, ExchangePeer, ExchangeRefusal, Organisation } from '../../db/models';
import { writeTransaction } from '../../lib/transaction';
import type { AppContext } from '../../context';
import { ErrorSchema, z } from '../../lib/openapi';
import { applyReceipt, createArrival, discardFiles, stageFiles, takeMessageId, withdrawArrival } from './arrival';
import { parseJws, Refusal, signMessage, trustedSigner, TYP, verifyWith } from './envelope';
import { LetterEnvelope, NoticeEnvelope } from './payload';

type Verified = { peer: ExchangePeer; kind: 'letter'; env: LetterEnvelope } | { peer: ExchangePeer; kind: 'notice'; env: NoticeEnvelope };

/** A fixed window per claimed sender; a refusal for the rate is recorded once per window. */
function rateLimiter(limit: number, windowMs: number) {
  const windows = new Map<string, { start: number; count: number }>();
  return (key: string): 'ok' | 'first_refusal' | 'refused' => {
    const now = Date.now();
    let w = windows.get(key);
    if (!w || now - w.start >= windowMs) {
      if (windows.size > 10_000) windows.clear(); // bounded: forged sender names cannot grow it
      w = { start: now, count: 0 };
      windows.set(key, w);
    }
    w.count++;
    if (w.count <= limit) return 'ok';
    return w.count === limit + 1 ? 'first_refusal' : 'refused';
  };
}

async function verify(ctx: AppContext, body: string, limited: (key: string) => string, note: (n: Partial<ExchangeRefusal>) => void): Promise<Verified> {
  const { jws, header, claimed } = parseJws(body);
  const from = (claimed.from as { agencyCode?: unknown } | undefined)?.agencyCode;
  const claimedCode = typeof from === 'string' ? from.slice(0, 255) : null;
  note({ claimedSender: claimedCode, messageId: typeof claimed.messageId === 'string' ? claimed.messageId.slice(0, 128) : null });
  const rate = limited(claimedCode ?? '?');
  if (rate !== 'ok') throw new Refusal(429, rate === 'first_refusal' ? 'rate_limited' : 'rate_limited_again', 'Too many messages from this sender; try again later.');
  const peer = claimedCode ? await ExchangePeer.findOne({ where: { agencyCode: claimedCode, transport: 'saraban', active: true } }) : null;
  if (!peer || !peer.certificatePem) throw new Refusal(401, 'unknown_sender', 'The sender is not in this deployment\'s directory.');
  note({ peerId: peer.id });
  const typ = header.typ === TYP.notice ? TYP.notice : TYP.letter;
  const signer = await trustedSigner(header, peer.certificatePem);
  const payload = await verifyWith(jws, signer, typ);
  const parsed = (typ === TYP.letter ? LetterEnvelope : NoticeEnvelope).safeParse(payload);
  if (!parsed.success) throw new Refusal(422, 'invalid_payload', `The message does not have the envelope's shape: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const env = parsed.data;
  if (env.from.agencyCode !== peer.agencyCode) throw new Refusal(401, 'unknown_sender', 'The signed sender differs from the claimed one.');
  const issued = Date.parse(env.issuedAt);
  const now = Date.now();
  if (issued > now + ctx.config.exchange.clockSkewMs) throw new Refusal(401, 'from_the_future', 'The message is dated ahead of this server\'s clock beyond the allowed skew.');
  if (now - issued > ctx.config.exchange.maxAgeMs + ctx.config.exchange.clockSkewMs) throw new Refusal(401, 'stale', 'The message is older than the freshness window (a replay, or a clock far off).');
  return env.kind === 'letter' ? { peer, kind: 'letter', env } : { peer, kind: 'notice', env: env as NoticeEnvelope };
}

/** The files, decoded and checked against their declared size and SHA-256, written to temporary files. */
const stageEnvelopeFiles = (dataDir: string, env: LetterEnvelope) =>
  stageFiles(dataDir, env.files.map((f) => ({ role: f.role, filename: f.filename, mime: f.mime, content: Buffer.from(f.content, 'base64') })), (got, i) => {
    const f = env.files[i];
    if (got.size !== f.size || got.sha256 !== f.sha256) throw new Refusal(422, 'file_mismatch', `File ${i + 1} (${f.filename}) does not match its declared size or SHA-256.`);
  });

async function storeLetter(ctx: AppContext, peer: ExchangePeer, env: LetterEnvelope, ack: string): Promise<{ ack: string; duplicate: boolean }> {
  const org = await Organisation.findOne({ where: { agencyCode: env.to.agencyCode, active: true } });
  if (!org) throw new Refusal(422, 'wrong_recipient', `No organisation ${env.to.agencyCode} receives letters here.`);
  const earlier = await ExchangeInbound.findOne({ where: { peerId: peer.id, messageId: env.messageId } });
  if (earlier) return { ack: earlier.ackJws, duplicate: true };
  const files = await stageEnvelopeFiles(ctx.config.dataDir, env);
  try {
    const done = await writeTransaction(ctx.db.sequelize, (t) => createArrival(t, ctx.config.dataDir, {
      organisation: org, peer, key: env.messageId, letterMessageId: env.messageId, ack, letter: env.letter,
      received: { fromAgency: peer.agencyCode, messageId: env.messageId, letter: env.letter }, files,
    }));
    return { ack: done.ack, duplicate: done.duplicate };
  } finally {
    await discardFiles(files);
  }
}

async function applyNotice(ctx: AppContext, peer: ExchangePeer, env: NoticeEnvelope, ack: string): Promise<{ ack: string; duplicate: boolean }> {
  const n = env.notice;
  return writeTransaction(ctx.db.sequelize, async (t) => {
    const inbound = await takeMessageId(t, peer, env.messageId, 'notice', n.letterMessageId, ack);
    if ('duplicate' in inbound) return inbound;
    if (n.status === 'withdrawn') {
      const origin = await ExchangeInbound.findOne({ where: { peerId: peer.id, messageId: n.letterMessageId, kind: 'letter' }, transaction: t });
      const d = origin?.deliveryId ? await Delivery.findByPk(origin.deliveryId, { transaction: t, lock: t.LOCK.UPDATE }) : null;
      // Never stored here (the sender gave up on it before it arrived): nothing to take back, and
      // saying so lets the sender's outbox stop.
      if (!d) return { ack, duplicate: false };
      const holder = await Organisation.findByPk(d.recipientOrganisationId!, { transaction: t });
      if (holder?.agencyCode !== env.to.agencyCode) throw new Refusal(422, 'wrong_recipient', 'The withdrawal names another organisation than the letter\'s recipient.');
      await inbound.update({ deliveryId: d.id }, { transaction: t });
      await withdrawArrival(t, peer, d, n.reason ?? null);
      return { ack, duplicate: false };
    }
    const out = await ExchangeOutbox.findOne({ where: { peerId: peer.id, messageId: n.letterMessageId, kind: 'letter' }, transaction: t });
    const d = out ? await Delivery.findByPk(out.deliveryId, { transaction: t, lock: t.LOCK.UPDATE }) : null;
    if (!d) throw new Refusal(404, 'unknown_letter', 'No letter with that message id was sent to this agency.');
    const sender = await Organisation.findByPk(d.senderOrganisationId, { transaction: t });
    if (sender?.agencyCode !== env.to.agencyCode) throw new Refusal(422, 'wrong_recipient', 'The notice names another organisation than the letter\'s sender.');
    await inbound.update({ deliveryId: d.id }, { transaction: t });
    await applyReceipt(t, peer, d, { ...n, status: n.status });
    return { ack, duplicate: false };
  });
}

/** The inbox route, mounted before the API's JSON parser: it reads its own body, with its own limit. */
export function exchangeInbox(ctx: AppContext): express.Router {
  const router = express.Router();
  const limited = rateLimiter(ctx.config.exchange.rateLimit, ctx.config.exchange.rateWindowMs);
  const raw = express.raw({ type: () => true, limit: ctx.config.exchange.maxBytes });
  router.post('/', (req: Request, res: Response) => {
    const facts: Partial<ExchangeRefusal> = {};
    const note = (n: Partial<ExchangeRefusal>) => Object.assign(facts, n);
    const refuse = async (r: Refusal, bytes: number) => {
      if (r.reason !== 'rate_limited_again') {
        await ExchangeRefusal.create({
          peerId: facts.peerId ?? null, claimedSender: facts.claimedSender ?? null, messageId: facts.messageId ?? null, remoteAddress: (req.ip ?? '').slice(0, 64) || null,
          status: r.status, reason: r.reason, detail: r.message.slice(0, 1000), bytes, createdAt: new Date(),
        }).catch((err) => console.error('[saraban] exchange: could not record a refusal:', err instanceof Error ? err.message : err));
      }
      if (!res.headersSent) res.status(r.status).json({ error: { code: r.reason, message: r.message } });
    };
    raw(req, res, (err?: unknown) => {
      if (err) {
        const e = err as { type?: string; status?: number; length?: number };
        const tooLarge = e.type === 'entity.too.large';
        void refuse(new Refusal(tooLarge ? 413 : 400, tooLarge ? 'too_large' : 'unreadable_body', tooLarge ? `The message is larger than ${ctx.config.exchange.maxBytes} bytes.` : 'The body could not be read.'), Math.min(e.length ?? 0, 2 ** 31 - 1));
        return;
      }
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      void (async () => {
        try {
          const v = await verify(ctx, body.toString('utf8'), limited, note);
          const me = v.env.to.agencyCode;
          const ack = JSON.stringify(await signMessage(TYP.ack, { v: 1, kind: 'ack', messageId: v.env.messageId, result: 'stored', from: { agencyCode: me }, at: new Date().toISOString() }));
          const done = v.kind === 'letter' ? await storeLetter(ctx, v.peer, v.env, ack) : await applyNotice(ctx, v.peer, v.env, ack);
          res.status(200).json({ ack: JSON.parse(done.ack), duplicate: done.duplicate });
        } catch (e) {
          if (e instanceof Refusal) await refuse(e, body.length);
          else {
            console.error('[saraban] exchange inbox:', e instanceof Error ? e.stack : e);
            if (!res.headersSent) res.status(503).json({ error: { code: 'unavailable', message: 'The message could not be stored now; send it again later.' } });
          }
        }
      })();
    });
  });
  router.all('/', (_req, res) => {
    res.status(405).json({ error: { code: 'method_not_allowed', message: 'POST a signed envelope (application/jose+json).' } });
  });
  return router;
}

/**
 * The inbox in the OpenAPI document: it is mounted outside the validated routes (its own body
 * parser and limit), and described here so that clients, and the hostile-input sweep, find it.
 */
export function describeExchangeInbox(registry: OpenAPIRegistry): void {
  const envelope = z.object({
    protected: z.string().openapi({ description: 'base64url JWS header: alg, typ (saraban-letter+jws | saraban-notice+jws), x5c' }),
    payload: z.string().openapi({ description: 'base64url JSON: the letter envelope or notice' }),
    signature: z.string(),
  }).openapi('ExchangeEnvelope');
  const refusal = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });
  registry.registerPath({
    method: 'post', path: '/exchange/inbox', tags: ['Exchange'], security: [],
    summary: 'Inbox of the native exchange: a letter or notice signed by an agency in the directory (flattened JWS)',
    description: 'Called by other Saraban deployments, not by people. Anything not verified is refused with 4xx and recorded for administrators.',
    request: { body: { required: true, content: { 'application/jose+json': { schema: envelope }, 'application/json': { schema: envelope } } } },
    responses: {
      200: { description: 'Stored (or stored before: duplicate): the signed acknowledgement.', content: { 'application/json': { schema: z.object({ ack: envelope, duplicate: z.boolean() }) } } },
      400: refusal('Not a flattened JWS.'), 401: refusal('Unknown sender, certificate or signature; stale.'), 404: refusal('A notice about an unknown letter.'),
      413: refusal('Larger than EXCHANGE_MAX_BYTES.'), 422: refusal('Not the envelope\'s shape, files that differ from their hashes, or a recipient not here.'),
      429: refusal('Too many messages from this sender.'), 503: refusal('Could not be stored now: send it again later.'),
    },
  });
}

/** Refused inbound requests, newest first (for administrators). */
export async function refusals(q: { limit: number; offset: number; reason?: string }) {
  const rows = await ExchangeRefusal.findAll({ where: q.reason ? { reason: q.reason } : { id: { [Op.gt]: 0 } }, order: [['id', 'DESC']], limit: q.limit, offset: q.offset });
  return rows.map((r) => ({
    id: Number(r.id), at: new Date(r.createdAt).toISOString(), status: r.status, reason: r.reason, detail: r.detail ?? null, peerId: r.peerId ?? null,
    claimedSender: r.claimedSender ?? null, messageId: r.messageId ?? null, remoteAddress: r.remoteAddress ?? null, bytes: r.bytes,
  }));
}
