// Sending letters between organisations (issue 14): one delivery per recipient, and the history of
// each delivery's statuses. The recipient columns cover every channel (an organisation here, an
// agency elsewhere, an e-mail address) so the exchange and e-mail channels add no table of their own.
import { DataTypes, QueryInterface } from 'sequelize';

const utf8 = { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' };
const ref = (model: string, allowNull: boolean, onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT' = 'RESTRICT') => ({
  type: DataTypes.INTEGER, allowNull, references: { model, key: 'id' }, onUpdate: 'CASCADE', onDelete,
});

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'deliveries',
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
      documentId: ref('documents', false, 'CASCADE'),
      senderOrganisationId: ref('organisations', false),
      sentById: ref('users', true, 'SET NULL'),
      recipientKind: { type: DataTypes.STRING(16), allowNull: false },
      recipientOrganisationId: ref('organisations', true),
      recipientAgencyId: { type: DataTypes.STRING(64), allowNull: true },
      recipientEmail: { type: DataTypes.STRING(255), allowNull: true },
      recipientName: { type: DataTypes.STRING(255), allowNull: false },
      role: { type: DataTypes.STRING(8), allowNull: false },
      secrecy: { type: DataTypes.STRING(16), allowNull: false },
      urgency: { type: DataTypes.STRING(16), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      sentAt: { type: DataTypes.DATE(3), allowNull: false },
      deliveredAt: { type: DataTypes.DATE(3), allowNull: true },
      receivedAt: { type: DataTypes.DATE(3), allowNull: true },
      receivedById: ref('users', true, 'SET NULL'),
      receivedDocumentId: ref('documents', true, 'SET NULL'),
      receiveEntryId: ref('register_entries', true, 'SET NULL'),
      receiveRegisterId: { type: DataTypes.INTEGER, allowNull: true },
      receiveYear: { type: DataTypes.INTEGER, allowNull: true },
      receiveNumber: { type: DataTypes.INTEGER, allowNull: true },
      closedAt: { type: DataTypes.DATE(3), allowNull: true },
      closedById: ref('users', true, 'SET NULL'),
      reason: { type: DataTypes.STRING(500), allowNull: true },
      previousDeliveryId: ref('deliveries', true, 'SET NULL'),
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    utf8,
  );
  // A letter's page lists its recipients; the tray reads by recipient and status; the sender's
  // outgoing list by sender, status and age.
  await qi.addIndex('deliveries', ['documentId'], { name: 'deliveries_document' });
  await qi.addIndex('deliveries', ['recipientOrganisationId', 'status', 'sentAt'], { name: 'deliveries_recipient_status' });
  await qi.addIndex('deliveries', ['senderOrganisationId', 'status', 'sentAt'], { name: 'deliveries_sender_status' });
  // A delivery is resent at most once, even by two clerks at the same moment.
  await qi.addIndex('deliveries', ['previousDeliveryId'], { name: 'deliveries_previous', unique: true });
  // Every other foreign key gets its own named index (MariaDB would make unnamed ones otherwise).
  for (const [column, name] of [['sentById', 'sent_by'], ['receivedById', 'received_by'], ['receivedDocumentId', 'received_document'], ['receiveEntryId', 'receive_entry'], ['closedById', 'closed_by']]) {
    await qi.addIndex('deliveries', [column], { name: `deliveries_${name}` });
  }
  await qi.createTable(
    'delivery_events',
    {
      id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true, allowNull: false },
      deliveryId: ref('deliveries', false, 'CASCADE'),
      status: { type: DataTypes.STRING(16), allowNull: false },
      actorId: ref('users', true, 'SET NULL'),
      organisationId: { type: DataTypes.INTEGER, allowNull: true },
      note: { type: DataTypes.STRING(500), allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    utf8,
  );
  await qi.addIndex('delivery_events', ['deliveryId'], { name: 'delivery_events_delivery' });
  await qi.addIndex('delivery_events', ['actorId'], { name: 'delivery_events_actor' });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable('delivery_events');
  await qi.dropTable('deliveries');
}
