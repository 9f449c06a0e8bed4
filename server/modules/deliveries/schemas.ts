// Request and response shapes of deliveries (they also generate the OpenAPI document).
import { z } from '../../lib/openapi';
import { DELIVERY_ROLES, DELIVERY_STATUSES, RECIPIENT_KINDS, SENDER_KINDS, URGENCIES, SECRECIES } from '../../db/models';

export const SendBody = z
  .object({
    recipients: z
      .array(
        z.union([
          z.object({
            organisationId: z.number().int().positive().openapi({ description: 'an organisation of this deployment (GET /api/organisations)' }),
            role: z.enum(DELIVERY_ROLES).default('to').openapi({ description: 'to: the addressee (เรียน); copy: สำเนาส่ง' }),
            via: z.enum(['system', 'email']).default('system').openapi({ description: "system: into its arrivals tray; email: to its official e-mail address in the directory (ข้อ 89/1)" }),
            name: z.string().trim().min(1).max(255).optional(),
          }).strict(),
          z.object({
            email: z.email().max(255).openapi({ description: 'a one-off e-mail address of an agency without a system (ข้อ 89/1); not for secret letters' }),
            name: z.string().trim().min(1).max(255).optional().openapi({ description: "the recipient's name as the letter addresses it; the address when left out" }),
            role: z.enum(DELIVERY_ROLES).default('to'),
          }).strict(),
          z.object({
            agencyId: z.number().int().positive().openapi({ description: 'an agency elsewhere: its directory entry (GET /api/exchange/peers); the letter travels signed through the exchange' }),
            role: z.enum(DELIVERY_ROLES).default('to'),
          }).strict(),
        ]),
      )
      .min(1)
      .max(500),
  })
  .openapi('SendLetter');

export const ReasonBody = z.object({ reason: z.string().trim().min(3).max(500) }).openapi('DeliveryReason');
export const ReturnBody = z.object({ reason: z.string().trim().max(500).optional() }).openapi('DeliveryReturn');

export const DeliveryFile = z
  .object({ id: z.number(), role: z.enum(['main', 'enclosure']), filename: z.string(), mime: z.string(), size: z.number() })
  .openapi('DeliveryFile', { description: 'a file of the sent letter; read it through GET /api/deliveries/{id}/files/{fileId}' });

export const DeliveryHistory = z
  .object({ status: z.enum(DELIVERY_STATUSES), at: z.string(), actorId: z.number().nullable(), actorName: z.string().nullable(), organisationId: z.number().nullable(), note: z.string().nullable() })
  .openapi('DeliveryHistoryLine');

export const Delivery = z
  .object({
    id: z.number(), documentId: z.number().nullable().openapi({ description: "the sender's letter: shown to the sending side only" }),
    status: z.enum(DELIVERY_STATUSES), statusTh: z.string(), role: z.enum(DELIVERY_ROLES),
    recipient: z.object({ kind: z.enum(RECIPIENT_KINDS), organisationId: z.number().nullable(), agencyId: z.string().nullable(), email: z.string().nullable(), name: z.string() }),
    sender: z.object({ kind: z.enum(SENDER_KINDS), organisationId: z.number().nullable(), agencyId: z.string().nullable(), name: z.string(), agencyCode: z.string().nullable() })
      .openapi({ description: "who sent it: an organisation here, an agency elsewhere (its directory id, through the exchange), or a citizen through the public page (the person's name; contact data through GET /api/citizens/submissions)" }),
    letter: z
      .object({
        letterNumber: z.string().nullable(), letterDate: z.string().nullable(), letterDateTh: z.string().nullable(), subject: z.string(), type: z.string(), typeTh: z.string(),
        urgency: z.enum(URGENCIES), urgencyTh: z.string(), urgencyLevel: z.number(), urgentBy: z.string().nullable(), secrecy: z.enum(SECRECIES), secrecyTh: z.string(),
      })
      .openapi({ description: 'what the letter says of itself: ที่, ลงวันที่, เรื่อง, urgency and secrecy' }),
    files: z.array(DeliveryFile),
    sentAt: z.string(), deliveredAt: z.string().nullable(), receivedAt: z.string().nullable(),
    received: z
      .object({ byId: z.number().nullable(), byName: z.string().nullable(), registerId: z.number().nullable(), year: z.number().nullable(), number: z.number().nullable(), documentId: z.number().nullable() })
      .nullable()
      .openapi({ description: 'the receipt: who accepted, and the receive number (เลขรับ); the received document id only for the receiving side' }),
    closedAt: z.string().nullable(), reason: z.string().nullable(),
    email: z
      .object({
        status: z.enum(['queued', 'sent', 'failed', 'cancelled']), attempts: z.number(), nextAttemptAt: z.string().nullable(), lastError: z.string().nullable(),
        messageId: z.string().nullable(), sentAt: z.string().nullable(), confirmedAt: z.string().nullable(), confirmedBy: z.string().nullable(),
      })
      .nullable()
      .openapi({ description: 'the e-mail channel: sending attempts, the last error, the SMTP message id and who confirmed receipt (null for other channels)' }),
    exchange: z
      .object({
        outboxId: z.number(), status: z.enum(['queued', 'sent', 'failed', 'cancelled']), attempts: z.number(), nextAttemptAt: z.string().nullable(), lastError: z.string().nullable(),
        messageId: z.string(), sentAt: z.string().nullable(),
      })
      .nullable()
      .optional()
      .openapi({ description: 'an agency elsewhere: the exchange outbox of the letter (attempts, last error; failed = not delivered, an administrator may retry)' }),
    previousDeliveryId: z.number().nullable(), resentAsId: z.number().nullable(),
    may: z.object({ accept: z.boolean(), reject: z.boolean(), return: z.boolean(), withdraw: z.boolean(), resend: z.boolean() }),
  })
  .openapi('Delivery');

export const DeliveryDetail = Delivery.extend({ history: z.array(DeliveryHistory) }).openapi('DeliveryDetail');

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const OutgoingQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  pending: z.enum(['true', 'false']).optional().openapi({ description: 'true: sent but not yet received, rejected, returned or withdrawn' }),
  olderThanHours: z.coerce.number().min(0).max(24 * 365).optional().openapi({ type: 'number', description: 'sent more than this many hours ago (with pending=true: "not yet received for more than N hours")' }),
  documentId: z.coerce.number().int().positive().optional().openapi({ type: 'integer' }),
  limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ type: 'integer' }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ type: 'integer' }),
});

export const ArrivalsQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional().openapi({ description: 'waiting ones (delivered) by default' }),
  limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ type: 'integer' }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ type: 'integer' }),
});

export const AcceptResult = z
  .object({ delivery: Delivery, receivedDocumentId: z.number(), entry: z.object({ id: z.number(), registerId: z.number(), year: z.number(), number: z.number(), registeredAt: z.string() }), instanceId: z.number().nullable() })
  .openapi('DeliveryAccepted');

export const ConfirmBody = z.object({ name: z.string().trim().max(255).optional().openapi({ description: 'who confirms (the address when left out)' }) }).openapi('DeliveryConfirm');
export const ConfirmParams = z.object({ token: z.string().min(1).max(300) });
export const ConfirmResult = z
  .object({ deliveryId: z.number(), status: z.enum(DELIVERY_STATUSES), confirmedAt: z.string().nullable(), confirmedBy: z.string().nullable(), letterNumber: z.string().nullable(), subject: z.string() })
  .openapi('DeliveryConfirmation');

export const RouteSending = z
  .object({
    deliveryId: z.number(), role: z.enum(DELIVERY_ROLES), status: z.enum(DELIVERY_STATUSES), statusTh: z.string(),
    recipient: z.object({ kind: z.enum(RECIPIENT_KINDS), organisationId: z.number().nullable(), email: z.string().nullable(), name: z.string() }),
    receipt: z.object({ number: z.number(), year: z.number().nullable() }).nullable().openapi({ description: 'the receive number (เลขรับ) once accepted' }),
    previousDeliveryId: z.number().nullable(),
    steps: z.array(z.object({
      status: z.enum(DELIVERY_STATUSES), statusTh: z.string(), at: z.string(), actorName: z.string().nullable(), organisationName: z.string().nullable(), note: z.string().nullable(),
    })).openapi({ description: 'the send and every status change after it, oldest first' }),
  })
  .openapi('RouteSending', { description: "one recipient's delivery of the letter as a step of its route (a received letter: the delivery that brought it)" });
