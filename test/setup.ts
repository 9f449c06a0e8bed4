// Root hooks: build a fresh database (SQLite or MariaDB, by TEST_DB) with the demo organisation,
// and the app on it; drop the database at the end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/config';
import { prepare } from '../server/bootstrap';
import { createApp } from '../server/app';
import { createThrowawayDatabase, mariadbReachable, ThrowawayDatabase } from './helpers/databases';
import { setTestEnv, testDialect, testEnv } from './helpers/env';

// Cheap argon2 for new password hashes in this process and the servers it starts (server/modules/auth/passwords.ts):
// the suite signs in thousands of times. A test below checks the default cost stays the library's.
process.env.PASSWORD_HASH_COST ??= 'test';
// One master key for signing keys in the whole run (the signature suites set this same one): an organisation
// CA made by an earlier suite under DATA_DIR's key file could not be opened under theirs.
process.env.SIGNING_KEY_SECRET ??= 'test-master-key-for-signatures-0123456789';

// Each mocha process its own DATA_DIR (and so do the server processes it starts without one): the SQLite
// and MariaDB passes run side by side, and sharing ./data let one pass's destruction test delete a stored
// file (blobs are named by their content's hash) that the other pass's database still held, and let both
// race to create the exchange key's secret file on a fresh checkout.
const ownDataDir = process.env.DATA_DIR ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), `saraban-test-data-${testDialect()}-`));
if (ownDataDir) process.env.DATA_DIR = ownDataDir;

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
  if (ownDataDir) fs.rmSync(ownDataDir, { recursive: true, force: true });
});
