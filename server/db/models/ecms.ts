// The ECMS adapter's state (schema: migration 20261205120000-ecms); used by
// server/modules/exchange/ecms/db-stores.ts, and the set-aside queue items by ../ecms-polling.ts.
import { DataTypes, Model, Sequelize, CreationOptional } from 'sequelize';

/** processing: claimed, its handler running (until = lease end); done: processed (until = forget after). */
export class EcmsMessageId extends Model {
  declare peerOrganisationId: string;
  declare messageId: string;
  declare state: 'processing' | 'done';
  declare until: Date;
  declare createdAt: CreationOptional<Date>;
}

export class EcmsPickupItem extends Model {
  declare id: CreationOptional<number>;
  declare peerOrganisationId: string;
  declare processId: string;
  declare payloadXml: string;
  declare createdAt: CreationOptional<Date>;
}

/** An item of a node's queue that could not be stored as it was: kept whole, deleted from the node (migration 20261209100000). */
export class EcmsSetAsideItem extends Model {
  declare id: CreationOptional<number>;
  declare nodeId: number;
  declare processId: string;
  declare kind: 'letter' | 'notifier';
  declare claimedSender: string | null;
  declare reason: string;
  declare detail: string | null;
  declare contentXml: string;
  declare bytes: number;
  /** held: waiting for an administrator; stored: tried again and now an arrival. */
  declare status: 'held' | 'stored';
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initEcmsModels(sequelize: Sequelize): void {
  EcmsMessageId.init(
    {
      peerOrganisationId: { type: DataTypes.STRING(16), primaryKey: true }, messageId: { type: DataTypes.STRING(255), primaryKey: true },
      state: { type: DataTypes.STRING(16), allowNull: false }, until: { type: DataTypes.DATE(3), allowNull: false }, createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'ecms_message_ids', updatedAt: false },
  );
  EcmsPickupItem.init(
    {
      id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true }, peerOrganisationId: { type: DataTypes.STRING(16), allowNull: false },
      processId: { type: DataTypes.STRING(64), allowNull: false }, payloadXml: { type: DataTypes.TEXT('long'), allowNull: false }, createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'ecms_pickup_items', updatedAt: false },
  );
  EcmsSetAsideItem.init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true }, nodeId: { type: DataTypes.INTEGER, allowNull: false },
      processId: { type: DataTypes.STRING(255), allowNull: false }, kind: { type: DataTypes.STRING(16), allowNull: false }, claimedSender: { type: DataTypes.STRING(64), allowNull: true },
      reason: { type: DataTypes.STRING(64), allowNull: false }, detail: { type: DataTypes.STRING(1000), allowNull: true }, contentXml: { type: DataTypes.TEXT('long'), allowNull: false },
      bytes: { type: DataTypes.INTEGER, allowNull: false }, status: { type: DataTypes.STRING(16), allowNull: false }, createdAt: { type: DataTypes.DATE(3), allowNull: false }, updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'ecms_set_aside_items' },
  );
}
