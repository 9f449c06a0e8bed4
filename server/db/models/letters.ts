// Per-organisation letter settings and template overrides (migration 20261205130000-letters).
import { DataTypes, Model, Sequelize, CreationOptional } from 'sequelize';

/** Thai digits on letters, and the organisation's Garuda image (a stored blob) when it uploaded one. */
export class LetterSettings extends Model {
  declare organisationId: number;
  declare thaiDigits: CreationOptional<boolean>;
  declare garudaSha256: string | null;
  declare garudaMime: string | null;
  declare updatedById: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** An administrator's version of one shipped template (e.g. `external`, `signature`) for their organisation. */
export class LetterTemplate extends Model {
  declare organisationId: number;
  declare name: string;
  declare html: string;
  declare updatedById: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initLetterModels(sequelize: Sequelize): void {
  LetterSettings.init(
    {
      organisationId: { type: DataTypes.INTEGER, primaryKey: true },
      thaiDigits: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      garudaSha256: { type: DataTypes.STRING(64), allowNull: true },
      garudaMime: { type: DataTypes.STRING(64), allowNull: true },
      updatedById: { type: DataTypes.INTEGER, allowNull: true },
    },
    { sequelize, tableName: 'letter_settings' },
  );
  LetterTemplate.init(
    {
      organisationId: { type: DataTypes.INTEGER, primaryKey: true },
      name: { type: DataTypes.STRING(64), primaryKey: true },
      html: { type: DataTypes.TEXT('long'), allowNull: false },
      updatedById: { type: DataTypes.INTEGER, allowNull: true },
    },
    { sequelize, tableName: 'letter_templates' },
  );
}
