// A person who signs in; holds a position in a unit of one organisation.
import { DataTypes, Model, Sequelize, CreationOptional } from 'sequelize';

export class User extends Model {
  declare id: CreationOptional<number>;
  declare organisationId: number;
  declare unitId: number | null;
  declare positionId: number | null;
  declare username: string;
  declare passwordHash: string;
  declare prefixTh: string | null;
  declare firstNameTh: string;
  declare lastNameTh: string;
  declare nameEn: string | null;
  declare email: string | null;
  declare phone: string | null;
  declare locale: CreationOptional<string>;
  declare emailNotifications: CreationOptional<boolean>;
  declare active: CreationOptional<boolean>;
  /** Bumped on password change and forced logout: access tokens carry it and die with it. */
  declare tokenVersion: CreationOptional<number>;
  declare lastLoginAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  get displayName(): string {
    return `${this.prefixTh ?? ''}${this.firstNameTh} ${this.lastNameTh}`.trim();
  }
}

export function initUserModel(sequelize: Sequelize): void {
  User.init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      organisationId: { type: DataTypes.INTEGER, allowNull: false },
      unitId: { type: DataTypes.INTEGER, allowNull: true },
      positionId: { type: DataTypes.INTEGER, allowNull: true },
      username: { type: DataTypes.STRING(64), allowNull: false },
      passwordHash: { type: DataTypes.STRING(255), allowNull: false },
      prefixTh: { type: DataTypes.STRING(64), allowNull: true },
      firstNameTh: { type: DataTypes.STRING(100), allowNull: false },
      lastNameTh: { type: DataTypes.STRING(100), allowNull: false },
      nameEn: { type: DataTypes.STRING(200), allowNull: true },
      email: { type: DataTypes.STRING(255), allowNull: true },
      phone: { type: DataTypes.STRING(64), allowNull: true },
      locale: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'th' },
      emailNotifications: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      tokenVersion: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      lastLoginAt: { type: DataTypes.DATE, allowNull: true },
    },
    { sequelize, tableName: 'users' },
  );
}
