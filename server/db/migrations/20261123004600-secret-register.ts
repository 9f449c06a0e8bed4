// The secret register (ทะเบียนหนังสือลับ): one book per organisation, kind `secret`, created on first
// use like the other books. Its one running series holds secret letters received and sent, so a
// register line now says which way its letter went (`direction`); the ordinary books are one way
// each, and their existing lines get the way their book implies.
//
// Nothing is moved: a secret letter numbered in an ordinary book before this keeps its line and its
// number there (numbers already issued never change, and the ordinary series stays gap-free); the
// register pages show such a line's details only to those who may read the letter.
import { DataTypes, QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  await qi.addColumn('register_entries', 'direction', { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'outgoing' });
  await qi.sequelize.query("UPDATE register_entries SET direction = 'incoming' WHERE registerId IN (SELECT id FROM registers WHERE kind = 'incoming')");
}

export async function down(qi: QueryInterface): Promise<void> {
  // Going back would lose which way the secret register's letters went, and leave books the older
  // code does not know: refuse rather than drop issued numbers.
  const [rows] = (await qi.sequelize.query("SELECT COUNT(*) AS n FROM register_entries e JOIN registers r ON r.id = e.registerId WHERE r.kind = 'secret'")) as [Array<{ n: number | string }>, unknown];
  if (Number(rows[0].n) > 0) throw new Error('The secret register has entries: they cannot be taken back into the ordinary books. Restore a backup instead.');
  await qi.bulkDelete('register_counters', { registerId: (await secretRegisterIds(qi)) });
  await qi.bulkDelete('registers', { kind: 'secret' });
  await qi.removeColumn('register_entries', 'direction');
}

async function secretRegisterIds(qi: QueryInterface): Promise<number[]> {
  const [rows] = (await qi.sequelize.query("SELECT id FROM registers WHERE kind = 'secret'")) as [Array<{ id: number }>, unknown];
  return rows.map((r) => r.id);
}
