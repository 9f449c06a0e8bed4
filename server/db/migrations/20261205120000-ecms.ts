// The ECMS adapter's own state (issue 15): message ids already processed per peer (exactly once,
// replays refused; a crashed claim is taken over when its lease ends) and the items waiting for
// peers that poll us (CorrespondenceLetterInboundRequest / DeleteRequest).
import { DataTypes, QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'ecms_message_ids',
    {
      peerOrganisationId: { type: DataTypes.STRING(16), primaryKey: true, allowNull: false },
      messageId: { type: DataTypes.STRING(255), primaryKey: true, allowNull: false },
      state: { type: DataTypes.STRING(16), allowNull: false },
      until: { type: DataTypes.DATE(3), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { charset: 'utf8mb4', collate: 'utf8mb4_bin' },
  );
  await qi.addIndex('ecms_message_ids', ['until'], { name: 'ecms_message_ids_until' });
  await qi.createTable(
    'ecms_pickup_items',
    {
      id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
      peerOrganisationId: { type: DataTypes.STRING(16), allowNull: false },
      processId: { type: DataTypes.STRING(64), allowNull: false },
      // A letter with its files in base64: large, hence LONGTEXT on MariaDB.
      payloadXml: { type: DataTypes.TEXT('long'), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
  );
  await qi.addIndex('ecms_pickup_items', ['peerOrganisationId', 'id'], { name: 'ecms_pickup_items_peer' });
  await qi.addIndex('ecms_pickup_items', ['processId'], { name: 'ecms_pickup_items_process', unique: true });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable('ecms_pickup_items');
  await qi.dropTable('ecms_message_ids');
}
