// Digital signatures (issue 16; schema: migration 20261205140000-signatures): the organisations'
// CAs and imported trusted CAs, signers' credentials (certificate + sealed key), signing PINs with
// their attempt counters, and the verification records behind /verify/<code>.
import { DataTypes, Model, Sequelize, CreationOptional } from 'sequelize';

/** organisation: the organisation's own CA (with its sealed key); imported: a CA trusted by an administrator. */
export class SigningAuthority extends Model {
  declare id: CreationOptional<number>;
  declare kind: 'organisation' | 'imported';
  declare organisationId: number | null;
  declare subject: string;
  declare fingerprint: string;
  declare certificatePem: string;
  declare keySealed: string | null;
  declare crlNumber: CreationOptional<number>;
  /** The last published CRL, base64 DER. */
  declare crlDer: string | null;
  declare crlUpdatedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class SigningCredential extends Model {
  declare id: CreationOptional<number>;
  declare userId: number;
  declare organisationId: number;
  declare kind: 'issued' | 'imported';
  declare authorityId: number | null;
  declare subject: string;
  declare serialHex: string;
  declare fingerprint: string;
  declare certificatePem: string;
  /** The issuers above the signer's certificate (PEM, may be empty). */
  declare chainPem: string;
  /** PKCS#8 sealed with the key derived from the master key and the signer's PIN. */
  declare keySealed: string;
  declare notBefore: Date;
  declare notAfter: Date;
  declare revokedAt: Date | null;
  declare revocationReason: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class SigningPin extends Model {
  declare userId: number;
  declare salt: string;
  declare verifier: string;
  declare failedAttempts: CreationOptional<number>;
  declare lockedUntil: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export interface RecordedSigner { name: string | null; position: string | null; organisation: string | null; fingerprint: string; signedAt: string; timestampAt: string | null }

/** What the public verification page may show: fingerprint, signers, times, status — no subject. */
export class SignatureRecord extends Model {
  declare id: CreationOptional<number>;
  declare code: string;
  declare organisationId: number;
  declare documentId: number | null;
  declare sha256: string;
  /** JSON RecordedSigner[] */
  declare signers: string;
  declare createdById: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initSignatureModels(sequelize: Sequelize): void {
  const long = sequelize.getDialect() === 'sqlite' ? DataTypes.TEXT : DataTypes.TEXT('long');
  SigningAuthority.init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      kind: { type: DataTypes.STRING(16), allowNull: false },
      organisationId: { type: DataTypes.INTEGER, allowNull: true },
      subject: { type: DataTypes.STRING(1000), allowNull: false },
      fingerprint: { type: DataTypes.STRING(64), allowNull: false },
      certificatePem: { type: long, allowNull: false },
      keySealed: { type: long, allowNull: true },
      crlNumber: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      crlDer: { type: long, allowNull: true },
      crlUpdatedAt: { type: DataTypes.DATE(3), allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'signing_authorities' },
  );
  SigningCredential.init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      userId: { type: DataTypes.INTEGER, allowNull: false },
      organisationId: { type: DataTypes.INTEGER, allowNull: false },
      kind: { type: DataTypes.STRING(16), allowNull: false },
      authorityId: { type: DataTypes.INTEGER, allowNull: true },
      subject: { type: DataTypes.STRING(1000), allowNull: false },
      serialHex: { type: DataTypes.STRING(64), allowNull: false },
      fingerprint: { type: DataTypes.STRING(64), allowNull: false },
      certificatePem: { type: long, allowNull: false },
      chainPem: { type: long, allowNull: false },
      keySealed: { type: long, allowNull: false },
      notBefore: { type: DataTypes.DATE(3), allowNull: false },
      notAfter: { type: DataTypes.DATE(3), allowNull: false },
      revokedAt: { type: DataTypes.DATE(3), allowNull: true },
      revocationReason: { type: DataTypes.STRING(255), allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'signing_credentials' },
  );
  SigningPin.init(
    {
      userId: { type: DataTypes.INTEGER, primaryKey: true },
      salt: { type: DataTypes.STRING(64), allowNull: false },
      verifier: { type: DataTypes.STRING(128), allowNull: false },
      failedAttempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      lockedUntil: { type: DataTypes.DATE(3), allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'signing_pins' },
  );
  SignatureRecord.init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      code: { type: DataTypes.STRING(32), allowNull: false },
      organisationId: { type: DataTypes.INTEGER, allowNull: false },
      documentId: { type: DataTypes.INTEGER, allowNull: true },
      sha256: { type: DataTypes.STRING(64), allowNull: false },
      signers: { type: long, allowNull: false },
      createdById: { type: DataTypes.INTEGER, allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'signature_records' },
  );
}
