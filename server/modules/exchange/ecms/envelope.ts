// The SOAP 1.1 envelope with WS-Addressing 1.0 headers that we add ourselves (node-soap has none),
// signed as a whole (dsig.ts); and the reverse: from raw request bytes to the signed parts only.
import crypto from 'node:crypto';
import { parseXml, esc, elements, children, only, text, XmlError } from './xml';
import { NS, ECMS_NS } from './messages';
import { sign, verifySigned, signedElement, assertUniqueIds, SignatureError, WSSE, type Signer } from './dsig';

/** A9 (assumed): wsa:From/wsa:Address names the sending organisation as urn:th:gov:ecms:org:<ECMS id>. */
export const orgUrn = (ecmsOrganisationId: string) => `urn:th:gov:ecms:org:${ecmsOrganisationId}`;
const ORG_URN = /^urn:th:gov:ecms:org:(\d{1,10})$/;
export const ANONYMOUS = 'http://www.w3.org/2005/08/addressing/anonymous';
const IDS = { body: 'ecms-body', MessageID: 'ecms-mid', To: 'ecms-to', Action: 'ecms-action', From: 'ecms-from', RelatesTo: 'ecms-rel' } as const;

/** `mid://yyyyMMdd.HHmmssSSS@<org>.<uuid>`: the shape ECMS clients use, with the UTC send time we check freshness against. */
export function newMessageId(ecmsOrganisationId: string, now = new Date()): string {
  const iso = now.toISOString(); // 2026-12-04T09:30:00.123Z
  return `mid://${iso.slice(0, 10).replace(/-/g, '')}.${iso.slice(11, 23).replace(/[:.]/g, '')}@${ecmsOrganisationId}.${crypto.randomUUID()}`;
}
const MID = /^mid:\/\/(\d{4})(\d{2})(\d{2})\.(\d{2})(\d{2})(\d{2})(\d{3})@[A-Za-z0-9.\-_]{1,200}$/;
/** A10 (assumed): the time in a MessageID is UTC. null when the id does not have the mid:// shape. */
export function messageTime(messageId: string): Date | null {
  const m = MID.exec(messageId);
  if (!m) return null;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]);
  return Number.isNaN(t) ? null : new Date(t);
}

export interface Addressing { messageId: string; to: string; action: string; fromOrganisationId: string; relatesTo?: string }

/** A signed envelope: `operationElementXml` is the whole <e:Op …> element that goes into soap:Body. */
export function signedEnvelope(a: Addressing, operationElementXml: string, signer: Signer): string {
  const w = (tag: keyof typeof IDS, inner: string) => `<wsa:${tag} ID="${IDS[tag]}">${inner}</wsa:${tag}>`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${NS.soap}" xmlns:wsa="${NS.wsa}"><soap:Header>`
    + w('MessageID', esc(a.messageId)) + w('To', esc(a.to)) + w('Action', esc(a.action))
    + w('From', `<wsa:Address>${esc(orgUrn(a.fromOrganisationId))}</wsa:Address>`) + (a.relatesTo ? w('RelatesTo', esc(a.relatesTo)) : '')
    + `<wsse:Security xmlns:wsse="${WSSE}"></wsse:Security></soap:Header><soap:Body ID="${IDS.body}">${operationElementXml}</soap:Body></soap:Envelope>`;
  const ids: string[] = [IDS.body, IDS.MessageID, IDS.To, IDS.Action, IDS.From, ...(a.relatesTo ? [IDS.RelatesTo] : [])];
  return sign(xml, ids, signer, `//*[local-name()='Security' and namespace-uri()='${WSSE}']`);
}

/** An unsigned SOAP 1.1 Fault (we refuse before we trust anything; A11: faults are not signed). */
export function faultEnvelope(code: 'soap:Client' | 'soap:Server', subcode: string, reason: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${NS.soap}"><soap:Body><soap:Fault>`
    + `<faultcode>${code}</faultcode><faultstring xml:lang="en">${esc(reason)}</faultstring>`
    + `<detail><e:Refusal xmlns:e="${ECMS_NS}"><Code>${esc(subcode)}</Code></e:Refusal></detail></soap:Fault></soap:Body></soap:Envelope>`;
}

export interface Opened extends Addressing {
  /** The signed soap:Body (canonical XML, parsed): the only body anything may read. */
  body: Element;
  /** Envelope rebuilt from the signed parts only: what node-soap dispatches on. */
  signedOnlyXml: string;
}

/** A refusal with the HTTP status it deserves and a code for the administrators' record. */
export class Refusal extends Error {
  constructor(public status: number, public code: string, message: string, public peerOrganisationId?: string, public messageId?: string) {
    super(message);
  }
}

/** The claimed sender, read before verification only to choose which certificate to verify with. */
export function claimedSender(doc: Document): string {
  const header = only(doc.documentElement as unknown as Element, 'Header', NS.soap);
  const address = text(only(only(header, 'From', NS.wsa), 'Address', NS.wsa)) ?? '';
  const m = ORG_URN.exec(address);
  if (!m) throw new XmlError('wsa:From/wsa:Address must name the sending organisation (urn:th:gov:ecms:org:<id>).');
  return m[1];
}

/** Strict envelope shape: soap:Envelope with exactly soap:Header then soap:Body, nothing else. */
export function parseEnvelope(raw: string): Document {
  const doc = parseXml(raw);
  const root = doc.documentElement as unknown as Element;
  if (root.localName !== 'Envelope' || root.namespaceURI !== NS.soap) throw new XmlError('Not a SOAP 1.1 envelope.');
  const kids = elements(root);
  if (kids.length !== 2 || kids[0].localName !== 'Header' || kids[1].localName !== 'Body' || kids.some((k) => k.namespaceURI !== NS.soap)) {
    throw new XmlError('The envelope must hold exactly soap:Header and soap:Body.');
  }
  assertUniqueIds(doc);
  return doc;
}

/**
 * Verifies a parsed envelope with the peer's certificate and returns only signed content. Every
 * WS-Addressing header we act on, and soap:Body, must be signed; their values are read from the
 * signed references, never from the document's own nodes.
 */
export function openEnvelope(raw: string, doc: Document, certificatePem: string): Opened {
  const root = doc.documentElement as unknown as Element;
  const header = only(root, 'Header', NS.soap);
  const body = only(root, 'Body', NS.soap);
  const security = only(header, 'Security', WSSE);
  const sigs = children(security, 'Signature', NS.ds);
  if (sigs.length !== 1) throw new SignatureError('wsse:Security must hold exactly one ds:Signature.');
  const signed = verifySigned(raw, sigs[0], certificatePem);
  const head = (local: string, required: boolean) => {
    const found = children(header, local, NS.wsa);
    if (found.length > 1) throw new XmlError(`wsa:${local} appears more than once.`);
    if (!found.length) {
      if (required) throw new XmlError(`wsa:${local} is required.`);
      return undefined;
    }
    return signedElement(signed, found[0].getAttribute('ID'), local, NS.wsa);
  };
  const mid = head('MessageID', true)!, to = head('To', true)!, action = head('Action', true)!, from = head('From', true)!, rel = head('RelatesTo', false);
  const signedBody = signedElement(signed, body.getAttribute('ID'), 'Body', NS.soap);
  const fromAddress = text(only(from, 'Address', NS.wsa)) ?? '';
  const m = ORG_URN.exec(fromAddress);
  if (!m) throw new XmlError('wsa:From/wsa:Address must name the sending organisation.');
  const part = (id: string) => signed.get(id)!;
  const signedOnlyXml = `<soap:Envelope xmlns:soap="${NS.soap}"><soap:Header>${part(mid.getAttribute('ID')!)}${part(to.getAttribute('ID')!)}${part(action.getAttribute('ID')!)}`
    + `${part(from.getAttribute('ID')!)}${rel ? part(rel.getAttribute('ID')!) : ''}</soap:Header>${part(body.getAttribute('ID')!)}</soap:Envelope>`;
  return {
    messageId: text(mid) ?? '', to: text(to) ?? '', action: text(action) ?? '', fromOrganisationId: m[1], relatesTo: rel ? text(rel) : undefined,
    body: signedBody, signedOnlyXml,
  };
}
