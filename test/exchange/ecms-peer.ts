// A test ECMS peer built from the hand-written templates in test/fixtures/ecms (not from our client
// code): it signs with Debian's xmlsec1 and verifies what we send with `xmlsec1 --verify`, so both
// directions are checked by an implementation other than xml-crypto.
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DOMParser } from '@xmldom/xmldom';
import { tmpDir, listen, type TestParty } from './ecms-helpers';

const run = promisify(execFile);
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'ecms');
export const E = 'urn:th:gov:egif:ecms:ws:1';
const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const WSA = 'http://www.w3.org/2005/08/addressing';
const RAM = 'urn:th:gov:egif:data:standard:ReusableAggregateBusinessInformationEntity:1';
/** Which elements carry an ID attribute, for xmlsec1 (it does not guess ids). */
const ID_ATTRS = [`${SOAP}:Body`, ...['MessageID', 'To', 'Action', 'From', 'RelatesTo'].map((h) => `${WSA}:${h}`), `${RAM}:CorrespondenceLetter`].flatMap((n) => ['--id-attr:ID', n]);
const ENVELOPE_SIG = "//*[local-name()='Security']/*[local-name()='Signature']";
const LETTER_SIG = "//*[local-name()='GovernmentSignature']/*[local-name()='Signature']";

const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const RAW = new Set(['BODY', 'PAYLOAD']);
export function fill(name: string, vars: Record<string, string>): string {
  const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  return text.replace(/\{\{([A-Z_0-9]+)\}\}/g, (_, k: string) => {
    if (!(k in vars)) throw new Error(`template ${name} needs ${k}`);
    return RAW.has(k) ? vars[k] : esc(vars[k]);
  });
}

let n = 0;
const tmp = (ext: string) => path.join(tmpDir, `peer-${process.pid}-${++n}.${ext}`);

export async function xmlsecSign(xml: string, party: TestParty, nodeXpath: string): Promise<string> {
  const input = tmp('xml'), output = tmp('xml');
  fs.writeFileSync(input, xml);
  await run('xmlsec1', ['--sign', '--privkey-pem', `${party.keyFile},${party.certFile}`, ...ID_ATTRS, '--node-xpath', nodeXpath, '--output', output, input]);
  return fs.readFileSync(output, 'utf8');
}

/** `xmlsec1 --verify` with the given certificate as the only key: true when the signature at nodeXpath verifies. */
export async function xmlsecVerify(xml: string, certFile: string, nodeXpath = ENVELOPE_SIG): Promise<boolean> {
  const input = tmp('xml');
  fs.writeFileSync(input, xml);
  try {
    await run('xmlsec1', ['--verify', '--pubkey-cert-pem', certFile, ...ID_ATTRS, '--node-xpath', nodeXpath, input]);
    return true;
  } catch {
    return false;
  }
}

/** A MessageID in the shape ECMS clients use; `at` lets tests send old ones. */
export function mid(at = new Date()): string {
  const iso = at.toISOString();
  return `mid://${iso.slice(0, 10).replace(/-/g, '')}.${iso.slice(11, 23).replace(/[:.]/g, '')}@peer.test-${process.pid}-${++n}`;
}

export interface LetterVars { letterNumber: string; subject: string; date?: string; secretCode?: string; speedCode?: string; sender: string; receiver: string; main: Buffer; attachment: Buffer }
/** A GovernmentDocument signed by `signer` with xmlsec1 (the letter's own GovernmentSignature). */
export async function governmentDocument(v: LetterVars, signer: TestParty): Promise<string> {
  const xml = fill('government-document.xml', {
    LETTER_ID: `peer-letter-${++n}`, LETTER_NUMBER: v.letterNumber, DATE: v.date ?? '2026-12-04', SUBJECT: v.subject, SECRET_CODE: v.secretCode ?? '001', SPEED_CODE: v.speedCode ?? '003',
    SENDER_MINISTRY: '12', SENDER: v.sender, RECEIVER_MINISTRY: '11', RECEIVER: v.receiver, SEND_DATE: new Date().toISOString(),
    MAIN_BASE64: v.main.toString('base64'), ATTACHMENT_BASE64: v.attachment.toString('base64'),
  });
  return (await xmlsecSign(xml, signer, LETTER_SIG)).replace(/^<\?xml[^>]*>\s*/, '');
}

export interface Envelope { body: string; to: string; action: string; from: string; messageId?: string }
export async function envelope(e: Envelope, signer: TestParty): Promise<string> {
  return xmlsecSign(fill('envelope.xml', { MESSAGE_ID: e.messageId ?? mid(), TO: e.to, ACTION: e.action, FROM: e.from, BODY: e.body }), signer, ENVELOPE_SIG);
}

export async function post(url: string, xml: string, action = ''): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', SOAPAction: `"${action}"` }, body: xml });
  return { status: res.status, text: await res.text() };
}

export const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
/** The first element named `local` (any namespace) and its text: the peer's own, simple reading. */
export function first(xml: string | Document, local: string): Element | undefined {
  const doc = typeof xml === 'string' ? parse(xml) : xml;
  return (doc.getElementsByTagNameNS('*', local)[0] as Element | undefined) ?? undefined;
}
export const textOf = (xml: string | Document, local: string) => first(xml, local)?.textContent?.trim();
/** The operation element's local name inside soap:Body. */
export function operationOf(xml: string): string | undefined {
  const body = parse(xml).getElementsByTagNameNS(SOAP, 'Body')[0];
  for (let c = body?.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) return (c as Element).localName!;
  return undefined;
}

export interface PeerRecord { operation: string; xml: string; letterVerified?: boolean }

/**
 * The peer's own SOAP endpoint (what our client sends to). It accepts only messages that
 * `xmlsec1 --verify` accepts with OUR certificate, answers with signed templates, and serves a
 * queue for CorrespondenceLetterInboundRequest.
 */
export async function startPeerServer(self: TestParty, ourCertFile: string) {
  const received: PeerRecord[] = [];
  const refused: string[] = [];
  // `for`: the ECMS id whose queue holds the item (as a node keeps one queue per organisation); none: served to any.
  const queue: Array<{ processId: string; payload: string; for?: string }> = [];
  const server = await listen(async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const xml = Buffer.concat(chunks).toString('utf8');
    const reply = (status: number, body: string) => res.writeHead(status, { 'content-type': 'text/xml; charset=utf-8' }).end(body);
    if (!(await xmlsecVerify(xml, ourCertFile))) {
      refused.push(xml);
      return reply(403, `<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP}"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>signature</faultstring><detail><e:Refusal xmlns:e="${E}"><Code>bad_signature</Code></e:Refusal></detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`);
    }
    const operation = operationOf(xml) ?? '';
    const record: PeerRecord = { operation, xml };
    let body: string;
    if (operation === 'CorrespondenceLetterOutboundRequest') {
      if (first(xml, 'GovernmentDocument')) record.letterVerified = await xmlsecVerify(xml, ourCertFile, LETTER_SIG);
      body = fill('outbound-response.xml', { PROCESS_ID: `peer-process-${received.length + 1}`, PROCESS_TIME: new Date().toISOString() });
    } else if (operation === 'CorrespondenceLetterInboundRequest') {
      const asker = /urn:th:gov:ecms:org:(\d+)/.exec(textOf(xml, 'Address') ?? '')?.[1];
      const head = queue.find((q) => !q.for || q.for === asker);
      body = head ? fill('inbound-response.xml', { PROCESS_ID: head.processId, PROCESS_TIME: new Date().toISOString(), PAYLOAD: head.payload }) : fill('inbound-response-empty.xml', {});
    } else if (operation === 'CorrespondenceLetterDeleteRequest') {
      const at = queue.findIndex((q) => q.processId === textOf(xml, 'ProcessID'));
      if (at >= 0) queue.splice(at, 1);
      body = fill('delete-response.xml', { STATUS: at >= 0 ? 'OK' : 'NotFound' });
    } else if (operation === 'CorrespondenceDeleteGovernmentDocumentRequest') {
      body = fill('withdraw-response.xml', { STATUS: 'OK' });
    } else {
      return reply(400, 'unsupported by the test peer');
    }
    received.push(record);
    const response = await xmlsecSign(fill('response-envelope.xml', {
      MESSAGE_ID: mid(), ACTION: `${E}/${operation.replace(/Request$/, 'Response')}`, FROM: self.ecmsOrganisationId, RELATES_TO: textOf(xml, 'MessageID') ?? '', BODY: body,
    }), self, ENVELOPE_SIG);
    reply(200, response);
  });
  return { url: `${server.url}/ecms`, close: server.close, received, refused, queue };
}
