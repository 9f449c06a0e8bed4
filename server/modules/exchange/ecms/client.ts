// The ECMS client: node-soap writes the request and does the HTTP; we replace its envelope with
// our signed one (WS-Addressing headers + XML-DSig) and verify the peer's signed response, reading
// only its signed parts. Refusals come back as EcmsRefused with the HTTP status.
import crypto from 'node:crypto';
import * as soap from 'soap';
import * as m from './messages';
import { parseXml, elements, XmlError } from './xml';
import { SignatureError } from './dsig';
import { newMessageId, ANONYMOUS } from './envelope';
import { openOffThread, openLetterOffThread, signOffThread } from './pool';
import type { OpenedMessage, SignJob } from './open';
import { WSDL_PATH } from './server';
import { EcmsHandlerError, type EcmsIdentity, type EcmsPeer } from './types';

export class EcmsRefused extends Error {
  constructor(public status: number, public code: string, message: string) {
    super(message);
  }
}

/**
 * A queued item the node served, signed by the node, that cannot be taken as it is (a letter whose
 * signature fails or whose sender is unknown, one for an organisation not here, a malformed item).
 * Carries the item's ProcessID and its content, so the caller can keep it and dequeue it.
 */
export class QueuedItemRefused extends Error {
  constructor(public processId: string, public kind: 'letter' | 'notifier', public claimedSender: string | null, public content: string, public refusal: XmlError | SignatureError | EcmsHandlerError) {
    super(refusal.message);
  }
}

export interface Fetched {
  processId: string;
  processTime?: string;
  payload: { type: 'letter'; letter: m.EcmsLetter; signedDocument: Buffer } | { type: 'notifier'; notifier: m.EcmsNotifier };
}

export interface EcmsClientOptions {
  /** Certificates of letters' senders when a queue (an ECMS node) relays letters from others; default: the peer itself. */
  resolveSender?: (ecmsOrganisationId: string) => Promise<EcmsPeer | null>;
  /** Whether a queued letter's ReceiverParty department is ours (a deployment may hold several); default: the identity's id only. */
  receives?: (departmentId: string) => Promise<boolean>;
  timeoutMs?: number;
}

export class EcmsClient {
  private client: Promise<soap.Client>;
  private signer: { privateKeyPem: string; certificatePem: string };
  constructor(private identity: EcmsIdentity, private peer: EcmsPeer, private options: EcmsClientOptions = {}) {
    this.client = soap.createClientAsync(WSDL_PATH, { endpoint: peer.endpointUrl });
    this.signer = { privateKeyPem: identity.privateKeyPem, certificatePem: identity.certificatePem };
  }

  /** Sends one operation; returns the signed response's operation element and the MessageID used (the sender's idempotency key). */
  async call(operation: m.EcmsOperation, inner: string, messageId = newMessageId(this.identity.ecmsOrganisationId), letter?: SignJob['letter']): Promise<{ el: Element; opened: OpenedMessage; messageId: string }> {
    const client = await this.client;
    const action = m.actionOf(operation);
    // Signed before node-soap runs (off the event loop when large); node-soap's own envelope is replaced by it.
    const signed = await signOffThread({ addressing: { messageId, to: this.peer.endpointUrl, action, fromOrganisationId: this.identity.ecmsOrganisationId }, operation, inner, letter, signer: this.signer });
    let rawResponse: string;
    try {
      const method = (client as unknown as Record<string, (args: unknown, opts: unknown, headers: unknown) => Promise<[unknown, string]>>)[`${operation}Async`];
      [, rawResponse] = await method({ $xml: '' }, { postProcess: () => signed, timeout: this.options.timeoutMs ?? 60_000 }, { SOAPAction: `"${action}"` });
    } catch (err) {
      const e = err as { response?: { status?: number; data?: unknown }; body?: string; message?: string };
      const status = e.response?.status;
      if (status && status >= 400) {
        const body = String(e.body ?? e.response?.data ?? '');
        const code = /<Code>([^<]{1,64})<\/Code>/.exec(body)?.[1] ?? 'refused';
        const reason = /<faultstring[^>]*>([^<]{0,500})</.exec(body)?.[1] ?? e.message ?? 'refused';
        throw new EcmsRefused(status, code, reason);
      }
      throw err;
    }
    const result = await openOffThread(Buffer.from(String(rawResponse ?? ''), 'utf8'), this.peer.certificatePem);
    if (!result.ok) throw new XmlError(`The peer's response was refused: ${result.message}`);
    const opened = result.value;
    if (opened.fromOrganisationId !== this.peer.ecmsOrganisationId) throw new XmlError('The response is from another organisation.');
    if (opened.relatesTo !== messageId) throw new XmlError('The response does not relate to our request.');
    if (opened.to !== ANONYMOUS) throw new XmlError('The response is addressed elsewhere.');
    if (opened.operation !== m.responseOf(operation) || opened.action !== m.actionOf(opened.operation)) throw new XmlError(`Expected ${m.responseOf(operation)}.`);
    return { el: m.readOperation(parseXml(opened.bodyXml).documentElement as unknown as Element).el, opened, messageId };
  }

  /** Sends a letter (the file bytes base64 inside), signed twice: the letter (GovernmentSignature) and the message. */
  async sendLetter(letter: m.EcmsLetter, messageId?: string) {
    const letterId = `letter-${crypto.randomUUID()}`;
    const { el, messageId: mid } = await this.call('CorrespondenceLetterOutboundRequest', '', messageId, { letterXml: m.letterXml(letter, letterId), letterId });
    return { messageId: mid, processId: m.readProcessId(el), processTime: m.readProcessTime(el) };
  }

  async sendNotifier(n: m.EcmsNotifier, messageId?: string) {
    const { el, messageId: mid } = await this.call('CorrespondenceLetterOutboundRequest', m.notifierXml(n), messageId);
    return { messageId: mid, processId: m.readProcessId(el), processTime: m.readProcessTime(el) };
  }

  /** CorrespondenceLetterInboundRequest: the next queued letter or notifier for us, or null. */
  async fetchNext(): Promise<Fetched | null> {
    return this.readFetched(await this.call('CorrespondenceLetterInboundRequest', ''));
  }

  async fetchAgain(processId: string): Promise<Fetched | null> {
    return this.readFetched(await this.call('CorrespondenceLetterInboundSpecialRequest', m.processIdRequest(processId)));
  }

  /** CorrespondenceLetterDeleteRequest: dequeue after the item was stored. */
  async deleteQueued(processId: string): Promise<boolean> {
    return m.readStatus((await this.call('CorrespondenceLetterDeleteRequest', m.processIdRequest(processId))).el) === 'OK';
  }

  async withdraw(w: m.EcmsWithdrawal, messageId?: string): Promise<boolean> {
    return m.readStatus((await this.call('CorrespondenceDeleteGovernmentDocumentRequest', m.withdrawal(w), messageId)).el) === 'OK';
  }

  async codes(list: 'GetSecretCodes' | 'GetSpeedCodes' | 'GetMimeCodes') {
    return m.readCodes((await this.call(list, '')).el);
  }

  async organisations(ministryId?: string) {
    const op = ministryId === undefined ? 'GetMinistryOrganizationList' : 'GetOrganizationList';
    return m.readOrganisations((await this.call(op, ministryId ? `<MinistryID>${ministryId.replace(/\D/g, '')}</MinistryID>` : '')).el);
  }

  async time(): Promise<Date> {
    const el = (await this.call('TimeCheckRequest', '')).el;
    return new Date(elements(el).find((e) => e.localName === 'ServerTime')?.textContent ?? '');
  }

  /** A relayed letter as the node served it, verified with its sender's certificate (not the node's) and checked to be for us. */
  async openQueuedLetter(document: Buffer, claimed: string): Promise<m.EcmsLetter> {
    const sender = claimed === this.peer.ecmsOrganisationId ? this.peer : await this.options.resolveSender?.(claimed);
    if (!sender) throw new EcmsHandlerError(403, 'unknown_peer', `The letter's sender ${claimed} is not in the directory.`);
    const read = await openLetterOffThread(document, sender.certificatePem);
    if (!read.ok) throw new (read.code === 'bad_signature' ? SignatureError : XmlError)(`The queued letter was refused: ${read.message}`);
    const forUs = this.options.receives ? await this.options.receives(read.value.receiver.departmentId) : read.value.receiver.departmentId === this.identity.ecmsOrganisationId;
    if (!forUs) throw new EcmsHandlerError(422, 'wrong_recipient', 'The queued letter is for another organisation.');
    return read.value;
  }

  private async readFetched({ el, opened }: { el: Element; opened: OpenedMessage }): Promise<Fetched | null> {
    const processId = m.readOptionalProcessId(el);
    if (!processId) return null;
    try {
      if (!opened.document) {
        const payload = m.readPayloadElement(el);
        if (payload?.type !== 'notifier') throw new XmlError('The queued item is neither a letter nor a notifier.');
        return { processId, processTime: m.readProcessTime(el), payload };
      }
      const letter = await this.openQueuedLetter(opened.document, opened.documentSender!);
      return { processId, processTime: m.readProcessTime(el), payload: { type: 'letter', letter, signedDocument: opened.document } };
    } catch (err) {
      if (!(err instanceof XmlError || err instanceof SignatureError || err instanceof EcmsHandlerError)) throw err;
      const content = opened.document ? opened.document.toString('utf8') : opened.bodyXml;
      throw new QueuedItemRefused(processId, opened.document ? 'letter' : 'notifier', opened.documentSender ?? null, content, err);
    }
  }
}
