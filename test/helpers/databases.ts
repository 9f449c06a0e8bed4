// Throwaway databases for tests: a temporary SQLite file, or a MariaDB database created for this
// run and dropped after it (127.0.0.1:3306, root, empty password unless TEST_MARIADB_URL says otherwise).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';

export type TestDialect = 'sqlite' | 'mariadb';

export const MARIADB_SERVER_URL = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';

export interface ThrowawayDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createThrowawayDatabase(dialect: TestDialect, label = 'test'): Promise<ThrowawayDatabase> {
  const suffix = `${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `saraban-${label}-`));
    return { url: `sqlite:${path.join(dir, 'saraban.sqlite')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `saraban_${label}_${suffix}`;
  const conn = await mysql.createConnection(MARIADB_SERVER_URL);
  try {
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
  return {
    url: `${MARIADB_SERVER_URL.replace(/\/$/, '')}/${name}`,
    drop: async () => {
      const c = await mysql.createConnection(MARIADB_SERVER_URL);
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}

export async function mariadbReachable(): Promise<string | null> {
  try {
    const conn = await mysql.createConnection({ uri: MARIADB_SERVER_URL, connectTimeout: 3000 });
    await conn.end();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
