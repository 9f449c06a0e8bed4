// The citizens' e-channel (schema: migration 20261205100000-citizens): a submission from the public
// page, beside the letter (documents) that carries its subject, text and files into the tray.
import { DataTypes, Model, Sequelize, CreationOptional } from 'sequelize';

/**
 * received: in the arrivals tray · registered: accepted, with its receive number · rejected: with a
 * reason the citizen sees · answered: a reply letter is linked and downloadable.
 */
export const CITIZEN_STATUSES = ['received', 'registered', 'rejected', 'answered'] as const;
export type CitizenStatus = (typeof CITIZEN_STATUSES)[number];

export class CitizenSubmission extends Model {
  declare id: CreationOptional<number>;
  declare organisationId: number;
  /** Unguessable, with a check character (citizens/identity.ts). */
  declare trackingCode: string;
  /** The letter as it waits in the tray: subject, text, files. */
  declare documentId: number;
  declare deliveryId: number | null;
  declare name: string;
  /** HMAC-SHA-256 of the 13-digit national ID under a key derived from the server's secret. */
  declare idHash: string;
  declare idLast4: string;
  declare address: string;
  declare phone: string | null;
  declare email: string;
  declare language: 'th' | 'en';
  declare status: CitizenStatus;
  declare statusAt: Date;
  /** A rejection's reason: the citizen sees it. */
  declare reason: string | null;
  declare replyDocumentId: number | null;
  declare answeredAt: Date | null;
  /** When the personal data was removed (citizens/purge.ts); the emptied row answers "closed". */
  declare purgedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A proof-of-work challenge already used: kept until it expires, so none is used twice. */
export class CitizenChallenge extends Model {
  declare id: string;
  declare expiresAt: Date;
}

const str = (n: number, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });
const date = (allowNull = true) => ({ type: DataTypes.DATE(3), allowNull });

export function initCitizenModels(sequelize: Sequelize): void {
  CitizenSubmission.init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true }, organisationId: { type: DataTypes.INTEGER, allowNull: false }, trackingCode: str(16, false),
      documentId: { type: DataTypes.INTEGER, allowNull: false }, deliveryId: { type: DataTypes.INTEGER, allowNull: true }, name: str(255, false), idHash: str(64, false),
      idLast4: str(4, false), address: str(1000, false), phone: str(32), email: str(255, false), language: str(2, false), status: str(16, false), statusAt: date(false),
      reason: str(500), replyDocumentId: { type: DataTypes.INTEGER, allowNull: true }, answeredAt: date(), purgedAt: date(), createdAt: date(false), updatedAt: date(false),
    },
    { sequelize, tableName: 'citizen_submissions' },
  );
  CitizenChallenge.init({ id: { type: DataTypes.STRING(64), primaryKey: true }, expiresAt: date(false) }, { sequelize, tableName: 'citizen_challenges', timestamps: false });
}
