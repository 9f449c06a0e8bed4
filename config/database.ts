// Where the database is: DATABASE_URL, or an embedded SQLite file under DATA_DIR (git-ignored).
// Read by the server and by sequelize-cli (.sequelizerc → sequelize-cli.json).
import path from 'node:path';

export function dataDir(): string {
  return path.resolve(process.env.DATA_DIR ?? path.join(process.cwd(), 'data'));
}

export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? `sqlite:${path.join(dataDir(), 'saraban.sqlite')}`;
}
