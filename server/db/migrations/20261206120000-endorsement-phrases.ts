// Stock endorsement phrases (issue 17 item 7): each organisation keeps its own short list of the
// words its executives write most (ทราบ, เห็นชอบ, อนุมัติ, มอบ … ดำเนินการ), per decision, in the
// order its administrators set. The defaults are given by the seeder and to each new organisation.
import { DataTypes, QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable('endorsement_phrases', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    organisationId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'organisations', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'CASCADE' },
    decision: { type: DataTypes.STRING(64), allowNull: false },
    text: { type: DataTypes.STRING(300), allowNull: false },
    position: { type: DataTypes.INTEGER, allowNull: false },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  }, { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' });
  await qi.addIndex('endorsement_phrases', ['organisationId', 'position'], { name: 'endorsement_phrases_organisation' });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable('endorsement_phrases');
}
