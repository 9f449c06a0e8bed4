// The shared test environment: one throwaway database and one app per run, built in setup.ts.
import fs from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import type { AppContext } from '../../server/context';
import type { TestDialect } from './databases';

export interface TestEnv {
  dialect: TestDialect;
  ctx: AppContext;
  app: Express;
  databaseUrl: string;
}

let current: TestEnv | undefined;

export function setTestEnv(env: TestEnv | undefined): void {
  current = env;
}

export function testEnv(): TestEnv {
  if (!current) throw new Error('The test environment is not ready (test/setup.ts did not run).');
  return current;
}

export function testDialect(): TestDialect {
  const value = process.env.TEST_DB ?? 'sqlite';
  if (value !== 'sqlite' && value !== 'mariadb') throw new Error(`TEST_DB must be sqlite or mariadb, got "${value}"`);
  return value;
}

/** test-output/<part> for a person to look at, made if missing; the MariaDB pass writes under
 * test-output/mariadb/ (it runs beside the SQLite pass, which would otherwise write the same files). */
export function testOutputDir(part: string): string {
  const dir = path.resolve(__dirname, '..', '..', 'test-output', ...(testDialect() === 'mariadb' ? ['mariadb'] : []), part);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
