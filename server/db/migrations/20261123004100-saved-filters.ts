// Saved inbox filters: a person's named filter and sort sets, kept on the server so they follow
// the person from the office desktop to a phone.
import { DataTypes, QueryInterface } from 'sequelize';

const utf8 = { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' };

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'saved_filters',
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
      userId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'CASCADE' },
      name: { type: DataTypes.STRING(100), allowNull: false },
      filters: { type: DataTypes.TEXT, allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    utf8,
  );
  await qi.addIndex('saved_filters', ['userId', 'name'], { name: 'saved_filters_user_name', unique: true });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable('saved_filters');
}
