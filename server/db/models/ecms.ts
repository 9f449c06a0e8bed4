// The ECMS adapter's state (schema: migration 20261205120000-ecms); used only by
// server/modules/exchange/ecms/db-stores.ts.
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
}
