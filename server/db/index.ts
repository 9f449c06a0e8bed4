// The database: one Sequelize instance per process, on SQLite (embedded default) or
// MariaDB/MySQL through mysql2. Migrations and seeders are the same files sequelize-cli runs.
import fs from 'node:fs';
import path from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Sequelize, Options, QueryInterface, Transaction } from 'sequelize';
import { Umzug, UmzugStorage } from 'umzug';
import { initModels } from './models';

export type Dialect = 'sqlite' | 'mysql';

interface SqliteConnection {
  configure(option: 'busyTimeout', value: number): void;
  run(sql: string, cb: (err: Error | null) => void): void;
}

export interface Database {
  sequelize: Sequelize;
  dialect: Dialect;
  /** What /api/health reports: dialect and server version, never credentials. */
  describe(): Promise<{ dialect: Dialect; version: string }>;
  /** Queries run outside the transaction of the command that was running them (see watchStrayQueries; not watched in production). */
  strayQueries: { count: number; samples: string[] };
  close(): Promise<void>;
}

/** MariaDB/MySQL connection pool of one process: DB_POOL_MAX connections, DB_POOL_ACQUIRE_MS wait for one. */
export interface PoolOptions {
  max?: number;
  acquireMs?: number;
}

/**
 * The model classes are process-wide: only the app's database binds them (`models: true`, the
 * default). Schema tools and tests that open a second database pass `models: false`.
 */
export function createDatabase(url: string, options: { logging?: boolean; pool?: PoolOptions; models?: boolean; watchStrayQueries?: boolean } = {}): Database {
  const common: Options = {
    logging: options.logging ? (sql: string) => console.log(sql) : false,
    define: { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
  };
  let sequelize: Sequelize;
  let dialect: Dialect;
  if (url.startsWith('sqlite:')) {
    dialect = 'sqlite';
    const storage = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') || ':memory:';
    if (storage !== ':memory:') fs.mkdirSync(path.dirname(storage), { recursive: true });
    sequelize = new Sequelize({ ...common, dialect: 'sqlite', storage });
    // Sequelize opens one SQLite connection per transaction and runs no connect hooks for SQLite,
    // so each new connection is configured here: writers wait (busy timeout) instead of failing
    // with SQLITE_BUSY, and WAL lets readers go on while one writer commits.
    const manager = (sequelize as unknown as { connectionManager: { getConnection(o?: unknown): Promise<SqliteConnection> } }).connectionManager;
    const getConnection = manager.getConnection.bind(manager);
    const configured = new WeakSet<object>();
    let walSet = false; // journal_mode is kept in the file: set it once, not on every connection (it needs a lock)
    manager.getConnection = async (connectionOptions?: unknown) => {
      const connection = await getConnection(connectionOptions);
      if (!configured.has(connection)) {
        configured.add(connection);
        connection.configure('busyTimeout', 15000);
        await new Promise<void>((resolve, reject) => connection.run('PRAGMA foreign_keys = ON', (err) => (err ? reject(err) : resolve())));
        // In WAL mode NORMAL keeps every committed transaction across a process crash (kill -9);
        // only a power cut may lose the last commits. FULL would fsync on every commit.
        await new Promise<void>((resolve, reject) => connection.run('PRAGMA synchronous = NORMAL', (err) => (err ? reject(err) : resolve())));
        if (storage !== ':memory:' && !walSet) {
          walSet = true;
          await new Promise<void>((resolve, reject) => connection.run('PRAGMA journal_mode = WAL', (err) => (err ? reject(err) : resolve())));
        }
      }
      return connection;
    };
    // Sequelize would also open a fresh connection for every transaction and close it after,
    // paying the open, the pragmas and SQLite's schema parse each time. A finished transaction's
    // connection (cleanly committed or rolled back; a failed one is destroyed, not released) is
    // kept for the next transaction instead.
    const pool = manager as unknown as { connections: Record<string, SqliteConnection & { uuid?: string }>; releaseConnection(c: unknown, force?: boolean): void; _onProcessExit(): Promise<void> };
    const idle: Array<SqliteConnection & { close(cb?: () => void): void }> = [];
    const release = pool.releaseConnection.bind(pool);
    pool.releaseConnection = (connection: SqliteConnection & { uuid?: string; close(cb?: () => void): void }, force?: boolean) => {
      if (storage === ':memory:' || force || !connection.uuid || idle.length >= 4) return release(connection, force);
      delete pool.connections[connection.uuid];
      idle.push(connection);
    };
    const acquire = manager.getConnection;
    manager.getConnection = async (connectionOptions?: unknown) => {
      const uuid = (connectionOptions as { uuid?: string } | undefined)?.uuid;
      if (uuid && uuid !== 'default' && !pool.connections[uuid] && idle.length) {
        const connection = idle.pop()!;
        pool.connections[uuid] = connection;
        return connection;
      }
      return acquire(connectionOptions);
    };
    const exit = pool._onProcessExit.bind(pool);
    pool._onProcessExit = async () => {
      await Promise.all(idle.splice(0).map((c) => new Promise<void>((resolve) => c.close(() => resolve()))));
      return exit();
    };
    // SQLite has one writer at a time. Waiting for the lock inside SQLite (busy_timeout) holds a
    // libuv thread per waiter: a burst of concurrent transactions fills the thread pool and the
    // lock holder cannot run its COMMIT. So managed transactions of this process take turns here,
    // first come first served, except that a transaction opened with `ahead: true` (work already
    // accepted that finishes a letter's journey, see writeTransaction) goes before those waiting.
    const transaction = sequelize.transaction.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
    const waiting = { ahead: [] as Array<() => void>, inTurn: [] as Array<() => void> };
    let writing = false;
    const nextTurn = () => {
      const go = waiting.ahead.shift() ?? waiting.inTurn.shift();
      writing = Boolean(go);
      go?.();
    };
    sequelize.transaction = ((...args: unknown[]) => {
      if (typeof args[args.length - 1] !== 'function') return transaction(...args);
      const { ahead, ...options } = (args.length > 1 ? args[0] : {}) as { ahead?: boolean };
      if (args.length > 1) args[0] = options;
      return new Promise((resolve, reject) => {
        (ahead ? waiting.ahead : waiting.inTurn).push(() => void transaction(...args).then(resolve, reject).finally(nextTurn));
        if (!writing) nextTurn();
      });
    }) as typeof sequelize.transaction;
  } else if (/^(mysql|mariadb):\/\//.test(url)) {
    dialect = 'mysql';
    sequelize = new Sequelize(url.replace(/^mariadb:/, 'mysql:'), {
      ...common,
      dialect: 'mysql',
      timezone: '+00:00',
      dialectOptions: { charset: 'utf8mb4' },
      // Every query of a command runs on its transaction's connection, so a command holds one
      // connection at most and a queue of waiting commands cannot starve the pool: commands beyond
      // \`max\` wait for a connection (up to \`acquire\` ms, then 503) instead of holding one while
      // waiting for a row lock. Keep processes × max under the server's max_connections (151).
      pool: { max: options.pool?.max ?? 20, min: 0, idle: 10000, acquire: options.pool?.acquireMs ?? 30000 },
    });
  } else {
    throw new Error(`DATABASE_URL must start with sqlite:, mysql:// or mariadb:// (got "${url.split(':')[0]}:")`);
  }
  if (options.models !== false) initModels(sequelize);
  // Watched in development and tests; production does not pay for the async context.
  const strayQueries = (options.watchStrayQueries ?? process.env.NODE_ENV !== 'production') ? watchStrayQueries(sequelize) : { count: 0, samples: [] };
  return {
    sequelize,
    dialect,
    strayQueries,
    async describe() {
      const [rows] = await sequelize.query(dialect === 'sqlite' ? 'SELECT sqlite_version() AS version' : 'SELECT VERSION() AS version');
      return { dialect, version: String((rows as Array<{ version: string }>)[0].version) };
    },
    close: () => sequelize.close(),
  };
}

/**
 * Every query inside a command must use the command's transaction: one made on another pooled
 * connection while the transaction holds a row lock (a register's counter) waits for a free
 * connection that the queued commands all hold, and the pool starves (MariaDB: "Operation
 * timeout" after 30 s). Managed transactions run their callback in an async context that names
 * the transaction; a query in that context without a transaction is counted (and the first few
 * kept) so that tests can assert there are none. It is never blocked: a read-only lookup on its
 * own connection is correct, only a risk under load.
 */
function watchStrayQueries(sequelize: Sequelize): Database['strayQueries'] {
  const running = new AsyncLocalStorage<Transaction>();
  const stray = { count: 0, samples: [] as string[] };
  const transaction = sequelize.transaction.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
  sequelize.transaction = ((...args: unknown[]) => {
    const fn = args[args.length - 1];
    if (typeof fn !== 'function') return transaction(...args);
    return transaction(...args.slice(0, -1), (t: Transaction) => running.run(t, () => fn(t)));
  }) as typeof sequelize.transaction;
  const query = sequelize.query.bind(sequelize) as (sql: unknown, options?: { transaction?: Transaction | null }) => Promise<unknown>;
  sequelize.query = ((sql: unknown, options?: { transaction?: Transaction | null }) => {
    const t = running.getStore();
    if (t && !options?.transaction && !(t as unknown as { finished?: string }).finished) {
      stray.count++;
      if (stray.samples.length < 20) stray.samples.push(String(typeof sql === 'object' && sql ? (sql as { query?: string }).query : sql).slice(0, 200));
    }
    return query(sql, options);
  }) as typeof sequelize.query;
  return stray;
}

/** Stores names without their extension, so compiled (.js) and source (.ts) runs agree, and
 * sequelize-cli (which matches stored names as prefixes of file names) agrees too. */
class ExtensionlessStorage implements UmzugStorage<QueryInterface> {
  constructor(private sequelize: Sequelize, private tableName: string) {}
  private async ensure(): Promise<void> {
    const qi = this.sequelize.getQueryInterface();
    const tables = (await qi.showAllTables()).map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName));
    if (!tables.includes(this.tableName)) {
      await qi.createTable(this.tableName, { name: { type: 'VARCHAR(255)', primaryKey: true, allowNull: false } });
    }
  }
  async executed(): Promise<string[]> {
    await this.ensure();
    const rows = (await this.sequelize.getQueryInterface().select(null, this.tableName, {})) as Array<{ name: string }>;
    return rows.map((r) => stripExtension(r.name));
  }
  async logMigration({ name }: { name: string }): Promise<void> {
    await this.ensure();
    await this.sequelize.getQueryInterface().bulkInsert(this.tableName, [{ name: stripExtension(name) }]);
  }
  async unlogMigration({ name }: { name: string }): Promise<void> {
    await this.sequelize.getQueryInterface().bulkDelete(this.tableName, { name: [stripExtension(name), `${stripExtension(name)}.ts`, `${stripExtension(name)}.js`] });
  }
}

function stripExtension(name: string): string {
  return name.replace(/\.(c?js|c?ts)$/, '');
}

function umzugFor(db: Database, folder: string, tableName: string) {
  const ext = path.extname(__filename); // .ts under tsx, .js when compiled
  return new Umzug<QueryInterface>({
    migrations: {
      glob: path.join(folder, `*${ext}`).replace(/\\/g, '/'),
      resolve: ({ name, path: file, context }) => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(file!);
        return {
          name: stripExtension(name),
          up: async () => mod.up(context, Sequelize),
          down: async () => mod.down(context, Sequelize),
        };
      },
    },
    context: db.sequelize.getQueryInterface(),
    storage: new ExtensionlessStorage(db.sequelize, tableName),
    logger: undefined,
  });
}

export async function migrate(db: Database): Promise<string[]> {
  const done = await umzugFor(db, path.join(__dirname, 'migrations'), 'SequelizeMeta').up();
  return done.map((m) => m.name);
}

/** Runs pending seeders: code lists always; files named *demo* only when asked. */
export async function seed(db: Database, options: { demo: boolean }): Promise<string[]> {
  const umzug = umzugFor(db, path.join(__dirname, '..', '..', 'seeders'), 'SequelizeData');
  const pending = (await umzug.pending()).map((m) => m.name).filter((name) => options.demo || !name.includes('demo'));
  if (!pending.length) return [];
  const done = await umzug.up({ migrations: pending });
  return done.map((m) => m.name);
}
