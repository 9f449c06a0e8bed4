// The CPU-heavy half of the adapter as pure functions of strings (no DOM crosses threads): verify and
// read a received message, sign an outgoing one. pool.ts runs them on a worker thread when the
// message is large (a 10 MB letter takes seconds of c14n and hashing).
import { parseXml, serialize } from './xml';
import * as m from './messages';
import { verifyLetter, SignatureError, signLetter, type Signer } from './dsig';
import { parseEnvelope, openEnvelope, signedEnvelope, Refusal, type Addressing } from './envelope';
import { XmlError } from './xml';

export interface OpenedMessage {
  messageId: string; to: string; action: string; fromOrganisationId: string; relatesTo?: string;
  operation: string;
  /** The signed soap:Body (canonical); a verified letter's GovernmentDocument is emptied here, its content is in `letter`. */
  bodyXml: string;
  /** Envelope of the signed parts only (letter emptied likewise): what node-soap dispatches on. */
  dispatchXml: string;
  /** A GovernmentDocument payload: verified and read when a certificate for it was given, else left to openLetter. */
  letter?: { letter: m.EcmsLetter; signedDocument: Buffer };
  /** A GovernmentDocument not yet verified (no certificate given): UTF-8 XML for openLetter. */
  document?: Buffer;
  /** The sender department the unverified-yet letter names (inside the relaying peer's signed body): which certificate openLetter needs. */
  documentSender?: string;
}
export type Failure = { ok: false; status: number; code: string; message: string };
export type Result<T> = { ok: true; value: T } | Failure;

/** Known failures become data (classes do not survive a thread hop); anything else is a bug and throws. */
function guard<T>(fn: () => T): Result<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, status: err.status, code: err.code, message: err.message };
    if (err instanceof XmlError) return { ok: false, status: 400, code: 'malformed', message: err.message };
    if (err instanceof SignatureError) return { ok: false, status: 403, code: 'bad_signature', message: err.message };
    throw err;
  }
}

/** Text of a message that crossed a thread boundary as bytes (bytes clone far faster than long strings). */
export const textOf = (x: string | Uint8Array) => (typeof x === 'string' ? x : Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('utf8'));

export function openMessage(input: string | Uint8Array, certificatePem: string, letterCertificatePem?: string): Result<OpenedMessage> {
  return guard(() => {
    const raw = textOf(input);
    const doc = parseEnvelope(raw);
    const opened = openEnvelope(raw, doc, certificatePem);
    const op = m.readOperation(opened.body);
    const out: OpenedMessage = {
      messageId: opened.messageId, to: opened.to, action: opened.action, fromOrganisationId: opened.fromOrganisationId, relatesTo: opened.relatesTo,
      operation: op.name, bodyXml: serialize(opened.body), dispatchXml: opened.signedOnlyXml,
    };
    if (op.name === 'CorrespondenceLetterOutboundRequest' || op.name.startsWith('CorrespondenceLetterInbound')) {
      const payload = m.readPayloadElement(op.el);
      if (payload?.type === 'letter') {
        const documentXml = serialize(payload.document);
        if (letterCertificatePem) out.letter = { letter: m.readLetter(verifyLetter(payload.document, letterCertificatePem)), signedDocument: Buffer.from(documentXml, 'utf8') };
        else {
          out.document = Buffer.from(documentXml, 'utf8');
          const sender = claimedLetterSender(documentXml);
          if (!sender.ok) throw new XmlError(sender.message);
          out.documentSender = sender.value;
        }
        while (payload.document.firstChild) payload.document.removeChild(payload.document.firstChild);
        out.bodyXml = serialize(opened.body);
        out.dispatchXml = opened.signedOnlyXml.slice(0, opened.signedOnlyXml.indexOf('</soap:Header>') + '</soap:Header>'.length) + out.bodyXml + '</soap:Envelope>';
      }
    }
    return out;
  });
}

/** Verifies a GovernmentDocument (from a signed body) with its sender's certificate and reads the letter. */
export function openLetter(document: string | Uint8Array, certificatePem: string): Result<m.EcmsLetter> {
  return guard(() => m.readLetter(verifyLetter(parseXml(textOf(document)).documentElement as unknown as Element, certificatePem)));
}

/** Sender department id a GovernmentDocument claims (unverified: only to choose the certificate to verify with). */
export function claimedLetterSender(documentXml: string): Result<string> {
  return guard(() => {
    const letter = (parseXml(documentXml).documentElement as unknown as Element).getElementsByTagNameNS(m.NS.ram, 'CorrespondenceLetter')[0];
    const dept = letter?.getElementsByTagNameNS(m.NS.ram, 'SenderParty')[0]?.getElementsByTagNameNS(m.NS.ram, 'DepartmentOrganization')[0]?.textContent?.trim();
    if (!dept || !/^\d{1,10}$/.test(dept)) throw new XmlError('The letter names no sender department.');
    return dept;
  });
}

export interface SignJob { addressing: Addressing; operation: string; inner: string; signer: Signer; letter?: { letterXml: string | Uint8Array; letterId: string } }
/** The whole signed request; a letter is first signed on its own (GovernmentSignature) and becomes `inner`. */
export function signMessage(job: SignJob): string {
  const inner = job.letter ? signLetter(textOf(job.letter.letterXml), job.letter.letterId, job.signer).replace(/^<\?xml[^>]*>/, '') : job.inner;
  return signedEnvelope(job.addressing, m.operationXml(job.operation, inner), job.signer);
}

/** A GovernmentDocument with the letter signed on its own (GovernmentSignature): what a queue for a peer that polls us holds. */
export const signDocument = (letterXml: string | Uint8Array, letterId: string, signer: Signer) => signLetter(textOf(letterXml), letterId, signer).replace(/^<\?xml[^>]*>/, '');

/** Buffers come back from a worker as plain Uint8Arrays. */
export const revive = (u: Uint8Array): Buffer => (Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength));
export function reviveLetter(l: m.EcmsLetter): m.EcmsLetter {
  const buf = revive;
  return { ...l, mainLetter: { ...l.mainLetter, content: buf(l.mainLetter.content) }, attachments: l.attachments.map((a) => ({ ...a, content: buf(a.content) })) };
}
