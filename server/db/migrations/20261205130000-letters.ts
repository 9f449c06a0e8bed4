// Letters as PDF (issue 16): each organisation's letter settings (Thai digits, its Garuda image as
// a stored blob) and the templates its administrators changed. Shipped templates live in
// server/modules/letters/templates; a row here replaces one of them for one organisation.
import { DataTypes, QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  const org = { type: DataTypes.INTEGER, allowNull: false, references: { model: 'organisations', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'CASCADE' };
  await qi.createTable(
    'letter_settings',
    {
      organisationId: { ...org, primaryKey: true },
      thaiDigits: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      garudaSha256: { type: DataTypes.STRING(64), allowNull: true },
      garudaMime: { type: DataTypes.STRING(64), allowNull: true },
      updatedById: { type: DataTypes.INTEGER, allowNull: true },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
  );
  await qi.createTable(
    'letter_templates',
    {
      organisationId: { ...org, primaryKey: true },
      name: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
      html: { type: DataTypes.TEXT('long'), allowNull: false },
      updatedById: { type: DataTypes.INTEGER, allowNull: true },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
  );
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable('letter_templates');
  await qi.dropTable('letter_settings');
}
