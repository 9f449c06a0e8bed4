/**
 * THE mapping between our interchange fields and the ECMS (TH e-GIF) message set: every element
 * name, namespace and code list lives in this file, so correcting it against the official WSDL/XSD
 * is a change here (and in ecms.wsdl, which describes the same shapes) and nowhere else.
 *
 * The official WSDL/XSD was not available. Written from the published field names (docs/domain.md,
 * "Interconnection") and the shapes third-party ECMS clients send. ASSUMPTIONS (also in README.md):
 *  A1 Operation wrapper elements (CorrespondenceLetterOutboundRequest, …Response) are in ECMS_NS;
 *     their direct children (LetterID, ProcessID, AcceptID, …) are unqualified. Some clients in the
 *     field send the wrappers unqualified: if the official schema says so, set ECMS_NS to ''.
 *  A2 Notifiers travel inside CorrespondenceLetterOutboundRequest in place of the GovernmentDocument
 *     (as the clients seen in the field do), not as operations of their own.
 *  A3 RejectLetterNotifier and InvalidLetterNotifier carry the reason in an optional <Description>.
 *  A4 Responses: …OutboundResponse { ProcessID, ProcessTime }; …InboundResponse { ProcessID,
 *     ProcessTime, GovernmentDocument | notifier } and an empty response when the queue is empty;
 *     …DeleteResponse / DeleteGovernmentDocumentResponse { Status: OK | NotFound }.
 *  A5 mimeCode holds the MIME type itself (application/pdf); an optional fileName attribute keeps
 *     the file name; binary objects are base64 in the element text.
 *  A6 ram:CorrespondenceLetter carries an ID attribute, and ram:GovernmentSignature holds an
 *     enveloped XML-DSig over it (#ID, exclusive C14N, RSA-SHA256) with the signer's X.509 certificate.
 *  A7 Code lists answer { Code* { Value, Description } }; organisation lists answer
 *     { Organization* { ID, ThaiName, EnglishName, MinistryID, ECMSURL } }.
 *  A8 Dates are xs:date (YYYY-MM-DD, Christian era); ProcessTime/SendDate are xs:dateTime in UTC.
 *  A9–A11 (wsa:From, MessageID times, where the message signature sits) live in envelope.ts.
 */
import { esc, opt, only, child, children, elements, requiredText, optionalText, XmlError } from './xml';

export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  wsa: 'http://www.w3.org/2005/08/addressing',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  rsm: 'urn:th:gov:egif:data:standard:GovernmentDocument:1.0',
  ram: 'urn:th:gov:egif:data:standard:ReusableAggregateBusinessInformationEntity:1',
} as const;
/** A1: the namespace of the operation wrappers (assumed; see the header). */
export const ECMS_NS = 'urn:th:gov:egif:ecms:ws:1';
/** WS-Addressing Action of an operation: ECMS_NS + '/' + operation name (assumed, with A1). */
export const actionOf = (operation: string) => `${ECMS_NS}/${operation}`;

export const OPERATIONS = [
  'CorrespondenceLetterOutboundRequest', 'CorrespondenceLetterInboundRequest', 'CorrespondenceLetterInboundSpecialRequest',
  'CorrespondenceLetterDeleteRequest', 'CorrespondenceDeleteGovernmentDocumentRequest',
  'GetSecretCodes', 'GetSpeedCodes', 'GetMimeCodes', 'GetMinistryOrganizationList', 'GetOrganizationList', 'TimeCheckRequest',
] as const;
export type EcmsOperation = (typeof OPERATIONS)[number];
/** The response element of an operation: …Request → …Response, Get… → Get…Response. */
export const responseOf = (op: EcmsOperation) => (op.endsWith('Request') ? op.replace(/Request$/, 'Response') : `${op}Response`);

// ---- code lists (Value ↔ our vocabulary) ---------------------------------------------------------
export const SECRET_CODES = { '001': 'normal', '002': 'confidential', '003': 'secret', '004': 'top_secret' } as const;
export const SPEED_CODES = { '001': 'normal', '002': 'urgent', '003': 'very_urgent', '004': 'most_urgent' } as const;
export type SecretCode = keyof typeof SECRET_CODES;
export type SpeedCode = keyof typeof SPEED_CODES;
export const SECRET_DESCRIPTIONS: Record<SecretCode, string> = { '001': 'ปกติ', '002': 'ลับ', '003': 'ลับมาก', '004': 'ลับที่สุด' };
export const SPEED_DESCRIPTIONS: Record<SpeedCode, string> = { '001': 'ปกติ', '002': 'ด่วน', '003': 'ด่วนมาก', '004': 'ด่วนที่สุด' };
/** A5: MIME types accepted for the main letter and attachments. */
export const MIME_CODES: Record<string, string> = {
  'application/pdf': 'PDF', 'image/jpeg': 'JPEG image', 'image/png': 'PNG image', 'image/tiff': 'TIFF image',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word (docx)',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel (xlsx)',
  'application/vnd.oasis.opendocument.text': 'OpenDocument text', 'application/zip': 'ZIP archive',
};
export const secretCodeOf = (secrecy: string): SecretCode => (Object.keys(SECRET_CODES) as SecretCode[]).find((k) => SECRET_CODES[k] === secrecy) ?? '001';
/** ด่วนภายใน (deadline) has no ECMS code: it travels as ด่วนที่สุด, the deadline in Description (assumed). */
export const speedCodeOf = (urgency: string): SpeedCode => (urgency === 'deadline' ? '004' : (Object.keys(SPEED_CODES) as SpeedCode[]).find((k) => SPEED_CODES[k] === urgency) ?? '001');

// ---- our side of the mapping -------------------------------------------------------------------
export interface EcmsParty { givenName?: string; familyName?: string; jobTitle?: string; ministryId: string; departmentId: string }
export interface EcmsReference { letterNumber: string; date: string; subject?: string }
export interface EcmsFile { mimeCode: string; fileName?: string; content: Buffer }
export interface EcmsLetter {
  letterNumber: string; // ram:ID (ที่)
  correspondenceDate: string; // ram:CorrespondenceDate (ลงวันที่), YYYY-MM-DD
  subject: string;
  secretCode: SecretCode;
  speedCode: SpeedCode;
  sender: EcmsParty;
  receiver: EcmsParty;
  references: EcmsReference[]; // อ้างถึง
  enclosureText?: string; // ram:Attachment (สิ่งที่ส่งมาด้วย, as text)
  sendDate: string; // ISO instant
  description?: string;
  mainLetter: EcmsFile;
  attachments: EcmsFile[];
}
export const NOTIFIER_KINDS = { receive: 'ReceiveLetterNotifier', accept: 'AcceptLetterNotifier', reject: 'RejectLetterNotifier', invalid: 'InvalidLetterNotifier', invalidAcceptId: 'InvalidAcceptIDNotifier' } as const;
export type NotifierKind = keyof typeof NOTIFIER_KINDS;
export interface EcmsNotifier { kind: NotifierKind; letterNumber: string; correspondenceDate: string; subject: string; acceptId?: string; reason?: string }
export interface EcmsWithdrawal { letterNumber: string; correspondenceDate: string; senderDepartmentId: string; receiverDepartmentId: string }
export interface EcmsCode { value: string; description: string }
export interface EcmsOrganisation { id: string; thaiName: string; englishName?: string; ministryId?: string; ecmsUrl?: string }
export type EcmsPayload = { type: 'letter'; letter: EcmsLetter } | { type: 'notifier'; notifier: EcmsNotifier };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ORG_ID = /^\d{1,10}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

// ---- writing ------------------------------------------------------------------------------------
const r = (tag: string, value: string | undefined) => opt(`ram:${tag}`, value);
function party(tag: string, p: EcmsParty): string {
  return `<ram:${tag}>${r('GivenName', p.givenName)}${r('FamilyName', p.familyName)}${r('JobTitle', p.jobTitle)}`
    + `<ram:MinistryOrganization><ram:ID>${esc(p.ministryId)}</ram:ID></ram:MinistryOrganization>`
    + `<ram:DepartmentOrganization><ram:ID>${esc(p.departmentId)}</ram:ID></ram:DepartmentOrganization></ram:${tag}>`;
}
function binary(tag: string, f: EcmsFile): string {
  if (!(f.mimeCode in MIME_CODES)) throw new XmlError(`The MIME type ${f.mimeCode} is not in the ECMS MIME code list.`);
  return `<ram:${tag} mimeCode="${esc(f.mimeCode)}"${f.fileName ? ` fileName="${esc(f.fileName)}"` : ''}>${f.content.toString('base64')}</ram:${tag}>`;
}

/** ram:CorrespondenceLetter with its ID attribute (A6): what the GovernmentSignature covers. */
export function letterXml(l: EcmsLetter, id: string): string {
  if (l.secretCode === '004') throw new XmlError('ลับที่สุด (top secret) letters may not travel electronically.');
  return `<ram:CorrespondenceLetter xmlns:ram="${NS.ram}" ID="${esc(id)}">`
    + `<ram:ID>${esc(l.letterNumber)}</ram:ID><ram:CorrespondenceDate>${esc(l.correspondenceDate)}</ram:CorrespondenceDate>`
    + `<ram:Subject>${esc(l.subject)}</ram:Subject><ram:SecretCode>${l.secretCode}</ram:SecretCode><ram:SpeedCode>${l.speedCode}</ram:SpeedCode>`
    + party('SenderParty', l.sender) + party('ReceiverParty', l.receiver)
    + l.references.map((ref) => `<ram:ReferenceCorrespondence><ram:ID>${esc(ref.letterNumber)}</ram:ID><ram:CorrespondenceDate>${esc(ref.date)}</ram:CorrespondenceDate>${r('Subject', ref.subject)}</ram:ReferenceCorrespondence>`).join('')
    + r('Attachment', l.enclosureText) + `<ram:SendDate>${esc(l.sendDate)}</ram:SendDate>` + r('Description', l.description)
    + binary('MainLetterBinaryObject', l.mainLetter) + l.attachments.map((a) => binary('AttachmentBinaryObject', a)).join('')
    + '</ram:CorrespondenceLetter>';
}

/** rsm:GovernmentDocument around an already signed letter + GovernmentSignature (see dsig.signLetter). */
export function governmentDocumentXml(letterAndSignature: string): string {
  return `<rsm:GovernmentDocument xmlns:rsm="${NS.rsm}" xmlns:ram="${NS.ram}">${letterAndSignature}</rsm:GovernmentDocument>`;
}

export function notifierXml(n: EcmsNotifier): string {
  const tag = NOTIFIER_KINDS[n.kind];
  return `<${tag}>${opt('LetterID', n.letterNumber)}${n.kind === 'accept' || n.kind === 'invalidAcceptId' ? opt('AcceptID', n.acceptId) : ''}`
    + `${opt('CorrespondenceDate', n.correspondenceDate)}${opt('Subject', n.subject)}${opt('Description', n.reason)}</${tag}>`;
}

/** The whole operation element, <e:Op xmlns:e=ECMS_NS>inner</e:Op>; node-soap writes it around `inner` itself. */
export const operationXml = (name: string, inner = '') => `<e:${name} xmlns:e="${ECMS_NS}">${inner}</e:${name}>`;

// The builders below return the CONTENT of the operation element (node-soap wraps it: { $xml }).
export const outboundResponse = (processId: string, processTime: Date) => `${opt('ProcessID', processId)}${opt('ProcessTime', processTime.toISOString())}`;
export const inboundResponse = (item: { processId: string; processTime: Date; payloadXml: string } | null) =>
  (item ? `${opt('ProcessID', item.processId)}${opt('ProcessTime', item.processTime.toISOString())}${item.payloadXml}` : '');
export const withdrawal = (w: EcmsWithdrawal) => `${opt('LetterID', w.letterNumber)}${opt('CorrespondenceDate', w.correspondenceDate)}`
  + `<SenderDepartment>${opt('Code', w.senderDepartmentId)}</SenderDepartment><AcceptDepartment>${opt('Code', w.receiverDepartmentId)}</AcceptDepartment>`;
export const processIdRequest = (processId: string) => opt('ProcessID', processId);
export const statusResponse = (ok: boolean) => `<Status>${ok ? 'OK' : 'NotFound'}</Status>`;
export const codesResponse = (codes: EcmsCode[]) => codes.map((c) => `<Code>${opt('Value', c.value)}${opt('Description', c.description)}</Code>`).join('');
export const organisationsResponse = (orgs: EcmsOrganisation[]) => orgs.map((o) =>
  `<Organization>${opt('ID', o.id)}${opt('ThaiName', o.thaiName)}${opt('EnglishName', o.englishName)}${opt('MinistryID', o.ministryId)}${opt('ECMSURL', o.ecmsUrl)}</Organization>`).join('');
export const timeResponse = (now: Date) => opt('ServerTime', now.toISOString());
export const secretCodes = (): EcmsCode[] => (Object.keys(SECRET_DESCRIPTIONS) as SecretCode[]).map((value) => ({ value, description: SECRET_DESCRIPTIONS[value] }));
export const speedCodes = (): EcmsCode[] => (Object.keys(SPEED_DESCRIPTIONS) as SpeedCode[]).map((value) => ({ value, description: SPEED_DESCRIPTIONS[value] }));
export const mimeCodes = (): EcmsCode[] => Object.entries(MIME_CODES).map(([value, description]) => ({ value, description }));

// ---- reading (from signed content only: see dsig.ts) --------------------------------------------
const ram = (parent: Node, local: string, max?: number) => requiredText(parent, local, NS.ram, max);
const ramOpt = (parent: Node, local: string, max?: number) => optionalText(parent, local, NS.ram, max);
function readDate(value: string, what: string): string {
  if (!DATE.test(value) || Number.isNaN(Date.parse(value))) throw new XmlError(`${what} must be a date YYYY-MM-DD.`);
  return value;
}
function readParty(el: Element): EcmsParty {
  const ministryId = ram(only(el, 'MinistryOrganization', NS.ram), 'ID', 20);
  const departmentId = ram(only(el, 'DepartmentOrganization', NS.ram), 'ID', 20);
  if (!ORG_ID.test(ministryId) || !ORG_ID.test(departmentId)) throw new XmlError('Organisation ids are numeric.');
  return { givenName: ramOpt(el, 'GivenName', 255), familyName: ramOpt(el, 'FamilyName', 255), jobTitle: ramOpt(el, 'JobTitle', 500), ministryId, departmentId };
}
function readBinary(el: Element): EcmsFile {
  const mimeCode = el.getAttribute('mimeCode') ?? '';
  if (!(mimeCode in MIME_CODES)) throw new XmlError(`<${el.localName}> has a mimeCode outside the MIME code list.`);
  if (elements(el).length) throw new XmlError(`<${el.localName}> must hold base64 text only.`);
  const b64 = (el.textContent ?? '').replace(/\s+/g, '');
  if (!b64 || b64.length % 4 !== 0 || !BASE64.test(b64)) throw new XmlError(`<${el.localName}> is not base64.`);
  const fileName = el.getAttribute('fileName') || undefined;
  if (fileName && (fileName.length > 255 || /[/\\\0]/.test(fileName))) throw new XmlError('A fileName must be a plain file name.');
  return { mimeCode, fileName, content: Buffer.from(b64, 'base64') };
}

export function readLetter(el: Element): EcmsLetter {
  if (el.localName !== 'CorrespondenceLetter' || el.namespaceURI !== NS.ram) throw new XmlError('Expected ram:CorrespondenceLetter.');
  const secretCode = ram(el, 'SecretCode', 3);
  const speedCode = ram(el, 'SpeedCode', 3);
  if (!(secretCode in SECRET_CODES)) throw new XmlError('SecretCode is not in the code list.');
  if (!(speedCode in SPEED_CODES)) throw new XmlError('SpeedCode is not in the code list.');
  if (secretCode === '004') throw new XmlError('ลับที่สุด (top secret) letters may not travel electronically: refused.');
  const sendDate = ram(el, 'SendDate', 40);
  if (!DATETIME.test(sendDate) && !DATE.test(sendDate)) throw new XmlError('SendDate must be a date-time.');
  return {
    letterNumber: ram(el, 'ID', 100), correspondenceDate: readDate(ram(el, 'CorrespondenceDate', 10), 'CorrespondenceDate'), subject: ram(el, 'Subject', 1000),
    secretCode: secretCode as SecretCode, speedCode: speedCode as SpeedCode,
    sender: readParty(only(el, 'SenderParty', NS.ram)), receiver: readParty(only(el, 'ReceiverParty', NS.ram)),
    references: children(el, 'ReferenceCorrespondence', NS.ram).map((ref) => ({ letterNumber: ram(ref, 'ID', 100), date: readDate(ram(ref, 'CorrespondenceDate', 10), 'A reference date'), subject: ramOpt(ref, 'Subject', 1000) })),
    enclosureText: ramOpt(el, 'Attachment', 5000), sendDate, description: ramOpt(el, 'Description', 5000),
    mainLetter: readBinary(only(el, 'MainLetterBinaryObject', NS.ram)), attachments: children(el, 'AttachmentBinaryObject', NS.ram).map(readBinary),
  };
}

export function readNotifier(el: Element): EcmsNotifier {
  const kind = (Object.keys(NOTIFIER_KINDS) as NotifierKind[]).find((k) => NOTIFIER_KINDS[k] === el.localName);
  if (!kind || el.namespaceURI) throw new XmlError(`<${el.localName}> is not a notifier.`);
  const withAccept = kind === 'accept' || kind === 'invalidAcceptId';
  return {
    kind, letterNumber: requiredText(el, 'LetterID', null, 100), correspondenceDate: readDate(requiredText(el, 'CorrespondenceDate', null, 10), 'CorrespondenceDate'),
    subject: requiredText(el, 'Subject', null, 1000), acceptId: withAccept ? requiredText(el, 'AcceptID', null, 100) : undefined, reason: optionalText(el, 'Description', null, 2000),
  };
}

/** The operation element inside a (signed) soap:Body: exactly one, in ECMS_NS. */
export function readOperation(body: Element): { name: string; el: Element } {
  const [el, ...more] = elements(body);
  if (!el || more.length || el.namespaceURI !== ECMS_NS) throw new XmlError('soap:Body must hold exactly one ECMS operation element.');
  return { name: el.localName!, el };
}

/** The payload of an outbound request or an inbound response: a GovernmentDocument or one notifier. */
export function readPayloadElement(op: Element): { type: 'letter'; document: Element } | { type: 'notifier'; notifier: EcmsNotifier } | null {
  const doc = child(op, 'GovernmentDocument', NS.rsm);
  const notifiers = elements(op).filter((e) => !e.namespaceURI && Object.values(NOTIFIER_KINDS).includes(e.localName as never));
  if (doc && notifiers.length === 0 && children(op, 'GovernmentDocument').length === 1) return { type: 'letter', document: doc };
  if (!doc && notifiers.length === 1) return { type: 'notifier', notifier: readNotifier(notifiers[0]) };
  if (!doc && notifiers.length === 0) return null;
  throw new XmlError('Expected one GovernmentDocument or one notifier.');
}

export function readWithdrawal(op: Element): EcmsWithdrawal {
  return {
    letterNumber: requiredText(op, 'LetterID', null, 100), correspondenceDate: readDate(requiredText(op, 'CorrespondenceDate', null, 10), 'CorrespondenceDate'),
    senderDepartmentId: requiredText(only(op, 'SenderDepartment', null), 'Code', null, 20), receiverDepartmentId: requiredText(only(op, 'AcceptDepartment', null), 'Code', null, 20),
  };
}
export const readProcessId = (op: Element) => requiredText(op, 'ProcessID', null, 100);
export const readOptionalProcessId = (op: Element) => optionalText(op, 'ProcessID', null, 100);
export const readProcessTime = (op: Element) => optionalText(op, 'ProcessTime', null, 40);
export const readStatus = (op: Element) => requiredText(op, 'Status', null, 20);
export const readCodes = (op: Element): EcmsCode[] => children(op, 'Code', null).map((c) => ({ value: requiredText(c, 'Value', null, 200), description: optionalText(c, 'Description', null, 500) ?? '' }));
export const readOrganisations = (op: Element): EcmsOrganisation[] => children(op, 'Organization', null).map((o) => ({
  id: requiredText(o, 'ID', null, 20), thaiName: requiredText(o, 'ThaiName', null, 500), englishName: optionalText(o, 'EnglishName', null, 500),
  ministryId: optionalText(o, 'MinistryID', null, 20), ecmsUrl: optionalText(o, 'ECMSURL', null, 2000),
}));
