// Delivery of outbox events: consumer cursors, the e-mail queue and the digest of group assignments.
import { DataTypes, QueryInterface } from 'sequelize';

const utf8 = { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' };

export async function up(qi: QueryInterface): Promise<void> {
  // One row per consumer that must see each event once across all processes (e.g. 'mail').
  await qi.createTable(
    'outbox_cursors',
    {
      name: { type: DataTypes.STRING(32), primaryKey: true, allowNull: false },
      lastEventId: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    utf8,
  );
  await qi.createTable(
    'mail_queue',
    {
      id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true, allowNull: false },
      userId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'CASCADE' },
      eventId: { type: DataTypes.BIGINT, allowNull: true, references: { model: 'outbox_events', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'SET NULL' },
      kind: { type: DataTypes.STRING(16), allowNull: false },
      toAddress: { type: DataTypes.STRING(255), allowNull: false },
      subject: { type: DataTypes.STRING(255), allowNull: false },
      text: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      nextAttemptAt: { type: DataTypes.DATE(3), allowNull: false },
      lockedUntil: { type: DataTypes.DATE(3), allowNull: true },
      lastError: { type: DataTypes.TEXT, allowNull: true },
      sentAt: { type: DataTypes.DATE(3), allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    utf8,
  );
  await qi.addIndex('mail_queue', ['userId'], { name: 'mail_queue_user' });
  await qi.addIndex('mail_queue', ['eventId', 'userId', 'kind'], { name: 'mail_queue_event_user_kind', unique: true });
  await qi.addIndex('mail_queue', ['status', 'nextAttemptAt'], { name: 'mail_queue_due' });
  await qi.createTable(
    'mail_digest_items',
    {
      id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true, allowNull: false },
      userId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'CASCADE' },
      eventId: { type: DataTypes.BIGINT, allowNull: false, references: { model: 'outbox_events', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'CASCADE' },
      mailId: { type: DataTypes.BIGINT, allowNull: true, references: { model: 'mail_queue', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'SET NULL' },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    utf8,
  );
  await qi.addIndex('mail_digest_items', ['userId', 'eventId'], { name: 'mail_digest_items_user_event', unique: true });
  await qi.addIndex('mail_digest_items', ['eventId'], { name: 'mail_digest_items_event' });
  await qi.addIndex('mail_digest_items', ['mailId'], { name: 'mail_digest_items_mail' });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable('mail_digest_items');
  await qi.dropTable('mail_queue');
  await qi.dropTable('outbox_cursors');
}
