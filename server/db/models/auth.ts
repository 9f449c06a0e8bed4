// Sign-in state: revocable refresh tokens and generated secrets.
import { DataTypes, Model, Sequelize, CreationOptional } from 'sequelize';

export class RefreshToken extends Model {
  declare id: CreationOptional<number>;
  declare userId: number;
  /** SHA-256 of the token: a stolen database does not yield usable tokens. */
  declare tokenHash: string;
  /** Tokens rotated from one login share a family; reuse of a rotated token revokes the family. */
  declare familyId: string;
  declare expiresAt: Date;
  declare revokedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
}

export class SystemSecret extends Model {
  declare name: string;
  declare value: string;
  declare createdAt: CreationOptional<Date>;
}

export function initAuthModels(sequelize: Sequelize): void {
  RefreshToken.init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      userId: { type: DataTypes.INTEGER, allowNull: false },
      tokenHash: { type: DataTypes.STRING(64), allowNull: false },
      familyId: { type: DataTypes.STRING(36), allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      revokedAt: { type: DataTypes.DATE, allowNull: true },
    },
    { sequelize, tableName: 'refresh_tokens', updatedAt: false },
  );
  SystemSecret.init(
    {
      name: { type: DataTypes.STRING(64), primaryKey: true },
      value: { type: DataTypes.STRING(255), allowNull: false },
    },
    { sequelize, tableName: 'system_secrets', updatedAt: false },
  );
}
