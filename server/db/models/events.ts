// The outbox: domain events written in the same transaction as the change they describe,
// delivered after commit (Socket.io rooms, e-mail, other agencies).
import { DataTypes, Model, Sequelize, CreationOptional } from 'sequelize';

export class OutboxEvent extends Model {
  declare id: CreationOptional<number>;
  declare type: string;
  declare organisationId: number | null;
  declare subjectType: string;
  declare subjectId: string;
  /** JSON: who may hear of it — { userIds, groupIds, unitIds, positionIds, processKeys }. */
  declare audience: string;
  /** JSON: ids and a short summary; never the content of a secret document. */
  declare summary: string;
  declare createdAt: CreationOptional<Date>;
}

export function initEventModels(sequelize: Sequelize): void {
  OutboxEvent.init(
    {
      id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
      type: { type: DataTypes.STRING(64), allowNull: false },
      organisationId: { type: DataTypes.INTEGER, allowNull: true },
      subjectType: { type: DataTypes.STRING(32), allowNull: false },
      subjectId: { type: DataTypes.STRING(64), allowNull: false },
      audience: { type: DataTypes.TEXT, allowNull: false },
      summary: { type: DataTypes.TEXT, allowNull: false },
      // DATE(3) as in the migration: without it Sequelize writes whole seconds on MariaDB.
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'outbox_events', updatedAt: false },
  );
}
