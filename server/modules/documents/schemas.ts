// Request and response shapes of documents (they also generate the OpenAPI document).
import { z } from '../../lib/openapi';
import { plausibleDay, plausibleInstant } from '../../lib/date-fields';
import { DOCUMENT_TYPES, DIRECTIONS, URGENCIES, SECRECIES, DECISIONS, DOCUMENT_STATUSES } from '../../db/models';

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = plausibleDay();

export const Reference = z.object({ owner: text(255), number: text(100), date: isoDate.optional() }).openapi('LetterReference');

const fields = {
  unitId: z.number().int().positive().nullable().optional(),
  subType: z.string().trim().max(24).nullable().optional(),
  urgency: z.enum(URGENCIES).optional().openapi({ description: 'normal ปกติ, urgent ด่วน, very_urgent ด่วนมาก, most_urgent ด่วนที่สุด, deadline ด่วนภายใน (needs urgentBy)' }),
  urgentBy: plausibleInstant().nullable().optional(),
  secrecy: z.enum(SECRECIES).optional().openapi({ description: 'normal ปกติ, confidential ลับ, secret ลับมาก; top_secret ลับที่สุด is refused (may not travel electronically)' }),
  subject: text(500),
  letterNumber: z.string().trim().max(100).nullable().optional(),
  letterDate: isoDate.nullable().optional(),
  senderName: z.string().trim().max(255).nullable().optional(),
  addressee: z.string().trim().max(255).nullable().optional(),
  salutation: z.string().trim().max(32).nullable().optional(),
  body: z.string().max(200000).nullable().optional(),
  closing: z.string().trim().max(64).nullable().optional(),
  signerName: z.string().trim().max(255).nullable().optional(),
  signerPosition: z.string().trim().max(255).nullable().optional(),
  contact: z.string().trim().max(500).nullable().optional(),
  references: z.array(Reference).max(50).optional(),
  enclosures: z.array(text(500)).max(100).optional(),
  copiesTo: z.array(text(255)).max(200).optional(),
  retentionYears: z.number().int().min(1).max(100).nullable().optional().openapi({ description: 'years to keep; null = never destroy; default 10' }),
  recipientUserIds: z.array(z.number().int().positive()).max(500).optional().openapi({ description: 'named recipients (who may read a secret document)' }),
};

// Defaults only on create: in zod 4 a default inside .partial() still fills the field, which would
// silently reset urgency and secrecy on every edit.
export const DocumentCreate = z
  .object({ direction: z.enum(DIRECTIONS), type: z.enum(DOCUMENT_TYPES), ...fields, urgency: fields.urgency.default('normal'), secrecy: fields.secrecy.default('normal') })
  .openapi('DocumentCreate');
export const DocumentUpdate = z
  .object({ version: z.number().int().positive().optional().openapi({ description: 'the version you edited; 409 if it moved on' }), ...fields })
  .partial()
  .openapi('DocumentUpdate');

export const Document = z
  .object({
    id: z.number(), organisationId: z.number(), unitId: z.number().nullable(), direction: z.enum(DIRECTIONS), type: z.enum(DOCUMENT_TYPES), typeTh: z.string(),
    subType: z.string().nullable(), status: z.enum(DOCUMENT_STATUSES), version: z.number(), urgency: z.enum(URGENCIES), urgencyTh: z.string(), urgencyCode: z.string().nullable(),
    urgentBy: z.string().nullable(), secrecy: z.enum(SECRECIES), secrecyTh: z.string(), secrecyCode: z.string(), subject: z.string(), letterNumber: z.string().nullable(),
    letterDate: z.string().nullable(), letterDateTh: z.string().nullable(), senderName: z.string().nullable(), addressee: z.string().nullable(), salutation: z.string().nullable(),
    body: z.string().nullable(), closing: z.string().nullable(), signerName: z.string().nullable(), signerPosition: z.string().nullable(), contact: z.string().nullable(),
    references: z.array(Reference), enclosures: z.array(z.string()), copiesTo: z.array(z.string()), retentionYears: z.number().nullable(),
    registration: z
      .object({ registerId: z.number(), kind: z.string(), year: z.number(), number: z.number(), registeredAt: z.string(), dateTh: z.string(), timeTh: z.string() })
      .nullable()
      .openapi({ description: 'for incoming letters this is the receive stamp (เลขรับ, วันที่, เวลา)' }),
    createdById: z.number().nullable(), createdAt: z.string(), updatedAt: z.string(),
  })
  .openapi('Document');

export const DocumentVersion = z.object({ version: z.number(), createdById: z.number().nullable(), createdAt: z.string(), content: z.record(z.string(), z.unknown()) }).openapi('DocumentVersion');

export const EndorsementCreate = z
  .object({
    text: z.string().trim().max(20000).optional(),
    decision: z.enum(DECISIONS).optional().openapi({ description: 'acknowledge ทราบ, proceed ดำเนินการ, agree เห็นชอบ, approve อนุมัติ, assign มอบ…, return ส่งคืน' }),
    assignTo: z.string().trim().max(255).optional().openapi({ description: 'to whom, with decision assign (มอบ …)' }),
    typedName: z.string().trim().min(1).max(255).optional().openapi({ description: 'defaults to your own name' }),
    positionId: z.number().int().positive().optional().openapi({ description: 'the position you sign in (your own or one you act for); defaults to your own' }),
    capacity: z.enum(['self', 'acting_for', 'acting_in_post']).default('self'),
  })
  .refine((e) => e.text || e.decision, { message: 'write a text or a decision (or both)' })
  .refine((e) => e.decision !== 'assign' || !!e.assignTo, { message: 'assign (มอบ) needs assignTo', path: ['assignTo'] })
  .openapi('EndorsementCreate');

export const Endorsement = z
  .object({
    id: z.number(), documentId: z.number(), seq: z.number(), authorId: z.number(), text: z.string().nullable(), decision: z.enum(DECISIONS).nullable(), decisionTh: z.string().nullable(),
    assignTo: z.string().nullable(), typedName: z.string(), positionId: z.number().nullable(), positionTitle: z.string().nullable(),
    capacity: z.enum(['self', 'acting_for', 'acting_in_post']), signatureBlock: z.string(), createdAt: z.string(), dateTh: z.string(), timeTh: z.string(),
  })
  .openapi('Endorsement');

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
