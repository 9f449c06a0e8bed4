// Write transactions. On SQLite a deferred transaction that reads and then writes can deadlock
// with another writer (SQLITE_BUSY without waiting); IMMEDIATE takes the write lock up front, so
// writers queue on busy_timeout instead. On MariaDB the default (REPEATABLE READ) is used.
import { Transaction } from 'sequelize';
import type { Database } from './index';

export function writeTransaction<T>(db: Database, fn: (t: Transaction) => Promise<T>): Promise<T> {
  if (db.dialect === 'sqlite') return db.sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, fn);
  return db.sequelize.transaction(fn);
}
