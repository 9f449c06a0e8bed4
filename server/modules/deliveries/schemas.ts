// Request and response shapes of deliveries (they also generate the OpenAPI document).
import { z } from '../../lib/openapi';
import { DELIVERY_ROLES, DELIVERY_STATUSES, RECIPIENT_KINDS, URGENCIES, SECRECIES } from '../../db/models';

export const SendBody = z
  .object({
    recipients: z
      .array(
        z.object({
          organisationId: z.number().int().positive().openapi({ description: 'an organisation of this deployment (GET /api/organisations)' }),
          role: z.enum(DELIVERY_ROLES).default('to').openapi({ description: 'to: the addressee (เรียน); copy: สำเนาส่ง' }),
        }),
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
    sender: z.object({ organisationId: z.number(), name: z.string(), agencyCode: z.string() }),
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
