// Delivery of outbox events: consumer cursors, the e-mail queue and the digest of group assignments.
import { DataTypes, Model, Sequelize, CreationOptional } from 'sequelize';

/** How far a cluster-wide consumer (e.g. 'mail') has read the outbox. */
export class OutboxCursor extends Model {
  declare name: string;
  declare lastEventId: number;
  declare updatedAt: CreationOptional<Date>;
}

export type MailKind = 'assigned' | 'escalated' | 'digest' | 'citizen';
export type MailStatus = 'pending' | 'sent';

/** One e-mail to one person; sent off the request path, retried with backoff until it goes. */
export class MailMessage extends Model {
  declare id: CreationOptional<number>;
  declare userId: number | null;
  declare eventId: number | null;
  declare kind: MailKind;
  declare toAddress: string;
  declare subject: string;
  declare text: string;
  /** Drawn when sent, e.g. "citizen-receipt:<submission id>" (notify/mail/attachments.ts). */
  declare attachment: CreationOptional<string | null>;
  declare status: CreationOptional<MailStatus>;
  declare attempts: CreationOptional<number>;
  declare nextAttemptAt: Date;
  declare lockedUntil: Date | null;
  declare lastError: string | null;
  declare sentAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A group assignment waiting for the person's next digest (mailId set once it is in one). */
export class MailDigestItem extends Model {
  declare id: CreationOptional<number>;
  declare userId: number;
  declare eventId: number;
  declare mailId: number | null;
  declare createdAt: CreationOptional<Date>;
}

export function initNotifyModels(sequelize: Sequelize): void {
  OutboxCursor.init(
    {
      name: { type: DataTypes.STRING(32), primaryKey: true },
      lastEventId: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0, get() { return Number(this.getDataValue('lastEventId')); } },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'outbox_cursors', createdAt: false },
  );
  MailMessage.init(
    {
      id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
      // Empty for a mail to a citizen (no account): migration 20261205100000-citizens.
      userId: { type: DataTypes.INTEGER, allowNull: true },
      eventId: { type: DataTypes.BIGINT, allowNull: true },
      kind: { type: DataTypes.STRING(16), allowNull: false },
      toAddress: { type: DataTypes.STRING(255), allowNull: false },
      subject: { type: DataTypes.STRING(255), allowNull: false },
      text: { type: DataTypes.TEXT, allowNull: false },
      attachment: { type: DataTypes.STRING(64), allowNull: true },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      nextAttemptAt: { type: DataTypes.DATE(3), allowNull: false },
      lockedUntil: { type: DataTypes.DATE(3), allowNull: true },
      lastError: { type: DataTypes.TEXT, allowNull: true },
      sentAt: { type: DataTypes.DATE(3), allowNull: true },
      // DATE(3) as in the migration: without it Sequelize writes whole seconds on MariaDB.
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'mail_queue' },
  );
  MailDigestItem.init(
    {
      id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
      userId: { type: DataTypes.INTEGER, allowNull: false },
      eventId: { type: DataTypes.BIGINT, allowNull: false },
      mailId: { type: DataTypes.BIGINT, allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'mail_digest_items', updatedAt: false },
  );
}
