// The e-mail channel of deliveries (issue 14, ข้อ 89/1): one outbox row per e-mail delivery, with
// its retries, the SMTP message id and the confirmation link's single-use id. The delivery's own
// row and history stay in deliveries / delivery_events (new statuses need no change: a string column).
// The official address of an organisation is its existing organisations.email.
import { DataTypes, QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'delivery_mails',
    {
      deliveryId: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false, references: { model: 'deliveries', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'CASCADE' },
      status: { type: DataTypes.STRING(16), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      nextAttemptAt: { type: DataTypes.DATE(3), allowNull: false },
      lockedUntil: { type: DataTypes.DATE(3), allowNull: true },
      lastError: { type: DataTypes.STRING(1000), allowNull: true },
      messageId: { type: DataTypes.STRING(255), allowNull: true },
      sentAt: { type: DataTypes.DATE(3), allowNull: true },
      tokenId: { type: DataTypes.STRING(64), allowNull: false },
      tokenExpiresAt: { type: DataTypes.DATE(3), allowNull: false },
      confirmedAt: { type: DataTypes.DATE(3), allowNull: true },
      confirmedBy: { type: DataTypes.STRING(255), allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
  );
  // The worker reads due rows by status and time.
  await qi.addIndex('delivery_mails', ['status', 'nextAttemptAt'], { name: 'delivery_mails_due' });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable('delivery_mails');
}
