// Write transactions. On SQLite a deferred transaction that reads and then writes can deadlock
// with another writer (SQLITE_BUSY without waiting); IMMEDIATE takes the write lock up front, so
// writers queue on busy_timeout instead. On MariaDB the default (REPEATABLE READ) is used.
import { Transaction } from 'sequelize';
import type { Database } from './index';

export function writeTransaction<T>(db: Database, fn: (t: Transaction) => Promise<T>): Promise<T> {
  if (db.dialect !== 'sqlite') return db.sequelize.transaction(fn);
  // Managed transactions of one process already take turns on SQLite (see createDatabase).
  return db.sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, fn);
}

/** A date for raw SQL replacements with its milliseconds (Sequelize's own formatting drops
 * them on MySQL). SQLite keeps dates as text in Sequelize's format, so compare like with like. */
export function sqlDate(db: Database, date: Date): string {
  const text = date.toISOString().replace('T', ' ').replace('Z', '');
  return db.dialect === 'sqlite' ? `${text} +00:00` : text;
}
