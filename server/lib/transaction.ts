// Write transactions that wait their turn instead of failing.
// - SQLite has one writer at a time. Managed transactions of this process take turns (see
//   createDatabase) and BEGIN IMMEDIATE takes the write lock up front; busy_timeout covers other
//   processes such as the CLI.
// - MariaDB: row locks (SELECT … FOR UPDATE) order writers; deadlocks, lock-wait timeouts and
//   first-use races (`Retry`) run the whole transaction again, a bounded number of times.
import { Sequelize, Transaction, TransactionOptions } from 'sequelize';

/** Thrown inside a transaction to ask for the whole transaction to be run again. */
export class Retry extends Error {}

function retryable(err: unknown): boolean {
  if (err instanceof Retry) return true;
  const e = err as { parent?: { errno?: number; code?: string }; original?: { code?: string }; message?: string };
  const errno = e?.parent?.errno;
  const code = e?.parent?.code ?? e?.original?.code;
  return errno === 1213 || errno === 1205 || code === 'SQLITE_BUSY' || /SQLITE_BUSY|database is locked/.test(e?.message ?? '');
}

/**
 * The one way to write several rows: a managed transaction, run again on deadlock or lock-wait timeout.
 * `ahead`: on SQLite, where this process's transactions take turns, this one goes before the requests
 * waiting for theirs. For background work that finishes what was already accepted (the exchange
 * outbox's claim and outcome), so a burst of new sends cannot hold back the letters before them.
 */
export async function writeTransaction<T>(sequelize: Sequelize, fn: (t: Transaction) => Promise<T>, { attempts = 30, ahead = false }: { attempts?: number; ahead?: boolean } = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE, ...(ahead && sequelize.getDialect() === 'sqlite' ? { ahead } : {}) } as TransactionOptions, fn);
    } catch (err) {
      if (attempt >= attempts || !retryable(err)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * Math.min(attempt, 10)));
    }
  }
}
