// Deliveries: one row per recipient of a sent letter, whatever the channel (an organisation of this
// deployment, an agency elsewhere through the exchange, an e-mail address), with its status and
// the history of its changes (schema: migration 20261204100000-deliveries).
import { DataTypes, Model, Sequelize, CreationOptional } from 'sequelize';

/** organisation: here, into its arrivals tray; agency: another system (exchange); email: ข้อ 89/1. */
export const RECIPIENT_KINDS = ['organisation', 'agency', 'email'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];
/** to: เรียน (the addressee); copy: สำเนาส่ง. Both receive the letter. */
export const DELIVERY_ROLES = ['to', 'copy'] as const;
export type DeliveryRole = (typeof DELIVERY_ROLES)[number];
/**
 * sent → delivered (in the recipient's tray) → received (accepted and registered) | rejected (with a
 * reason) | returned (wrong recipient); withdrawn by the sender while not yet received.
 * By e-mail: queued (in the delivery outbox) → sent (the SMTP server accepted it) → received (the
 * recipient confirmed through the link) | failed (refused for good, or too many temporary failures).
 */
export const DELIVERY_STATUSES = ['queued', 'sent', 'delivered', 'received', 'rejected', 'returned', 'withdrawn', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/** Still in the recipient's hands (or on its way): may be accepted, rejected, returned or withdrawn. */
export const OPEN_DELIVERY_STATUSES: readonly DeliveryStatus[] = ['queued', 'sent', 'delivered'];

/** organisation: another organisation sent it (or this one, to others); citizen: a person, through the public page (issue 18). */
export const SENDER_KINDS = ['organisation', 'agency', 'citizen'] as const;
export type SenderKind = (typeof SENDER_KINDS)[number];

export class Delivery extends Model {
  declare id: CreationOptional<number>;
  declare documentId: number;
  declare senderKind: CreationOptional<SenderKind>;
  /** For a citizen's letter: the organisation it was written to (it holds the letter until accepted). */
  declare senderOrganisationId: number;
  declare sentById: number | null;
  declare recipientKind: RecipientKind;
  declare recipientOrganisationId: number | null;
  /** The interchange directory id of an agency elsewhere (the exchange issue). */
  declare recipientAgencyId: string | null;
  /** An official e-mail address (the e-mail channel issue). */
  declare recipientEmail: string | null;
  /** The recipient's name when sent, as the sender saw it. */
  declare recipientName: string;
  declare role: DeliveryRole;
  /** Copied from the letter when sent: the tray filters by secrecy and sorts by urgency without it. */
  declare secrecy: string;
  declare urgency: string;
  declare status: DeliveryStatus;
  declare sentAt: Date;
  declare deliveredAt: Date | null;
  declare receivedAt: Date | null;
  declare receivedById: number | null;
  /** The receiving organisation's own document, made when it accepted. */
  declare receivedDocumentId: number | null;
  declare receiveEntryId: number | null;
  declare receiveRegisterId: number | null;
  declare receiveYear: number | null;
  declare receiveNumber: number | null;
  /** Rejected, returned or withdrawn: when, by whom and why. */
  declare closedAt: Date | null;
  declare closedById: number | null;
  declare reason: string | null;
  /** Arrived from an agency elsewhere: its directory id (exchange_peers.id). Such a delivery's
   * senderOrganisationId and documentId are the receiving organisation and its arrived copy. */
  declare senderAgencyId: string | null;
  /** A resend points at the delivery it replaces (unique: a delivery is resent once). */
  declare previousDeliveryId: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** One line of a delivery's history: every status it went through, who and when. */
export class DeliveryEvent extends Model {
  declare id: CreationOptional<number>;
  declare deliveryId: number;
  declare status: DeliveryStatus;
  declare actorId: number | null;
  declare organisationId: number | null;
  declare note: string | null;
  declare createdAt: Date;
}

/**
 * The e-mail channel's outbox row of a delivery (one per e-mail delivery): the sending state with
 * its retries, the SMTP message id, and the confirmation link's single-use id (jti). The link itself
 * is signed with the server's secret and never stored, so a copy of the database cannot confirm.
 */
export class DeliveryMail extends Model {
  declare deliveryId: number;
  declare status: 'queued' | 'sent' | 'failed' | 'cancelled';
  declare attempts: CreationOptional<number>;
  declare nextAttemptAt: Date;
  declare lockedUntil: Date | null;
  declare lastError: string | null;
  declare messageId: string | null;
  declare sentAt: Date | null;
  declare tokenId: string;
  declare tokenExpiresAt: Date;
  declare confirmedAt: Date | null;
  declare confirmedBy: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

const id = { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true };
const str = (n: number, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });
const int = (allowNull = true) => ({ type: DataTypes.INTEGER, allowNull });
const date = (allowNull = true) => ({ type: DataTypes.DATE(3), allowNull });

export function initDeliveryModels(sequelize: Sequelize): void {
  Delivery.init(
    {
      id, documentId: int(false), senderKind: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'organisation' }, senderOrganisationId: int(false), sentById: int(), recipientKind: str(16, false), recipientOrganisationId: int(),
      recipientAgencyId: str(64), recipientEmail: str(255), recipientName: str(255, false), role: str(8, false), secrecy: str(16, false), urgency: str(16, false),
      status: str(16, false), sentAt: date(false), deliveredAt: date(), receivedAt: date(), receivedById: int(), receivedDocumentId: int(), receiveEntryId: int(),
      receiveRegisterId: int(), receiveYear: int(), receiveNumber: int(), closedAt: date(), closedById: int(), reason: str(500), previousDeliveryId: int(), senderAgencyId: str(64),
      createdAt: date(false), updatedAt: date(false),
    },
    { sequelize, tableName: 'deliveries' },
  );
  DeliveryEvent.init(
    { id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true }, deliveryId: int(false), status: str(16, false), actorId: int(), organisationId: int(), note: str(500), createdAt: date(false) },
    { sequelize, tableName: 'delivery_events', timestamps: false },
  );
  DeliveryMail.init(
    {
      deliveryId: { type: DataTypes.INTEGER, primaryKey: true }, status: str(16, false), attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      nextAttemptAt: date(false), lockedUntil: date(), lastError: str(1000), messageId: str(255), sentAt: date(), tokenId: str(64, false), tokenExpiresAt: date(false),
      confirmedAt: date(), confirmedBy: str(255), createdAt: date(false), updatedAt: date(false),
    },
    { sequelize, tableName: 'delivery_mails' },
  );
}
