// A person's own settings kept on the server: saved inbox filters.
import { DataTypes, Model, Sequelize, CreationOptional } from 'sequelize';

/** A named set of inbox filters and sort order (JSON text), one name per person. */
export class SavedFilter extends Model {
  declare id: CreationOptional<number>;
  declare userId: number;
  declare name: string;
  declare filters: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initPreferenceModels(sequelize: Sequelize): void {
  SavedFilter.init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      userId: { type: DataTypes.INTEGER, allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false },
      filters: { type: DataTypes.TEXT, allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'saved_filters' },
  );
}
