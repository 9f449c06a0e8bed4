// Root hooks: build a fresh database (SQLite or MariaDB, by TEST_DB) with the demo organisation,
// and the app on it; drop the database at the end.
import { loadConfig } from '../server/config';
import { prepare } from '../server/bootstrap';
import { createApp } from '../server/app';
import { createThrowawayDatabase, mariadbReachable, ThrowawayDatabase } from './helpers/databases';
import { setTestEnv, testDialect, testEnv } from './helpers/env';

let database: ThrowawayDatabase | undefined;

before(async function () {
  this.timeout(120000);
  const dialect = testDialect();
  if (dialect === 'mariadb') {
    const problem = await mariadbReachable();
    if (problem) throw new Error(`MariaDB is not reachable for the MariaDB pass: ${problem}`);
  }
  database = await createThrowawayDatabase(dialect);
  process.env.DATABASE_URL = database.url;
  const config = loadConfig({ databaseUrl: database.url, jwtSecret: undefined, seedDemo: true, publicUrl: 'http://localhost' });
  const ctx = await prepare(config);
  setTestEnv({ dialect, ctx, app: createApp(ctx), databaseUrl: database.url });
});

after(async function () {
  this.timeout(60000);
  try {
    await testEnv().ctx.db.close();
  } catch {
    // nothing was opened
  }
  setTestEnv(undefined);
  await database?.drop();
});
