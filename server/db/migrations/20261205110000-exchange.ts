// The exchange with agencies elsewhere (issue 15): the directory, this deployment's exchange identity,
// the outbox to peers, the inbound message ids (exactly once, replays), the refused inbound requests.
// deliveries.senderAgencyId marks a delivery that arrived from an agency elsewhere (its directory id).
import { DataTypes, QueryInterface } from 'sequelize';

const utf8 = { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' };

export async function up(qi: QueryInterface): Promise<void> {
  const long = (allowNull: boolean) => ({ type: qi.sequelize.getDialect() === 'sqlite' ? DataTypes.TEXT : DataTypes.TEXT('long'), allowNull });
  const str = (n: number, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });
  const date = (allowNull = true) => ({ type: DataTypes.DATE(3), allowNull });
  const id = { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false };
  await qi.createTable('exchange_peers', {
    id, nameTh: str(255, false), nameEn: str(255), ministryCode: str(16), agencyCode: str(64, false), ecmsOrganisationId: str(64), transport: str(16, false),
    endpointUrl: str(1000), email: str(255), certificatePem: long(true), certificateSha256: str(64), active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    createdAt: date(false), updatedAt: date(false),
  }, utf8);
  // An agency is named once per transport: an inbound envelope finds its sender by code.
  await qi.addIndex('exchange_peers', ['agencyCode', 'transport'], { name: 'exchange_peers_code', unique: true });
  await qi.createTable('exchange_identities', {
    id, certificatePem: long(false), chainJson: long(false), encryptedKey: long(false), certificateSha256: str(64, false), source: str(16, false),
    active: { type: DataTypes.BOOLEAN, allowNull: false }, createdAt: date(false),
  }, utf8);
  await qi.createTable('exchange_outbox', {
    id, messageId: str(128, false),
    peerId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'exchange_peers', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'RESTRICT' },
    deliveryId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'deliveries', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'CASCADE' },
    kind: str(16, false), noticeJson: long(true), status: str(16, false), attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    queuedAt: date(false), nextAttemptAt: date(false), lockedUntil: date(), lastError: str(1000), sentAt: date(), createdAt: date(false), updatedAt: date(false),
  }, utf8);
  await qi.addIndex('exchange_outbox', ['messageId'], { name: 'exchange_outbox_message', unique: true });
  await qi.addIndex('exchange_outbox', ['status', 'nextAttemptAt'], { name: 'exchange_outbox_due' });
  await qi.addIndex('exchange_outbox', ['deliveryId'], { name: 'exchange_outbox_delivery' });
  await qi.addIndex('exchange_outbox', ['peerId'], { name: 'exchange_outbox_peer' });
  await qi.createTable('exchange_inbound', {
    id, peerId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'exchange_peers', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'RESTRICT' },
    messageId: str(128, false), kind: str(16, false), deliveryId: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'deliveries', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'SET NULL' },
    letterMessageId: str(128), ackJws: long(false), createdAt: date(false),
  }, utf8);
  // Exactly once: a message id of a peer is taken once, whoever races for it.
  await qi.addIndex('exchange_inbound', ['peerId', 'messageId'], { name: 'exchange_inbound_message', unique: true });
  await qi.addIndex('exchange_inbound', ['peerId', 'letterMessageId'], { name: 'exchange_inbound_letter' });
  await qi.addIndex('exchange_inbound', ['deliveryId'], { name: 'exchange_inbound_delivery' });
  await qi.createTable('exchange_refusals', {
    id, peerId: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'exchange_peers', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'SET NULL' },
    claimedSender: str(255), messageId: str(128), remoteAddress: str(64), status: { type: DataTypes.INTEGER, allowNull: false }, reason: str(64, false), detail: str(1000),
    bytes: { type: DataTypes.INTEGER, allowNull: false }, createdAt: date(false),
  }, utf8);
  await qi.addIndex('exchange_refusals', ['createdAt'], { name: 'exchange_refusals_time' });
  await qi.addIndex('exchange_refusals', ['peerId'], { name: 'exchange_refusals_peer' });
  await qi.addColumn('deliveries', 'senderAgencyId', { type: DataTypes.STRING(64), allowNull: true });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.removeColumn('deliveries', 'senderAgencyId');
  for (const table of ['exchange_refusals', 'exchange_inbound', 'exchange_outbox', 'exchange_identities', 'exchange_peers']) await qi.dropTable(table);
}
