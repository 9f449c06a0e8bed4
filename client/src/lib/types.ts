// Shapes of the server's answers (see /api/openapi.json).
export interface Organisation {
  id: number; parentId: number | null; kind: string; nameTh: string; nameEn: string | null; agencyCode: string;
  ministryCode: string | null; interchangeId: string | null; address: string | null; phone: string | null; email: string | null; active: boolean;
}
export interface Unit {
  id: number; organisationId: number; parentUnitId: number | null; kind: string; nameTh: string; nameEn: string | null;
  ownerCode: string | null; keepsOwnRegister: boolean; active: boolean;
}
export interface Position { id: number; organisationId: number; unitId: number | null; titleTh: string; titleEn: string | null; reportsToId: number | null; active: boolean }
export interface User {
  id: number; organisationId: number; unitId: number | null; positionId: number | null; username: string; prefixTh: string | null;
  firstNameTh: string; lastNameTh: string; displayName: string; nameEn: string | null; email: string | null; phone: string | null;
  locale: string; emailNotifications: boolean; active: boolean; roles?: string[]; groupIds?: number[];
}
export interface Group { id: number; organisationId: number; key: string; nameTh: string; nameEn: string | null; isRole: boolean }
export type CapacityKind = 'self' | 'acting_for' | 'acting_in_post';
export interface Delegation {
  id: number; organisationId: number; principalPositionId: number; delegateUserId: number; capacity: Exclude<CapacityKind, 'self'>;
  startsAt: string; endsAt: string | null; orderNumber: string; orderDate: string | null; note: string | null; revokedAt: string | null; active: boolean;
}
export interface Capacity { positionId: number; capacity: CapacityKind; delegationId?: number; positionTitleTh?: string }
export interface Me { user: User; organisation: Organisation; unit: Unit | null; position: Position | null; capacities: Capacity[] }
export interface List<T> { items: T[] }

/** Deliveries (server/modules/deliveries): one per recipient of a sent letter. */
export type DeliveryStatus = 'queued' | 'failed' | 'sent' | 'delivered' | 'received' | 'rejected' | 'returned' | 'withdrawn';
/** The e-mail channel of a delivery: sending attempts, the last error, who confirmed receipt. */
export interface DeliveryEmail {
  status: 'queued' | 'sent' | 'failed' | 'cancelled'; attempts: number; nextAttemptAt: string | null; lastError: string | null;
  messageId: string | null; sentAt: string | null; confirmedAt: string | null; confirmedBy: string | null;
}
export interface DeliveryFile { id: number; role: 'main' | 'enclosure'; filename: string; mime: string; size: number }
export interface Delivery {
  id: number; documentId: number | null; status: DeliveryStatus; statusTh: string; role: 'to' | 'copy';
  recipient: { kind: 'organisation' | 'agency' | 'email'; organisationId: number | null; agencyId: string | null; email: string | null; name: string };
  sender: { kind: 'organisation' | 'agency' | 'citizen'; organisationId: number | null; agencyId: string | null; name: string; agencyCode: string | null };
  letter: {
    letterNumber: string | null; letterDate: string | null; letterDateTh: string | null; subject: string; type: string; typeTh: string;
    urgency: string; urgencyTh: string; urgencyLevel: number; urgentBy: string | null; secrecy: string; secrecyTh: string;
  };
  files: DeliveryFile[];
  sentAt: string; deliveredAt: string | null; receivedAt: string | null;
  received: { byId: number | null; byName: string | null; registerId: number | null; year: number | null; number: number | null; documentId: number | null } | null;
  closedAt: string | null; reason: string | null; previousDeliveryId: number | null; resentAsId: number | null;
  email: DeliveryEmail | null;
  /** An agency elsewhere: the exchange outbox of the letter (failed = not delivered). */
  exchange?: { outboxId: number; status: 'queued' | 'sent' | 'failed' | 'cancelled'; attempts: number; nextAttemptAt: string | null; lastError: string | null; messageId: string; sentAt: string | null } | null;
  may: { accept: boolean; reject: boolean; return: boolean; withdraw: boolean; resend: boolean };
}
export interface DeliveryAccepted {
  delivery: Delivery; receivedDocumentId: number; instanceId: number | null;
  entry: { id: number; registerId: number; year: number; number: number; registeredAt: string };
}
