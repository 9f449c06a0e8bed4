// The correspondence registry: documents and their versions, registers with yearly counters and
// entries, endorsements, the hash-chained audit log, search tokens and attachments.
import { DataTypes, QueryInterface } from 'sequelize';

const utf8 = { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' };
const id = { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false };
const timestamps = {
  createdAt: { type: DataTypes.DATE(3), allowNull: false },
  updatedAt: { type: DataTypes.DATE(3), allowNull: false },
};
const ref = (table: string, onDelete: 'RESTRICT' | 'CASCADE' | 'SET NULL' = 'RESTRICT') => ({
  references: { model: table, key: 'id' },
  onUpdate: 'CASCADE',
  onDelete,
});

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'registers',
    {
      id,
      organisationId: { type: DataTypes.INTEGER, allowNull: false, ...ref('organisations') },
      unitId: { type: DataTypes.INTEGER, allowNull: true, ...ref('units') },
      // 0 for the organisation's own book, else the unit id: lets one unique index cover both.
      scopeKey: { type: DataTypes.INTEGER, allowNull: false },
      kind: { type: DataTypes.STRING(16), allowNull: false },
      nameTh: { type: DataTypes.STRING(255), allowNull: false },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      ...timestamps,
    },
    utf8,
  );
  await qi.addIndex('registers', ['organisationId', 'scopeKey', 'kind'], { name: 'registers_scope_kind', unique: true });
  await qi.addIndex('registers', ['unitId'], { name: 'registers_unit' });

  await qi.createTable(
    'register_counters',
    {
      registerId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true, ...ref('registers', 'CASCADE') },
      year: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
      lastNumber: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    utf8,
  );

  await qi.createTable(
    'documents',
    {
      id,
      organisationId: { type: DataTypes.INTEGER, allowNull: false, ...ref('organisations') },
      unitId: { type: DataTypes.INTEGER, allowNull: true, ...ref('units', 'SET NULL') },
      direction: { type: DataTypes.STRING(16), allowNull: false },
      type: { type: DataTypes.STRING(24), allowNull: false },
      subType: { type: DataTypes.STRING(24), allowNull: true },
      status: { type: DataTypes.STRING(16), allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      urgency: { type: DataTypes.STRING(16), allowNull: false },
      urgentBy: { type: DataTypes.DATE(3), allowNull: true },
      secrecy: { type: DataTypes.STRING(16), allowNull: false },
      letterNumber: { type: DataTypes.STRING(100), allowNull: true },
      letterNumberKey: { type: DataTypes.STRING(100), allowNull: true },
      letterDate: { type: DataTypes.DATEONLY, allowNull: true },
      subject: { type: DataTypes.STRING(500), allowNull: false },
      senderName: { type: DataTypes.STRING(255), allowNull: true },
      addressee: { type: DataTypes.STRING(255), allowNull: true },
      salutation: { type: DataTypes.STRING(32), allowNull: true },
      body: { type: DataTypes.TEXT, allowNull: true },
      closing: { type: DataTypes.STRING(64), allowNull: true },
      signerName: { type: DataTypes.STRING(255), allowNull: true },
      signerPosition: { type: DataTypes.STRING(255), allowNull: true },
      contact: { type: DataTypes.STRING(500), allowNull: true },
      referencesJson: { type: DataTypes.TEXT, allowNull: true },
      enclosuresJson: { type: DataTypes.TEXT, allowNull: true },
      copiesToJson: { type: DataTypes.TEXT, allowNull: true },
      retentionYears: { type: DataTypes.INTEGER, allowNull: true },
      registerId: { type: DataTypes.INTEGER, allowNull: true, ...ref('registers') },
      registerYear: { type: DataTypes.INTEGER, allowNull: true },
      registerNumber: { type: DataTypes.INTEGER, allowNull: true },
      registeredAt: { type: DataTypes.DATE(3), allowNull: true },
      createdById: { type: DataTypes.INTEGER, allowNull: true, ...ref('users', 'SET NULL') },
      ...timestamps,
    },
    utf8,
  );
  await qi.addIndex('documents', ['organisationId', 'registeredAt'], { name: 'documents_organisation_registered' });
  await qi.addIndex('documents', ['unitId'], { name: 'documents_unit' });
  await qi.addIndex('documents', ['registerId', 'registerYear', 'registerNumber'], { name: 'documents_register_number' });
  await qi.addIndex('documents', ['letterNumberKey'], { name: 'documents_letter_number_key' });
  await qi.addIndex('documents', ['createdById'], { name: 'documents_created_by' });

  await qi.createTable(
    'document_versions',
    {
      id,
      documentId: { type: DataTypes.INTEGER, allowNull: false, ...ref('documents', 'CASCADE') },
      version: { type: DataTypes.INTEGER, allowNull: false },
      content: { type: DataTypes.TEXT, allowNull: false },
      createdById: { type: DataTypes.INTEGER, allowNull: true, ...ref('users', 'SET NULL') },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    utf8,
  );
  await qi.addIndex('document_versions', ['documentId', 'version'], { name: 'document_versions_document_version', unique: true });
  await qi.addIndex('document_versions', ['createdById'], { name: 'document_versions_created_by' });

  await qi.createTable(
    'document_recipients',
    {
      documentId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true, ...ref('documents', 'CASCADE') },
      userId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true, ...ref('users', 'CASCADE') },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    utf8,
  );
  await qi.addIndex('document_recipients', ['userId'], { name: 'document_recipients_user' });

  await qi.createTable(
    'register_entries',
    {
      id,
      registerId: { type: DataTypes.INTEGER, allowNull: false, ...ref('registers') },
      year: { type: DataTypes.INTEGER, allowNull: false },
      number: { type: DataTypes.INTEGER, allowNull: false },
      documentId: { type: DataTypes.INTEGER, allowNull: true, ...ref('documents') },
      status: { type: DataTypes.STRING(16), allowNull: false },
      letterNumber: { type: DataTypes.STRING(100), allowNull: true },
      idempotencyKey: { type: DataTypes.STRING(100), allowNull: true },
      note: { type: DataTypes.STRING(500), allowNull: true },
      registeredAt: { type: DataTypes.DATE(3), allowNull: false },
      registeredById: { type: DataTypes.INTEGER, allowNull: true, ...ref('users', 'SET NULL') },
      voidedAt: { type: DataTypes.DATE(3), allowNull: true },
      voidedById: { type: DataTypes.INTEGER, allowNull: true, ...ref('users', 'SET NULL') },
      voidReason: { type: DataTypes.STRING(500), allowNull: true },
    },
    utf8,
  );
  await qi.addIndex('register_entries', ['registerId', 'year', 'number'], { name: 'register_entries_number', unique: true });
  await qi.addIndex('register_entries', ['registerId', 'idempotencyKey'], { name: 'register_entries_idempotency', unique: true });
  await qi.addIndex('register_entries', ['documentId'], { name: 'register_entries_document' });
  await qi.addIndex('register_entries', ['registeredById'], { name: 'register_entries_registered_by' });
  await qi.addIndex('register_entries', ['voidedById'], { name: 'register_entries_voided_by' });

  await qi.createTable(
    'endorsements',
    {
      id,
      documentId: { type: DataTypes.INTEGER, allowNull: false, ...ref('documents') },
      seq: { type: DataTypes.INTEGER, allowNull: false },
      authorId: { type: DataTypes.INTEGER, allowNull: false, ...ref('users') },
      text: { type: DataTypes.TEXT, allowNull: true },
      decision: { type: DataTypes.STRING(16), allowNull: true },
      assignTo: { type: DataTypes.STRING(255), allowNull: true },
      typedName: { type: DataTypes.STRING(255), allowNull: false },
      positionId: { type: DataTypes.INTEGER, allowNull: true, ...ref('positions', 'SET NULL') },
      positionTitle: { type: DataTypes.STRING(255), allowNull: true },
      capacity: { type: DataTypes.STRING(16), allowNull: false },
      delegationId: { type: DataTypes.INTEGER, allowNull: true, ...ref('delegations', 'SET NULL') },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    utf8,
  );
  await qi.addIndex('endorsements', ['documentId', 'seq'], { name: 'endorsements_document_seq', unique: true });
  await qi.addIndex('endorsements', ['authorId'], { name: 'endorsements_author' });
  await qi.addIndex('endorsements', ['positionId'], { name: 'endorsements_position' });
  await qi.addIndex('endorsements', ['delegationId'], { name: 'endorsements_delegation' });

  // One chain per organisation; the head row is locked while appending so links never fork.
  await qi.createTable(
    'audit_heads',
    {
      organisationId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true, ...ref('organisations') },
      lastSeq: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      lastHash: { type: DataTypes.STRING(64), allowNull: false },
    },
    utf8,
  );
  await qi.createTable(
    'audit_log',
    {
      id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true, allowNull: false },
      organisationId: { type: DataTypes.INTEGER, allowNull: false, ...ref('organisations') },
      seq: { type: DataTypes.INTEGER, allowNull: false },
      entityType: { type: DataTypes.STRING(32), allowNull: false },
      entityId: { type: DataTypes.STRING(64), allowNull: false },
      action: { type: DataTypes.STRING(48), allowNull: false },
      actorId: { type: DataTypes.INTEGER, allowNull: true, ...ref('users', 'SET NULL') },
      data: { type: DataTypes.TEXT, allowNull: false },
      prevHash: { type: DataTypes.STRING(64), allowNull: false },
      hash: { type: DataTypes.STRING(64), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    utf8,
  );
  await qi.addIndex('audit_log', ['organisationId', 'seq'], { name: 'audit_log_organisation_seq', unique: true });
  await qi.addIndex('audit_log', ['entityType', 'entityId'], { name: 'audit_log_entity' });
  await qi.addIndex('audit_log', ['actorId'], { name: 'audit_log_actor' });

  await qi.createTable(
    'search_tokens',
    {
      documentId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true, ...ref('documents', 'CASCADE') },
      token: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
    },
    utf8,
  );
  await qi.addIndex('search_tokens', ['token', 'documentId'], { name: 'search_tokens_token' });

  await qi.createTable(
    'blobs',
    {
      sha256: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
      size: { type: DataTypes.BIGINT, allowNull: false },
      mime: { type: DataTypes.STRING(128), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    utf8,
  );
  await qi.createTable(
    'attachments',
    {
      id,
      documentId: { type: DataTypes.INTEGER, allowNull: false, ...ref('documents', 'CASCADE') },
      sha256: { type: DataTypes.STRING(64), allowNull: false, references: { model: 'blobs', key: 'sha256' }, onUpdate: 'CASCADE', onDelete: 'RESTRICT' },
      role: { type: DataTypes.STRING(16), allowNull: false },
      filename: { type: DataTypes.STRING(255), allowNull: false },
      mime: { type: DataTypes.STRING(128), allowNull: false },
      size: { type: DataTypes.BIGINT, allowNull: false },
      createdById: { type: DataTypes.INTEGER, allowNull: true, ...ref('users', 'SET NULL') },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    utf8,
  );
  await qi.addIndex('attachments', ['documentId'], { name: 'attachments_document' });
  await qi.addIndex('attachments', ['sha256'], { name: 'attachments_sha256' });
  await qi.addIndex('attachments', ['createdById'], { name: 'attachments_created_by' });

  // The new role: every existing organisation gets its (empty) secrets custodian group.
  const [orgs] = (await qi.sequelize.query('SELECT id FROM organisations')) as [Array<{ id: number }>, unknown];
  const now = new Date();
  for (const org of orgs) {
    const [found] = (await qi.sequelize.query('SELECT id FROM `groups` WHERE organisationId = ? AND `key` = ?', { replacements: [org.id, 'secrets_custodian'] })) as [unknown[], unknown];
    if (!found.length) {
      await qi.bulkInsert('groups', [{ organisationId: org.id, key: 'secrets_custodian', nameTh: 'นายทะเบียนเอกสารลับ', nameEn: 'Secrets custodian', createdAt: now, updatedAt: now }]);
    }
  }
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.bulkDelete('groups', { key: 'secrets_custodian' });
  for (const table of ['attachments', 'blobs', 'search_tokens', 'audit_log', 'audit_heads', 'endorsements', 'register_entries', 'document_recipients', 'document_versions', 'documents', 'register_counters', 'registers']) {
    await qi.dropTable(table);
  }
}
