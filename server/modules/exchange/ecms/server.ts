// The ECMS SOAP endpoint: raw bytes (size-limited) → the claimed sender's certificate from our
// directory → on a worker thread for large messages: strict parse, signature over Body and the
// WS-Addressing headers, the letter's own GovernmentSignature → To, freshness, replay → node-soap
// dispatches the envelope rebuilt from the signed parts only → a signed response.
// Every refusal is a SOAP Fault with a 4xx status and a RefusalRecord for the administrators;
// nothing reaches the handlers (and so the arrivals tray) unless all checks passed.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import * as soap from 'soap';
import { XmlError, parseXml, elements } from './xml';
import * as m from './messages';
import { SignatureError } from './dsig';
import { faultEnvelope, messageTime, newMessageId, Refusal, ANONYMOUS } from './envelope';
import { openOffThread, signOffThread } from './pool';
import type { OpenedMessage } from './open';
import { EcmsHandlerError, type EcmsHandlers, type EcmsIdentity, type EcmsPeer, type PickupQueue, type RefusalRecord, type ReplayStore } from './types';

// tsc copies no .wsdl into dist/: the compiled server reads the one in server/ (the repo ships both).
export const WSDL_PATH = [path.join(__dirname, 'ecms.wsdl'), path.resolve(__dirname, '..', '..', '..', '..', '..', 'server', 'modules', 'exchange', 'ecms', 'ecms.wsdl')]
  .find((p) => fs.existsSync(p)) ?? path.join(__dirname, 'ecms.wsdl');
/** Where the app serves the endpoint (and ?wsdl). */
export const ECMS_PATH = '/ecms/ws';
/** How long a claimed MessageID stays ours while its handler runs; a crash frees it after this. */
const LEASE_MS = 5 * 60_000;

export interface EcmsServerOptions {
  /** Ours, or how to get the one in use now (a replaced key takes effect without a restart). */
  identity: EcmsIdentity | (() => Promise<EcmsIdentity>);
  /** Whether a ReceiverParty department is an organisation here; default: only identity's ecmsOrganisationId. */
  receives?(departmentId: string): Promise<boolean>;
  /** Addresses a request's wsa:To may name (our public URL of this endpoint). */
  endpointUrls: string[];
  resolvePeer(ecmsOrganisationId: string): Promise<EcmsPeer | null>;
  handlers: EcmsHandlers;
  replay: ReplayStore;
  queue: PickupQueue;
  onRefused(record: RefusalRecord): void | Promise<void>;
  /** Largest request in bytes (base64 letters included); default 25 MB. */
  maxBytes?: number;
  /** How far a MessageID's time may be from ours; default 15 minutes. */
  clockSkewMs?: number;
  /** Requests per address and window, counted before anything is read (default 600 a minute: a node polling every second fits). */
  rateLimit?: { windowMs: number; limit: number };
  now?: () => Date;
}

interface CallContext { opened: OpenedMessage; peer: EcmsPeer; identity: EcmsIdentity; responseInner?: string; answeredBy?: string; error?: unknown }

/**
 * The sender named in wsa:From, found textually in the header: it only chooses which certificate
 * of our directory to verify with. The verified, signed wsa:From must then say the same.
 */
const FROM = /<(?:[A-Za-z_][\w.-]*:)?From\b[^>]*>\s*<(?:[A-Za-z_][\w.-]*:)?Address\b[^>]*>\s*urn:th:gov:ecms:org:(\d{1,10})\s*</;
export function claimedSenderHint(raw: string): string {
  const m = FROM.exec(raw);
  if (!m) throw new XmlError('wsa:From/wsa:Address must name the sending organisation (urn:th:gov:ecms:org:<id>).');
  return m[1];
}

export function createEcmsRouter(options: EcmsServerOptions): express.Router {
  const skew = options.clockSkewMs ?? 15 * 60_000;
  const now = options.now ?? (() => new Date());
  const currentIdentity = async () => (typeof options.identity === 'function' ? options.identity() : options.identity);
  const receives = options.receives ?? (async (id: string) => id === (await currentIdentity()).ecmsOrganisationId);
  const wsdlXml = fs.readFileSync(WSDL_PATH, 'utf8').replace('http://localhost:3000/ecms/ws', options.endpointUrls[0] ?? '');
  const contexts = new Map<string, CallContext>();
  // Each operation reads the signed body kept in its call's context, never node-soap's parse of it.
  const op = (fn: (ctx: CallContext, el: Element) => Promise<string | { inner: string; answeredBy?: string }>) => async (_args: unknown, _cb: unknown, _headers: unknown, req: { headers: Record<string, string> }) => {
    const ctx = contexts.get(req.headers['x-ecms-call'])!;
    try {
      const answer = await fn(ctx, m.readOperation(parseXml(ctx.opened.bodyXml).documentElement as unknown as Element).el);
      if (typeof answer === 'string') ctx.responseInner = answer;
      else [ctx.responseInner, ctx.answeredBy] = [answer.inner, answer.answeredBy];
    } catch (err) {
      ctx.error = err;
    }
    return { $xml: '' };
  };
  const origin = (ctx: CallContext) => ({ peer: ctx.peer, messageId: ctx.opened.messageId, receivedAt: now() });
  const peerId = (ctx: CallContext) => ctx.peer.ecmsOrganisationId;
  const services = {
    EcmsService: {
      EcmsPort: {
        CorrespondenceLetterOutboundRequest: op(async (ctx, el) => {
          const arrived = ctx.opened.letter;
          if (!arrived) {
            const payload = m.readPayloadElement(el);
            if (payload?.type !== 'notifier') throw new XmlError('The request holds neither a GovernmentDocument nor a notifier.');
            const done = await options.handlers.onNotifier(payload.notifier, origin(ctx));
            return { inner: m.outboundResponse(done.processId, now()), answeredBy: done.answeredBy };
          }
          // The letter must come from the peer that signed the message and be for us.
          if (arrived.letter.sender.departmentId !== peerId(ctx)) throw new Refusal(403, 'sender_mismatch', 'The letter\'s SenderParty is not the organisation that sent it.');
          if (!(await receives(arrived.letter.receiver.departmentId))) throw new Refusal(403, 'not_for_us', 'The letter is addressed to another organisation.');
          // The organisation the letter is for answers (a deployment may hold several ECMS organisations).
          return { inner: m.outboundResponse((await options.handlers.onLetterArrived(arrived, origin(ctx))).processId, now()), answeredBy: arrived.letter.receiver.departmentId };
        }),
        CorrespondenceLetterInboundRequest: op(async (ctx) => m.inboundResponse(await options.queue.next(peerId(ctx)))),
        CorrespondenceLetterInboundSpecialRequest: op(async (ctx, el) => m.inboundResponse(await options.queue.get(peerId(ctx), m.readProcessId(el)))),
        CorrespondenceLetterDeleteRequest: op(async (ctx, el) => m.statusResponse(await options.queue.remove(peerId(ctx), m.readProcessId(el)))),
        CorrespondenceDeleteGovernmentDocumentRequest: op(async (ctx, el) => {
          const w = m.readWithdrawal(el);
          if (w.senderDepartmentId !== peerId(ctx)) throw new Refusal(403, 'sender_mismatch', 'Only the sender may withdraw its letter.');
          return { inner: m.statusResponse(await options.handlers.onWithdraw(w, origin(ctx))), answeredBy: (await receives(w.receiverDepartmentId)) ? w.receiverDepartmentId : undefined };
        }),
        GetSecretCodes: op(async () => m.codesResponse(m.secretCodes())),
        GetSpeedCodes: op(async () => m.codesResponse(m.speedCodes())),
        GetMimeCodes: op(async () => m.codesResponse(m.mimeCodes())),
        GetMinistryOrganizationList: op(async () => m.organisationsResponse(await options.handlers.organisations({ ministriesOnly: true }))),
        GetOrganizationList: op(async (_ctx, el) => m.organisationsResponse(await options.handlers.organisations({ ministriesOnly: false, ministryId: elements(el).find((e) => e.localName === 'MinistryID')?.textContent?.trim() || undefined }))),
        TimeCheckRequest: op(async () => m.timeResponse(now())),
      },
    },
  };
  let soapServer: soap.Server | null = null;
  const ready = new Promise<soap.Server>((resolve, reject) => {
    const s = soap.listen(null as never, { path: '/', services, xml: wsdlXml, callback: (err: unknown) => (err ? reject(err) : resolve(s)) } as never);
  }).then((s) => (soapServer = s));

  const router = express.Router();
  router.get('/', (req, res, next) => {
    if (!('wsdl' in req.query) && !('WSDL' in req.query)) return next();
    res.type('text/xml').send(wsdlXml);
  });
  const raw = express.raw({ type: () => true, limit: options.maxBytes ?? 25 * 1024 * 1024 });
  // Per address, not per claimed peer: before verification a claim is anyone's to make, and must not spend a real peer's quota.
  const { windowMs, limit } = options.rateLimit ?? { windowMs: 60_000, limit: 600 };
  const perAddress = rateLimit({
    windowMs, limit, standardHeaders: 'draft-7', legacyHeaders: false,
    handler: (req, res) => {
      res.set('Retry-After', String(Math.ceil(windowMs / 1000)));
      void refuse(req, res, new Refusal(429, 'rate_limited', 'Too many requests from this address; wait and try again.'), Number(req.headers['content-length']) || 0);
    },
  });
  router.post('/', perAddress, (req, res, next) => raw(req, res, (err?: unknown) => {
    if (!err) return next();
    const e = err as { type?: string };
    const refusal = e.type === 'entity.too.large' ? new Refusal(413, 'too_large', 'The request is larger than this endpoint accepts.') : new Refusal(400, 'unreadable', 'The request body could not be read.');
    void refuse(req, res, refusal, Number(req.headers['content-length']) || 0);
  }), async (req, res) => {
    const bytes: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    // What is known of the request when a later step refuses it (the administrators' record names it).
    const known: { peer?: string; messageId?: string } = {};
    try {
      const ctype = String(req.headers['content-type'] ?? '');
      if (!/^(text\/xml|application\/soap\+xml)\b/i.test(ctype)) throw new Refusal(415, 'content_type', 'SOAP 1.1 requests are text/xml.');
      const claimed = claimedSenderHint(bytes.subarray(0, 64 * 1024).toString('utf8'));
      known.peer = claimed;
      const peer = await options.resolvePeer(claimed);
      if (!peer) throw new Refusal(403, 'unknown_peer', 'The sending organisation is not in this deployment\'s directory.', claimed);
      const result = await openOffThread(bytes, peer.certificatePem, peer.certificatePem);
      if (!result.ok) throw new Refusal(result.status, result.code, result.message, claimed);
      const opened = result.value;
      known.messageId = opened.messageId;
      if (opened.fromOrganisationId !== claimed) throw new Refusal(403, 'sender_mismatch', 'wsa:From is not the organisation whose key signed.', claimed);
      if (!options.endpointUrls.includes(opened.to)) throw new Refusal(403, 'wrong_recipient', 'wsa:To names another endpoint.', claimed, opened.messageId);
      const name = opened.operation;
      if (!(m.OPERATIONS as readonly string[]).includes(name)) throw new Refusal(400, 'unknown_operation', `${name} is not an ECMS operation here.`, claimed, opened.messageId);
      if (opened.action !== m.actionOf(name)) throw new Refusal(400, 'action_mismatch', 'wsa:Action does not match the body.', claimed, opened.messageId);
      const sentAt = messageTime(opened.messageId);
      if (!sentAt) throw new Refusal(400, 'message_id', 'wsa:MessageID must be mid://yyyyMMdd.HHmmssSSS@… (UTC).', claimed, opened.messageId);
      if (Math.abs(sentAt.getTime() - now().getTime()) > skew) throw new Refusal(403, 'stale', 'The message is too old or from the future (replay or clock skew).', claimed, opened.messageId);
      const claim = await options.replay.claim(claimed, opened.messageId, new Date(now().getTime() + LEASE_MS));
      if (claim === 'done') throw new Refusal(409, 'duplicate_message', 'This MessageID was already processed.', claimed, opened.messageId);
      if (claim === 'in_progress') throw new Refusal(409, 'in_progress', 'This MessageID is being processed; ask again later.', claimed, opened.messageId);
      const callId = crypto.randomUUID();
      const ctx: CallContext = { opened, peer, identity: await currentIdentity() };
      contexts.set(callId, ctx);
      try {
        const server = soapServer ?? (await ready);
        await server.processRequest(opened.dispatchXml, { headers: { 'x-ecms-call': callId, 'content-type': 'text/xml' } } as never);
      } finally {
        contexts.delete(callId);
      }
      if (ctx.error || ctx.responseInner === undefined) {
        await options.replay.release(claimed, opened.messageId);
        throw ctx.error ?? new Error('The operation did not answer.');
      }
      await options.replay.complete(claimed, opened.messageId, new Date(sentAt.getTime() + skew + 60_000));
      const responseName = m.responseOf(name as m.EcmsOperation);
      const me = ctx.answeredBy ?? ctx.identity.ecmsOrganisationId;
      const response = await signOffThread({
        addressing: { messageId: newMessageId(me, now()), to: ANONYMOUS, action: m.actionOf(responseName), fromOrganisationId: me, relatesTo: opened.messageId },
        operation: responseName, inner: ctx.responseInner, signer: { privateKeyPem: ctx.identity.privateKeyPem, certificatePem: ctx.identity.certificatePem },
      });
      res.status(200).type('text/xml; charset=utf-8').send(response);
    } catch (err) {
      const r = toRefusal(err);
      r.peerOrganisationId ??= known.peer;
      r.messageId ??= known.messageId;
      await refuse(req, res, r, bytes.length);
    }
  });

  async function refuse(req: express.Request, res: express.Response, r: Refusal, size: number) {
    try {
      await options.onRefused({ at: now(), status: r.status, code: r.code, reason: r.message, remoteAddress: req.ip, claimedPeer: r.peerOrganisationId, messageId: r.messageId, bytes: size });
    } catch (e) {
      console.error('[ecms] could not record a refusal:', (e as Error).message);
    }
    if (res.headersSent) return;
    res.status(r.status).type('text/xml; charset=utf-8').send(faultEnvelope(r.status >= 500 ? 'soap:Server' : 'soap:Client', r.code, r.message));
  }
  return router;
}

function toRefusal(err: unknown): Refusal {
  if (err instanceof Refusal) return err;
  if (err instanceof XmlError) return new Refusal(400, 'malformed', err.message);
  if (err instanceof SignatureError) return new Refusal(403, 'bad_signature', err.message);
  if (err instanceof EcmsHandlerError) return new Refusal(err.status, err.code, err.message);
  console.error('[ecms] operation failed:', err);
  return new Refusal(500, 'internal_error', 'The request could not be processed; nothing was stored. Try again later.');
}
