// Signed messages between Saraban deployments: a flattened JWS (RFC 7515, JSON serialisation) whose
// protected header carries the signer's certificate chain (x5c). The same form carries letters,
// notifiers, acknowledgements and introductions; `typ` says which. The receiver trusts a signer only
// through the certificate its directory holds for the claimed sender: the very certificate (pinned),
// or a CA certificate the signer's chain leads to.
import 'reflect-metadata';
import crypto from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { FlattenedSign, flattenedVerify, FlattenedJWS } from 'jose';
import { getExchangeIdentity, sha256Hex } from './identity';

export const TYP = { letter: 'saraban-letter+jws', notice: 'saraban-notice+jws', ack: 'saraban-ack+jws', introduction: 'saraban-introduction+jws' } as const;
export type EnvelopeTyp = (typeof TYP)[keyof typeof TYP];

/** A refusal of an inbound message: HTTP status, a short reason code for the administrators' list, and a detail. */
export class Refusal extends Error {
  constructor(public status: number, public reason: string, message: string) {
    super(message);
  }
}

/**
 * Certificates parsed once: every message carries a chain and names a pinned certificate, and parsing
 * them (ASN.1) was a good part of a message's CPU on both sides. Keyed by their text, so a replaced
 * certificate is simply another entry; a bounded memo, emptied when full. The x5c comes from a sender
 * not yet verified: only certificate-sized texts are kept (real ones are 1–3 KB), so hostile messages
 * with huge ones cannot make the memo hold hundreds of megabytes; those are parsed each time.
 */
const parsed = new Map<string, x509.X509Certificate>();
const MEMO_MAX_TEXT = 16 * 1024;
function parseOnce(key: string, parse: () => x509.X509Certificate): x509.X509Certificate {
  if (key.length > MEMO_MAX_TEXT) return parse();
  let cert = parsed.get(key);
  if (!cert) {
    if (parsed.size >= 500) parsed.clear();
    cert = parse();
    parsed.set(key, cert);
  }
  return cert;
}
const certificateOfPem = (pem: string) => parseOnce(pem, () => new x509.X509Certificate(pem));

export async function signMessage(typ: EnvelopeTyp, payload: object): Promise<FlattenedJWS> {
  const id = await getExchangeIdentity();
  return new FlattenedSign(Buffer.from(JSON.stringify(payload)))
    .setProtectedHeader({ alg: id.alg, typ, x5c: [id.certificatePem, ...id.chainPem].map((p) => Buffer.from(certificateOfPem(p).rawData).toString('base64')) })
    .sign(id.privateKey);
}

/** The JWS's parts without trusting them: for finding the claimed sender before verifying. */
export function parseJws(text: string): { jws: FlattenedJWS; header: Record<string, unknown>; claimed: Record<string, unknown> } {
  let jws: FlattenedJWS;
  try {
    jws = JSON.parse(text) as FlattenedJWS;
  } catch {
    throw new Refusal(400, 'malformed', 'The body is not JSON.');
  }
  if (!jws || typeof jws !== 'object' || typeof jws.payload !== 'string' || typeof jws.protected !== 'string' || typeof jws.signature !== 'string') {
    throw new Refusal(400, 'malformed', 'The body is not a flattened JWS (payload, protected, signature).');
  }
  try {
    const header = JSON.parse(Buffer.from(jws.protected, 'base64url').toString('utf8')) as Record<string, unknown>;
    const claimed = JSON.parse(Buffer.from(jws.payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (!header || typeof header !== 'object' || !claimed || typeof claimed !== 'object') throw new Error('not objects');
    return { jws, header, claimed };
  } catch {
    throw new Refusal(400, 'malformed', 'The JWS header or payload is not a JSON object.');
  }
}

function certificateAt(b64: unknown): x509.X509Certificate {
  if (typeof b64 !== 'string') throw new Refusal(401, 'bad_certificate', 'x5c holds a non-string.');
  try {
    return parseOnce(b64, () => new x509.X509Certificate(Buffer.from(b64, 'base64')));
  } catch {
    throw new Refusal(401, 'bad_certificate', 'x5c holds something that is not a certificate.');
  }
}

const inDate = (c: x509.X509Certificate, now: Date) => c.notBefore.getTime() <= now.getTime() + 300_000 && c.notAfter.getTime() >= now.getTime();

/**
 * The signer's certificate, trusted only when its x5c chain reaches the directory's certificate for
 * the claimed sender: the same certificate, or each link issued (and signed) by the next up to it.
 */
export async function trustedSigner(header: Record<string, unknown>, pinnedPem: string, now = new Date()): Promise<x509.X509Certificate> {
  const x5c = header.x5c;
  if (!Array.isArray(x5c) || !x5c.length || x5c.length > 5) throw new Refusal(401, 'bad_certificate', 'The JWS has no certificate chain (x5c).');
  const chain = x5c.map(certificateAt);
  const pinned = certificateOfPem(pinnedPem);
  const pinnedSha = sha256Hex(pinned.rawData);
  const leaf = chain[0];
  if (!inDate(leaf, now)) throw new Refusal(401, 'certificate_expired', 'The signing certificate is not valid now.');
  if (sha256Hex(leaf.rawData) === pinnedSha) return leaf;
  // Walk up: every link must be issued and signed by the next; the top must be the pinned CA.
  const links = [...chain.filter((c) => sha256Hex(c.rawData) !== pinnedSha), pinned];
  for (let i = 0; i < links.length - 1; i++) {
    const [child, parent] = [links[i], links[i + 1]];
    const signed = await child.verify({ publicKey: parent.publicKey, signatureOnly: true }).catch(() => false); // an algorithm WebCrypto lacks is no proof
    if (!inDate(parent, now) || child.issuer !== parent.subject || !signed) {
      throw new Refusal(401, 'unknown_certificate', 'The signing certificate is not the one the directory holds for the sender, nor issued under it.');
    }
  }
  return leaf;
}

const publicKeys = new WeakMap<x509.X509Certificate, crypto.KeyObject>();
const publicKeyOf = (c: x509.X509Certificate) => {
  let key = publicKeys.get(c);
  if (!key) publicKeys.set(c, (key = crypto.createPublicKey(c.publicKey.toString('pem'))));
  return key;
};

/** Verifies the signature with the trusted signer's key; the payload as parsed JSON. */
export async function verifyWith(jws: FlattenedJWS, signer: x509.X509Certificate, typ: EnvelopeTyp): Promise<Record<string, unknown>> {
  const key = publicKeyOf(signer);
  try {
    const { payload, protectedHeader } = await flattenedVerify(jws, key, { algorithms: ['ES256', 'RS256', 'PS256'] });
    if (protectedHeader?.typ !== typ) throw new Refusal(400, 'wrong_type', `Expected a ${typ}, got ${String(protectedHeader?.typ)}.`);
    return JSON.parse(Buffer.from(payload).toString('utf8')) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof Refusal) throw err;
    throw new Refusal(401, 'bad_signature', 'The signature does not verify: the message was altered or not signed by this certificate.');
  }
}

/** The certificate in x5c[0], for an introduction that vouches for itself. */
export function selfCertificate(header: Record<string, unknown>): x509.X509Certificate {
  const x5c = header.x5c;
  if (!Array.isArray(x5c) || !x5c.length) throw new Refusal(422, 'bad_certificate', 'The file carries no certificate (x5c).');
  return certificateAt(x5c[0]);
}
