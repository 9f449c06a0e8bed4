// The raw writes every workflow command runs (server/db/transaction.ts) go to the driver past
// Sequelize's query pipeline; they must still behave like Sequelize's: in the transaction, with
// dates to the millisecond, and failing with Sequelize's error classes.
import { expect } from 'chai';
import { QueryTypes, UniqueConstraintError, ForeignKeyConstraintError } from 'sequelize';
import { testEnv } from '../helpers/env';
import { appendRows, insertRow, writeStatement } from '../../server/db/transaction';

/** The error a promise fails with (the test fails if it does not fail). */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

describe('raw writes on the driver', () => {
  const sequelize = () => testEnv().ctx.db.sequelize;
  const table = 'raw_writes_probe';
  before(async () => {
    await sequelize().getQueryInterface().dropTable(table);
    await sequelize().query(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY ${testEnv().dialect === 'sqlite' ? 'AUTOINCREMENT' : 'AUTO_INCREMENT'}, name VARCHAR(64) NOT NULL UNIQUE, note VARCHAR(64), at DATETIME(3))`);
  });
  after(() => sequelize().getQueryInterface().dropTable(table));
  const rows = (where = '1 = 1') => sequelize().query<{ id: number; name: string; note: string | null; at: string | Date | null }>(`SELECT * FROM ${table} WHERE ${where} ORDER BY id`, { type: QueryTypes.SELECT });

  it('inserts and appends in the transaction: a missing column is NULL, dates keep their milliseconds, long lists go in several statements', async () => {
    const at = new Date('2026-11-23T09:30:15.123Z');
    const id = await sequelize().transaction(async (t) => {
      const first = await insertRow(sequelize(), table, { name: 'first', at }, t);
      await appendRows(sequelize(), table, [{ name: 'a', note: 'x' }, { name: 'b', at }], t);
      await appendRows(sequelize(), table, Array.from({ length: 450 }, (_, i) => ({ name: `bulk ${i}` })), t);
      return first;
    });
    const [first] = await rows(`id = ${id}`);
    expect(new Date(first.at instanceof Date ? first.at : `${String(first.at).replace(' +00:00', 'Z').replace(' ', 'T')}`).toISOString()).to.equal(at.toISOString());
    const [a, b] = await rows("name IN ('a', 'b')");
    expect([a.note, a.at, b.note]).to.deep.equal(['x', null, null]);
    expect(b.at).to.not.equal(null);
    expect((await rows("name LIKE 'bulk %'")).length).to.equal(450);
  });

  it('changes nothing when the transaction rolls back, and reports rows changed', async () => {
    await sequelize().transaction(async (t) => insertRow(sequelize(), table, { name: 'kept' }, t));
    const failed = sequelize().transaction(async (t) => {
      const { changes } = await writeStatement(sequelize(), t, `UPDATE ${table} SET note = ? WHERE name = ?`, ['changed', 'kept']);
      expect(changes).to.equal(1);
      await insertRow(sequelize(), table, { name: 'lost' }, t);
      throw new Error('the command failed');
    });
    expect((await failure(failed)).message).to.equal('the command failed');
    expect((await rows("name IN ('kept', 'lost')")).map((r) => [r.name, r.note])).to.deep.equal([['kept', null]]);
  });

  it("fails with Sequelize's error classes (a unique value twice, a missing parent) and refuses objects for JSON columns", async () => {
    const twice = sequelize().transaction(async (t) => {
      await insertRow(sequelize(), table, { name: 'twice' }, t);
      await insertRow(sequelize(), table, { name: 'twice' }, t);
    });
    expect(await failure(twice)).to.be.instanceOf(UniqueConstraintError);
    expect(await rows("name = 'twice'")).to.have.length(0);
    const orphan = sequelize().transaction((t) => appendRows(sequelize(), 'task_candidates', [{ taskId: 999999999, kind: 'user', refId: 1 }], t));
    expect(await failure(orphan)).to.be.instanceOf(ForeignKeyConstraintError);
    const object = sequelize().transaction((t) => insertRow(sequelize(), table, { name: 'object', note: { a: 1 } }, t));
    expect((await failure(object)).message).to.match(/JSON\.stringify/);
  });
});
