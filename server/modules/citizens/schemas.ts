// Request and response shapes of the citizens' channel (they also generate the OpenAPI document).
import { z } from '../../lib/openapi';
import { CITIZEN_STATUSES } from '../../db/models';

// Control characters other than line breaks are refused: they have no place in a letter.
// eslint-disable-next-line no-control-regex -- the point is to find them
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const text = (max: number, min = 1) => z.string().trim().min(min).max(max).refine((v) => !CONTROL.test(v), 'control characters are not allowed');

/** The form's text fields (multipart parts); the files and the `altcha` proof come beside them. */
export const SubmissionFields = z.object({
  name: text(200),
  idNumber: z.string().trim().min(13).max(20).openapi({ description: 'Thai national ID, 13 digits (dashes allowed); checked with its check digit, kept only hashed with its last 4 digits' }),
  address: text(1000),
  phone: z.string().trim().max(32).regex(/^[0-9+\-() ]*$/, 'digits, spaces, + - ( ) only').optional(),
  email: z.email().max(255),
  subject: text(300),
  body: text(20000),
  language: z.enum(['th', 'en']).default('th'),
});

export const SubmissionForm = SubmissionFields.extend({
  altcha: z.string().openapi({ description: 'the ALTCHA widget payload (base64 JSON of the solved challenge from GET /api/public/challenge)' }),
  file: z.array(z.string().openapi({ type: 'string', format: 'binary' })).max(5).optional().openapi({ description: 'PDF, PNG or JPEG, recognised by content, each under the size limit' }),
}).openapi('CitizenSubmissionForm');

export const CodeParam = z.object({ code: z.string().min(1).max(64).openapi({ description: "the organisation's interchange id (e.g. MOPH-OPS) or agency code" }) });

export const PublicOrganisation = z.object({ code: z.string(), nameTh: z.string(), nameEn: z.string().nullable(), address: z.string().nullable(), phone: z.string().nullable() }).openapi('PublicOrganisation');

export const Receipt = z
  .object({
    trackingCode: z.string(), submittedAt: z.string(), submittedAtTh: z.string(), organisation: PublicOrganisation, subject: z.string(),
    receiptPdf: z.string().openapi({ description: 'where to POST the tracking code and e-mail (or last 4 ID digits) for the PDF receipt' }),
  })
  .openapi('CitizenReceipt');

export const TrackBody = z
  .object({
    code: z.string().trim().min(1).max(32),
    email: z.email().max(255).optional(),
    idLast4: z.string().regex(/^\d{4}$/).optional(),
  })
  .strict()
  .refine((b) => (b.email ? 1 : 0) + (b.idLast4 ? 1 : 0) === 1, { message: 'give the e-mail or the last 4 digits of the ID number (one of them)' })
  .openapi('CitizenTrack');

export const FileParam = z.object({ fileId: z.coerce.number().int().positive() });

export const Tracking = z
  .object({
    trackingCode: z.string(), organisation: PublicOrganisation, subject: z.string().nullable().openapi({ description: 'null once the request is closed under its retention' }), submittedAt: z.string(), submittedAtTh: z.string(),
    status: z.enum(CITIZEN_STATUSES),
    closed: z.boolean().openapi({ description: 'the letter was destroyed under its retention (or the rejected request outlived its keeping time): the personal data is gone and nothing else is shown' }),
    statusTh: z.string(), statusEn: z.string(), statusAt: z.string(),
    registered: z.object({ number: z.number(), year: z.number(), at: z.string(), atTh: z.string() }).nullable(),
    unit: z.string().nullable().openapi({ description: 'the unit the letter is with (never the names of officials)' }),
    reason: z.string().nullable().openapi({ description: 'why it was not accepted' }),
    reply: z.object({ letterNumber: z.string().nullable(), letterDateTh: z.string().nullable(), files: z.array(z.object({ id: z.number(), filename: z.string(), mime: z.string(), size: z.number() })) }).nullable(),
  })
  .openapi('CitizenTracking');

export const SubmissionView = z
  .object({
    id: z.number(), trackingCode: z.string(), status: z.enum(CITIZEN_STATUSES), statusAt: z.string(), name: z.string(), idNumberMasked: z.string(),
    address: z.string(), phone: z.string().nullable(), email: z.string(), language: z.string(), submittedAt: z.string(),
    deliveryId: z.number().nullable(), documentId: z.number(), receivedDocumentId: z.number().nullable(), reason: z.string().nullable(),
    replyDocumentId: z.number().nullable(), answeredAt: z.string().nullable(),
    purgedAt: z.string().nullable().openapi({ description: 'when the personal data was removed under the retention rules (the fields above are then empty)' }),
  })
  .openapi('CitizenSubmission', { description: "for the organisation's registry clerks: the citizen's contact data (the ID number only masked)" });

export const SubmissionQuery = z.object({
  status: z.enum(CITIZEN_STATUSES).optional(), deliveryId: z.coerce.number().int().positive().optional(),
  documentId: z.coerce.number().int().positive().optional().openapi({ description: "a letter (the tray copy or its registered copy): its citizen's request, for the registry clerks and the people working on the letter; empty for anyone else" }),
  limit: z.coerce.number().int().min(1).max(500).default(100), offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const ReplyBody = z.object({ documentId: z.number().int().positive().openapi({ description: 'a numbered outgoing letter of your organisation with its file' }) }).strict().openapi('CitizenReply');

export const CitizenMonitor = z
  .object({
    since: z.string(), counts: z.object({ received: z.number(), registered: z.number(), rejected: z.number(), answered: z.number(), total: z.number() }),
    waitingForAnswer: z.number(), hoursToAnswer: z.object({ median: z.number().nullable(), p90: z.number().nullable(), answered: z.number() }),
    hoursWaiting: z.object({ median: z.number().nullable(), p90: z.number().nullable(), open: z.number() }).openapi({ description: 'how long the requests still open have waited so far (all of them, whatever the period)' }),
    oldestOpen: z.array(z.object({
      id: z.number(), status: z.enum(CITIZEN_STATUSES), submittedAt: z.string(), hoursWaiting: z.number(), receiveNumber: z.string().nullable(), documentId: z.number().nullable(),
    })).openapi({ description: 'the 20 requests waiting longest, oldest first (no personal data)' }),
  })
  .openapi('CitizenMonitor');
