// The native transport (Saraban ↔ Saraban): an HTTPS POST of a signed envelope or notifier to the
// peer's inbox; delivered when the peer answers with an acknowledgement signed by the certificate
// its directory entry holds, naming this message id. Anything else is an error the outbox retries.
import { Delivery, Document, ExchangeOutbox, ExchangePeer, Organisation } from '../../db/models';
import type { AppContext } from '../../context';
import { parseJws, Refusal, signMessage, trustedSigner, TYP, verifyWith } from './envelope';
import { AckPayload, letterEnvelope, NoticeBody } from './payload';
import { registerTransport } from './outbox';

const TIMEOUT_MS = 60_000;

async function payloadOf(ctx: AppContext, row: ExchangeOutbox, peer: ExchangePeer): Promise<{ typ: typeof TYP.letter | typeof TYP.notice; payload: object }> {
  const d = (await Delivery.findByPk(row.deliveryId))!;
  const to = { agencyCode: peer.agencyCode };
  if (row.kind === 'letter') {
    const [doc, org] = await Promise.all([Document.findByPk(d.documentId), Organisation.findByPk(d.senderOrganisationId)]);
    if (!doc || !org) throw new Error('the letter is no longer stored');
    return { typ: TYP.letter, payload: await letterEnvelope(ctx.config.dataDir, doc, { agencyCode: org.agencyCode, nameTh: org.nameTh }, to, row.messageId, d.role, new Date(d.sentAt)) };
  }
  // A notifier speaks for the side of the delivery this deployment holds: the receiver of a letter
  // from elsewhere (its recipient organisation), or the sender of a letter sent elsewhere.
  const org = (await Organisation.findByPk(d.senderAgencyId ? d.recipientOrganisationId! : d.senderOrganisationId))!;
  const notice = JSON.parse(row.noticeJson!) as NoticeBody;
  return { typ: TYP.notice, payload: { v: 1, kind: 'notice', messageId: row.messageId, from: { agencyCode: org.agencyCode, nameTh: org.nameTh }, to, issuedAt: new Date().toISOString(), notice } };
}

export async function deliverNative(ctx: AppContext, row: ExchangeOutbox, peer: ExchangePeer): Promise<void> {
  if (!peer.endpointUrl || !peer.certificatePem) throw new Error('the directory entry has no endpoint or certificate');
  const { typ, payload } = await payloadOf(ctx, row, peer);
  const jws = await signMessage(typ, payload);
  const res = await fetch(peer.endpointUrl, { method: 'POST', headers: { 'content-type': 'application/jose+json', accept: 'application/json' }, body: JSON.stringify(jws), signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await res.text();
  if (!res.ok) {
    let message = text.slice(0, 300);
    try {
      message = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error?.message ?? message;
    } catch {
      // not JSON: keep the text
    }
    throw new Error(`HTTP ${res.status} from ${peer.nameTh}: ${message}`);
  }
  try {
    const ackText = JSON.stringify((JSON.parse(text) as { ack?: unknown }).ack ?? null);
    const { jws: ack, header } = parseJws(ackText);
    const signer = await trustedSigner(header, peer.certificatePem);
    const body = AckPayload.parse(await verifyWith(ack, signer, TYP.ack));
    if (body.messageId !== row.messageId || body.from.agencyCode !== peer.agencyCode) throw new Error('the acknowledgement is for another message or from another agency');
  } catch (err) {
    throw new Error(`the acknowledgement of ${peer.nameTh} does not verify: ${err instanceof Refusal || err instanceof Error ? err.message : String(err)}`);
  }
}

registerTransport('saraban', { deliver: deliverNative });
