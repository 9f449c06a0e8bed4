// Shapes of the registry API's answers (server/modules/documents, registers, attachments, search,
// workflow routing) and the code lists the forms offer.
export const DOCUMENT_TYPES = ['external', 'internal', 'sealed', 'directive', 'public_relations', 'evidence'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
/** Sub-types each type needs (server/db/models DOCUMENT_SUBTYPES). */
export const SUBTYPES: Record<DocumentType, readonly string[]> = {
  external: [], internal: [], sealed: [], directive: ['order', 'rule', 'bylaw'], public_relations: ['announcement', 'statement', 'news'], evidence: ['certificate', 'minutes', 'memo', 'other'],
};
export const URGENCIES = ['normal', 'urgent', 'very_urgent', 'most_urgent', 'deadline'] as const;
/** ลับที่สุด is not offered: it may not travel electronically (the server refuses it too). */
export const SECRECIES = ['normal', 'confidential', 'secret'] as const;

export interface LetterReference { owner: string; number: string; date?: string }
export interface Registration { registerId: number; kind: string; year: number; number: number; registeredAt: string; dateTh: string; timeTh: string }
export interface DocumentRecord {
  id: number; organisationId: number; unitId: number | null; direction: 'incoming' | 'outgoing' | 'internal'; type: DocumentType; typeTh: string; subType: string | null;
  status: string; version: number; urgency: string; urgencyTh: string; urgentBy: string | null; secrecy: string; secrecyTh: string; subject: string;
  letterNumber: string | null; letterDate: string | null; letterDateTh: string | null; senderName: string | null; addressee: string | null; salutation: string | null;
  body: string | null; closing: string | null; signerName: string | null; signerPosition: string | null; contact: string | null;
  references: LetterReference[]; enclosures: string[]; copiesTo: string[]; registration: Registration | null; createdAt: string; updatedAt: string;
}
export interface Attachment { id: number; documentId: number; role: 'main' | 'enclosure'; filename: string; mime: string; size: number; createdAt: string }
export interface Endorsement {
  id: number; seq: number; text: string | null; decision: string | null; decisionTh: string | null; typedName: string; positionTitle: string | null;
  capacity: string; signatureBlock: string; createdAt: string; dateTh: string; timeTh: string;
}
export interface LetterRoute {
  instances: Array<{ id: number; processKey: string; status: string; startedAt: string; endedAt: string | null }>;
  current: Array<{ taskId: number; name: string; since: string; dueAt: string | null; holders: Array<{ kind: string; name: string }> }>;
  done: Array<{ taskId: number; name: string; completedByName: string | null; completedAt: string | null; note: string | null }>;
}
/** kind secret: the secret register (ทะเบียนหนังสือลับ), which the server lists for the secrets custodian only. */
export interface Register { id: number; unitId: number | null; kind: 'incoming' | 'outgoing' | 'circular' | 'order' | 'secret'; nameTh: string; active: boolean }
export interface RegisterRow {
  number: number; registeredDate: string; registeredTime: string; letterNumber: string; letterDate: string; from: string; to: string; subject: string; action: string; remarks: string;
  direction: string; secrecy: string;
}
export interface RegisterEntry {
  id: number; number: number; year: number; direction: 'incoming' | 'outgoing'; documentId: number | null; status: string; dateTh: string; timeTh: string; row: RegisterRow; hidden: boolean;
}
export interface RegistrationResult { entry: RegisterEntry; document: DocumentRecord | null; replayed: boolean }
