// Which documents a destruction run (an instance of processes/destruction.bpmn) holds: a document
// may be in one running destruction at a time.
import { DataTypes, QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'destruction_items',
    {
      instanceId: { type: DataTypes.BIGINT, primaryKey: true, allowNull: false, references: { model: 'process_instances', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'CASCADE' },
      documentId: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false, references: { model: 'documents', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'CASCADE' },
    },
    { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
  );
  await qi.addIndex('destruction_items', ['documentId'], { name: 'destruction_items_document' });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable('destruction_items');
}
