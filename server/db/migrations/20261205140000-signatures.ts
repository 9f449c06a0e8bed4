// Digital signatures (issue 16): organisation CAs and imported trusted CAs, signers' credentials,
// signing PINs (attempt counters live in the database so every server process shares the limit),
// and the verification records behind the public /verify/<code> page. Certificates, sealed keys,
// CRLs and signer lists are LONGTEXT on MariaDB (a CRL of a large organisation passes 64 KB).
import { DataTypes, QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  const long = qi.sequelize.getDialect() === 'sqlite' ? DataTypes.TEXT : DataTypes.TEXT('long');
  const opts = { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' };
  const stamps = { createdAt: { type: DataTypes.DATE(3), allowNull: false }, updatedAt: { type: DataTypes.DATE(3), allowNull: false } };
  const org = { type: DataTypes.INTEGER, references: { model: 'organisations', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'RESTRICT' } as const;
  const user = { type: DataTypes.INTEGER, references: { model: 'users', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'RESTRICT' } as const;
  await qi.createTable('signing_authorities', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    kind: { type: DataTypes.STRING(16), allowNull: false },
    organisationId: { ...org, allowNull: true },
    subject: { type: DataTypes.STRING(1000), allowNull: false },
    fingerprint: { type: DataTypes.STRING(64), allowNull: false },
    certificatePem: { type: long, allowNull: false },
    keySealed: { type: long, allowNull: true },
    crlNumber: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    crlDer: { type: long, allowNull: true },
    crlUpdatedAt: { type: DataTypes.DATE(3), allowNull: true },
    ...stamps,
  }, opts);
  // One CA per organisation (imported CAs have none; NULLs do not collide).
  await qi.addIndex('signing_authorities', ['organisationId'], { unique: true, name: 'signing_authorities_organisation' });
  await qi.addIndex('signing_authorities', ['fingerprint'], { unique: true, name: 'signing_authorities_fingerprint' });
  await qi.createTable('signing_credentials', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    userId: { ...user, allowNull: false },
    organisationId: { ...org, allowNull: false },
    kind: { type: DataTypes.STRING(16), allowNull: false },
    authorityId: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'signing_authorities', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'RESTRICT' },
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
    ...stamps,
  }, opts);
  await qi.addIndex('signing_credentials', ['userId'], { name: 'signing_credentials_user' });
  await qi.addIndex('signing_credentials', ['authorityId', 'revokedAt'], { name: 'signing_credentials_authority' });
  await qi.addIndex('signing_credentials', ['fingerprint'], { unique: true, name: 'signing_credentials_fingerprint' });
  // Named indexes for the remaining foreign keys: MariaDB would otherwise add its own, unnamed alike on SQLite.
  await qi.addIndex('signing_credentials', ['organisationId'], { name: 'signing_credentials_organisation' });
  await qi.createTable('signing_pins', {
    userId: { ...user, primaryKey: true, allowNull: false, onDelete: 'CASCADE' },
    salt: { type: DataTypes.STRING(64), allowNull: false },
    verifier: { type: DataTypes.STRING(128), allowNull: false },
    failedAttempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    lockedUntil: { type: DataTypes.DATE(3), allowNull: true },
    ...stamps,
  }, opts);
  await qi.createTable('signature_records', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    code: { type: DataTypes.STRING(32), allowNull: false },
    organisationId: { ...org, allowNull: false },
    documentId: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'documents', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'SET NULL' },
    sha256: { type: DataTypes.STRING(64), allowNull: false },
    signers: { type: long, allowNull: false },
    createdById: { ...user, allowNull: true },
    ...stamps,
  }, opts);
  await qi.addIndex('signature_records', ['code'], { unique: true, name: 'signature_records_code' });
  await qi.addIndex('signature_records', ['sha256'], { name: 'signature_records_sha256' });
  await qi.addIndex('signature_records', ['documentId'], { name: 'signature_records_document' });
  await qi.addIndex('signature_records', ['organisationId'], { name: 'signature_records_organisation' });
  await qi.addIndex('signature_records', ['createdById'], { name: 'signature_records_created_by' });
}

export async function down(qi: QueryInterface): Promise<void> {
  for (const t of ['signature_records', 'signing_pins', 'signing_credentials', 'signing_authorities']) await qi.dropTable(t);
}
