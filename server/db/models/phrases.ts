// Stock endorsement phrases an organisation offers its executives, per decision (issue 17 item 7).
import { DataTypes, Model, Sequelize, CreationOptional } from 'sequelize';

export class EndorsementPhrase extends Model {
  declare id: CreationOptional<number>;
  declare organisationId: number;
  /** The decision choice of a step's form it goes with (acknowledge, assign, …). */
  declare decision: string;
  declare text: string;
  declare position: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initPhraseModels(sequelize: Sequelize): void {
  EndorsementPhrase.init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      organisationId: { type: DataTypes.INTEGER, allowNull: false },
      decision: { type: DataTypes.STRING(64), allowNull: false },
      text: { type: DataTypes.STRING(300), allowNull: false },
      position: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'endorsement_phrases' },
  );
}
