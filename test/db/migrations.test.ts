import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createDatabase, migrate, seed } from '../../server/db';
import { createThrowawayDatabase, ThrowawayDatabase } from '../helpers/databases';
import { describeSchema } from '../helpers/schema';
import { Unit } from '../../server/db/models';
import { testEnv } from '../helpers/env';

const run = promisify(execFile);

describe('schema by migrations', () => {
  const cleanups: ThrowawayDatabase[] = [];
  after(async () => {
    for (const db of cleanups) await db.drop();
  });

  it('builds the whole schema with indexes and foreign keys on an empty database, and a second run does nothing', async () => {
    const fresh = await createThrowawayDatabase(testEnv().dialect, 'migrate');
    cleanups.push(fresh);
    const db = createDatabase(fresh.url, { models: false });
    try {
      expect(await migrate(db)).to.have.length.greaterThan(0);
      expect(await migrate(db)).to.deep.equal([]);
      const schema = (await describeSchema(db.sequelize)) as Record<string, { indexes: Array<{ name: string }>; foreignKeys: string[] }>;
      expect(Object.keys(schema)).to.include.members(['organisations', 'units', 'positions', 'users', 'groups', 'group_members', 'delegations', 'refresh_tokens', 'ministry_codes']);
      expect(schema.users.indexes.map((i) => i.name)).to.include('users_username');
      expect(schema.positions.foreignKeys).to.include('reportsToId -> positions.id');
      expect(schema.delegations.foreignKeys).to.include('principalPositionId -> positions.id');
      // Seeders without the demo: code lists, and stock phrases for organisations that have none (none here yet).
      expect(await seed(db, { demo: false })).to.deep.equal(['20261123000100-ministry-codes', '20261206120000-endorsement-phrases']);
    } finally {
      await db.close();
    }
  });

  it('enforces foreign keys (no unit of a missing organisation)', async () => {
    let error: unknown;
    try {
      await Unit.create({ organisationId: 987654, kind: 'section', nameTh: 'ไม่มีเจ้าของ' });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).name).to.equal('SequelizeForeignKeyConstraintError');
  });

  it('shares its migration records with sequelize-cli (.sequelizerc), so either can migrate', async function () {
    this.timeout(120000);
    const fresh = await createThrowawayDatabase(testEnv().dialect, 'cli');
    cleanups.push(fresh);
    const { stdout } = await run(process.execPath, [require.resolve('sequelize-cli/lib/sequelize'), 'db:migrate'], { env: { ...process.env, DATABASE_URL: fresh.url } });
    expect(stdout).to.match(/migrated/);
    const db = createDatabase(fresh.url, { models: false });
    try {
      expect(await migrate(db)).to.deep.equal([]);
      const status = await run(process.execPath, [require.resolve('sequelize-cli/lib/sequelize'), 'db:migrate:status'], { env: { ...process.env, DATABASE_URL: fresh.url } });
      expect(status.stdout).to.match(/^up /m);
      expect(status.stdout).to.not.match(/^down /m);
    } finally {
      await db.close();
    }
  });

  if (process.env.TEST_DB === 'mariadb') {
    it('produces the same schema on SQLite and on MariaDB', async () => {
      const pair = await Promise.all([createThrowawayDatabase('sqlite', 'parity'), createThrowawayDatabase('mariadb', 'parity')]);
      cleanups.push(...pair);
      const [sqlite, mariadb] = pair.map((d) => createDatabase(d.url, { models: false }));
      try {
        await migrate(sqlite);
        await migrate(mariadb);
        const a = await describeSchema(sqlite.sequelize);
        const b = await describeSchema(mariadb.sequelize);
        expect(b).to.deep.equal(a);
      } finally {
        await sqlite.close();
        await mariadb.close();
      }
    });
  }
});
