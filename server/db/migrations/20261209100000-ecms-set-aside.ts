// ECMS queue items set aside (issue 15): an item a node keeps for us that can never be stored as it
// is (its letter's signature fails, its sender is not in the directory, it is for an organisation not
// here, it is malformed) is kept here whole, listed for administrators and then deleted from the node,
// so it no longer blocks the letters behind it (the queue hands out its head only). An administrator
// may try a letter again (after adding its sender to the directory) or leave it.
import { DataTypes, QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'ecms_set_aside_items',
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      nodeId: { type: DataTypes.INTEGER, allowNull: false },
      processId: { type: DataTypes.STRING(255), allowNull: false },
      kind: { type: DataTypes.STRING(16), allowNull: false },
      claimedSender: { type: DataTypes.STRING(64), allowNull: true },
      reason: { type: DataTypes.STRING(64), allowNull: false },
      detail: { type: DataTypes.STRING(1000), allowNull: true },
      // The item as the node served it (a letter with its files in base64): LONGTEXT on MariaDB.
      contentXml: { type: DataTypes.TEXT('long'), allowNull: false },
      // Its size, so the list need not read the content.
      bytes: { type: DataTypes.INTEGER, allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
  );
  await qi.addIndex('ecms_set_aside_items', ['nodeId', 'processId'], { name: 'ecms_set_aside_items_item', unique: true });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable('ecms_set_aside_items');
}
