// The exchange with agencies elsewhere (issue 15): the directory of agencies outside this deployment,
// this deployment's exchange identity (key pair + certificate), the outbox of envelopes and notifiers
// to peers, the inbound message ids kept against replays, and the refused inbound requests that
// administrators read (schema: migration 20261205110000-exchange).
import { DataTypes, Model, Sequelize, CreationOptional } from 'sequelize';

export const EXCHANGE_TRANSPORTS = ['saraban', 'ecms', 'email'] as const;
export type ExchangeTransport = (typeof EXCHANGE_TRANSPORTS)[number];
/** How an ECMS peer exchanges: direct (both listen), poll (we poll its queue: an ECMS node), pickup (it polls ours). */
export const ECMS_MODES = ['direct', 'poll', 'pickup'] as const;
export type EcmsMode = (typeof ECMS_MODES)[number];

/**
 * An agency outside this deployment. One model for every transport: the native transport uses
 * endpointUrl + certificatePem, the ECMS adapter ecmsOrganisationId + endpointUrl (its ECMS node) +
 * certificatePem (XML-DSig), the e-mail channel email. `agencyCode` is the agency's code as its own
 * system names itself in envelopes (ministry letters + owner code, e.g. `สธ 0201`).
 */
export class ExchangePeer extends Model {
  declare id: CreationOptional<number>;
  declare nameTh: string;
  declare nameEn: string | null;
  declare ministryCode: string | null;
  declare agencyCode: string;
  declare ecmsOrganisationId: string | null;
  declare transport: ExchangeTransport;
  declare endpointUrl: string | null;
  declare email: string | null;
  /** The peer's X.509 certificate (PEM): its own (self-signed) or the CA that issues its exchange certificates. */
  declare certificatePem: string | null;
  /** SHA-256 of the certificate's DER, hex: what two administrators compare on the phone. */
  declare certificateSha256: string | null;
  declare active: CreationOptional<boolean>;
  declare ecmsMode: CreationOptional<EcmsMode>;
  /** While a server process polls this peer's queue (migration 20261208100000-ecms-polling). */
  declare pollLockedUntil: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** This deployment's exchange key pair and certificate; the newest active row is the one in use. */
export class ExchangeIdentity extends Model {
  declare id: CreationOptional<number>;
  declare certificatePem: string;
  /** Issuer certificates above ours (PEM, JSON array); empty for a self-signed one. */
  declare chainJson: string;
  /** PKCS#8 private key, AES-256-GCM under a key derived from EXCHANGE_KEY_SECRET: iv.tag.ciphertext (base64url). */
  declare encryptedKey: string;
  declare certificateSha256: string;
  declare source: 'generated' | 'imported';
  declare active: boolean;
  declare createdAt: CreationOptional<Date>;
}

/** One message to a peer: a letter (its delivery) or a notifier about one, retried until the peer acknowledges it. */
export class ExchangeOutbox extends Model {
  declare id: CreationOptional<number>;
  declare messageId: string;
  declare peerId: number;
  declare deliveryId: number;
  declare kind: 'letter' | 'notice';
  /** A notifier's payload (JSON); a letter's is built from its document at each attempt. */
  declare noticeJson: string | null;
  declare status: 'queued' | 'sent' | 'failed' | 'cancelled';
  declare attempts: CreationOptional<number>;
  declare queuedAt: Date;
  declare nextAttemptAt: Date;
  declare lockedUntil: Date | null;
  declare lastError: string | null;
  declare sentAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A message taken from a peer (unique per peer and message id): a second delivery of it gets the same acknowledgement. */
export class ExchangeInbound extends Model {
  declare id: CreationOptional<number>;
  declare peerId: number;
  declare messageId: string;
  declare kind: string;
  /** The local delivery it made (a letter) or concerned (a notifier). */
  declare deliveryId: number | null;
  /** For a letter: the peer's message id, so its notifiers and withdrawal find this delivery. */
  declare letterMessageId: string | null;
  declare ackJws: string;
  declare createdAt: CreationOptional<Date>;
}

/** An inbound request refused before anything reached a clerk, with why (for administrators). */
export class ExchangeRefusal extends Model {
  declare id: CreationOptional<number>;
  declare peerId: number | null;
  declare claimedSender: string | null;
  declare messageId: string | null;
  declare remoteAddress: string | null;
  declare status: number;
  declare reason: string;
  declare detail: string | null;
  declare bytes: number;
  declare createdAt: CreationOptional<Date>;
}

const str = (n: number, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });
const int = (allowNull = true) => ({ type: DataTypes.INTEGER, allowNull });
const date = (allowNull = true) => ({ type: DataTypes.DATE(3), allowNull });
const id = { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true };

export function initExchangeModels(sequelize: Sequelize): void {
  const text = (allowNull = true) => ({ type: sequelize.getDialect() === 'sqlite' ? DataTypes.TEXT : DataTypes.TEXT('long'), allowNull });
  ExchangePeer.init(
    {
      id, nameTh: str(255, false), nameEn: str(255), ministryCode: str(16), agencyCode: str(64, false), ecmsOrganisationId: str(64), transport: str(16, false),
      endpointUrl: str(1000), email: str(255), certificatePem: text(), certificateSha256: str(64), active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      ecmsMode: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'direct' }, pollLockedUntil: date(), createdAt: date(false), updatedAt: date(false),
    },
    { sequelize, tableName: 'exchange_peers' },
  );
  ExchangeIdentity.init(
    { id, certificatePem: text(false), chainJson: text(false), encryptedKey: text(false), certificateSha256: str(64, false), source: str(16, false), active: { type: DataTypes.BOOLEAN, allowNull: false }, createdAt: date(false) },
    { sequelize, tableName: 'exchange_identities', updatedAt: false },
  );
  ExchangeOutbox.init(
    {
      id, messageId: str(128, false), peerId: int(false), deliveryId: int(false), kind: str(16, false), noticeJson: text(), status: str(16, false),
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 }, queuedAt: date(false), nextAttemptAt: date(false), lockedUntil: date(), lastError: str(1000), sentAt: date(),
      createdAt: date(false), updatedAt: date(false),
    },
    { sequelize, tableName: 'exchange_outbox' },
  );
  ExchangeInbound.init(
    { id, peerId: int(false), messageId: str(128, false), kind: str(16, false), deliveryId: int(), letterMessageId: str(128), ackJws: text(false), createdAt: date(false) },
    { sequelize, tableName: 'exchange_inbound', updatedAt: false },
  );
  ExchangeRefusal.init(
    {
      id, peerId: int(), claimedSender: str(255), messageId: str(128), remoteAddress: str(64), status: int(false), reason: str(64, false), detail: str(1000),
      bytes: int(false), createdAt: date(false),
    },
    { sequelize, tableName: 'exchange_refusals', updatedAt: false },
  );
}
