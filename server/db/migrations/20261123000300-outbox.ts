// The outbox of domain events (see server/modules/events).
import { DataTypes, QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'outbox_events',
    {
      id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true, allowNull: false },
      type: { type: DataTypes.STRING(64), allowNull: false },
      organisationId: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'organisations', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'SET NULL' },
      subjectType: { type: DataTypes.STRING(32), allowNull: false },
      subjectId: { type: DataTypes.STRING(64), allowNull: false },
      audience: { type: DataTypes.TEXT, allowNull: false },
      summary: { type: DataTypes.TEXT, allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
  );
  await qi.addIndex('outbox_events', ['organisationId', 'id'], { name: 'outbox_events_organisation' });
  await qi.addIndex('outbox_events', ['createdAt'], { name: 'outbox_events_created' });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable('outbox_events');
}
