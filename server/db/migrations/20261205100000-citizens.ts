// The citizens' e-channel (issue 18, พ.ร.บ.การปฏิบัติราชการทางอิเล็กทรอนิกส์ 2565):
// - deliveries.senderKind: a letter in the arrivals tray comes from an organisation (as before) or
//   from a citizen through the public page; the rest of the delivery (tray, accept, reject) is the same.
// - citizen_submissions: what only the channel knows (tracking code, the citizen's contact data,
//   the national ID as a keyed hash plus its last 4 digits, the reply), beside the letter itself.
// - citizen_challenges: proof-of-work challenges already used, kept until they expire (no replay).
// - mail_queue.userId may be empty: status mails to a citizen, who has no account, go through the
//   same mail queue and worker as every other mail.
import { DataTypes, QueryInterface } from 'sequelize';

const utf8 = { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' };
const ref = (model: string, allowNull: boolean, onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT' = 'RESTRICT') => ({
  type: DataTypes.INTEGER, allowNull, references: { model, key: 'id' }, onUpdate: 'CASCADE', onDelete,
});

const MAIL_QUEUE_INDEXES: Array<[string, string[], boolean]> = [
  ['mail_queue_user', ['userId'], false],
  ['mail_queue_event_user_kind', ['eventId', 'userId', 'kind'], true],
  ['mail_queue_due', ['status', 'nextAttemptAt'], false],
];

/**
 * SQLite cannot change a column's NULL: the table is rebuilt from its own CREATE statement. The
 * rebuild drops the old table, which (foreign keys on) sets mail_digest_items.mailId to NULL: the
 * links are kept aside in a plain table (not TEMP: the pool may use another connection) and put back.
 */
async function mailUserNullable(qi: QueryInterface, nullable: boolean): Promise<void> {
  const q = (sql: string) => qi.sequelize.query(sql);
  if (qi.sequelize.getDialect() !== 'sqlite') {
    await q(`ALTER TABLE mail_queue MODIFY userId INTEGER ${nullable ? 'NULL' : 'NOT NULL'}`);
    return;
  }
  const [[row]] = (await q("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'mail_queue'")) as [Array<{ sql: string }>, unknown];
  const create = row.sql.replace(/^CREATE TABLE `?mail_queue`?/i, 'CREATE TABLE `mail_queue_rebuilt`');
  const changed = nullable ? create.replace(/(`userId` INTEGER) NOT NULL/i, '$1') : create.replace(/(`userId` INTEGER)(?! NOT NULL)/i, '$1 NOT NULL');
  if (changed === create) throw new Error('mail_queue.userId: the table definition is not the expected one');
  await q('CREATE TABLE mail_digest_links_kept AS SELECT id, mailId FROM mail_digest_items WHERE mailId IS NOT NULL');
  await q(changed);
  await q(`INSERT INTO mail_queue_rebuilt SELECT * FROM mail_queue${nullable ? '' : ' WHERE userId IS NOT NULL'}`);
  await q('DROP TABLE mail_queue');
  await q('ALTER TABLE mail_queue_rebuilt RENAME TO mail_queue');
  await q('UPDATE mail_digest_items SET mailId = (SELECT k.mailId FROM mail_digest_links_kept k WHERE k.id = mail_digest_items.id) WHERE id IN (SELECT id FROM mail_digest_links_kept) AND EXISTS (SELECT 1 FROM mail_queue m WHERE m.id = (SELECT k.mailId FROM mail_digest_links_kept k WHERE k.id = mail_digest_items.id))');
  await q('DROP TABLE mail_digest_links_kept');
  for (const [name, fields, unique] of MAIL_QUEUE_INDEXES) await qi.addIndex('mail_queue', fields, { name, unique });
}

export async function up(qi: QueryInterface): Promise<void> {
  await qi.addColumn('deliveries', 'senderKind', { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'organisation' });
  await qi.createTable(
    'citizen_submissions',
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
      organisationId: ref('organisations', false),
      trackingCode: { type: DataTypes.STRING(16), allowNull: false },
      documentId: ref('documents', false, 'CASCADE'),
      deliveryId: ref('deliveries', true, 'SET NULL'),
      name: { type: DataTypes.STRING(255), allowNull: false },
      idHash: { type: DataTypes.STRING(64), allowNull: false },
      idLast4: { type: DataTypes.STRING(4), allowNull: false },
      address: { type: DataTypes.STRING(1000), allowNull: false },
      phone: { type: DataTypes.STRING(32), allowNull: true },
      email: { type: DataTypes.STRING(255), allowNull: false },
      language: { type: DataTypes.STRING(2), allowNull: false, defaultValue: 'th' },
      status: { type: DataTypes.STRING(16), allowNull: false },
      statusAt: { type: DataTypes.DATE(3), allowNull: false },
      reason: { type: DataTypes.STRING(500), allowNull: true },
      replyDocumentId: ref('documents', true, 'SET NULL'),
      answeredAt: { type: DataTypes.DATE(3), allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    utf8,
  );
  await qi.addIndex('citizen_submissions', ['trackingCode'], { name: 'citizen_submissions_code', unique: true });
  await qi.addIndex('citizen_submissions', ['deliveryId'], { name: 'citizen_submissions_delivery' });
  // Named here, or MariaDB makes its own for the foreign keys and the schemas of the two databases differ.
  await qi.addIndex('citizen_submissions', ['documentId'], { name: 'citizen_submissions_document' });
  await qi.addIndex('citizen_submissions', ['replyDocumentId'], { name: 'citizen_submissions_reply' });
  // The per-ID-number limit counts recent submissions of one hash; the monitor counts per organisation.
  await qi.addIndex('citizen_submissions', ['idHash', 'createdAt'], { name: 'citizen_submissions_id_recent' });
  await qi.addIndex('citizen_submissions', ['organisationId', 'createdAt'], { name: 'citizen_submissions_org' });
  await qi.createTable(
    'citizen_challenges',
    { id: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false }, expiresAt: { type: DataTypes.DATE(3), allowNull: false } },
    utf8,
  );
  await qi.addIndex('citizen_challenges', ['expiresAt'], { name: 'citizen_challenges_expiry' });
  await mailUserNullable(qi, true);
}

export async function down(qi: QueryInterface): Promise<void> {
  // Mail to citizens has no user to keep it for: it goes with the channel.
  await qi.bulkDelete('mail_queue', { userId: null });
  await mailUserNullable(qi, false);
  await qi.dropTable('citizen_challenges');
  await qi.dropTable('citizen_submissions');
  await qi.removeColumn('deliveries', 'senderKind');
}
