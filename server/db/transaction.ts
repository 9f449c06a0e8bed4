// Raw SQL helpers for the database layer. (Write transactions: server/lib/transaction.ts.)
import type { Sequelize, Transaction } from 'sequelize';
import type { Database } from './index';

/** A date for raw SQL replacements with its milliseconds (Sequelize's own formatting drops
 * them on MySQL). SQLite keeps dates as text in Sequelize's format, so compare like with like. */
export function sqlDate(db: Pick<Database, 'dialect'>, date: Date): string {
  const text = date.toISOString().replace('T', ' ').replace('Z', '');
  return db.dialect === 'sqlite' ? `${text} +00:00` : text;
}

/**
 * Appends rows to a table in one multi-row INSERT, without building model instances: for
 * append-only logs written on every command (history, outbox). Dates keep their milliseconds.
 */
export async function appendRows(sequelize: Sequelize, table: string, rows: Array<Record<string, unknown>>, transaction: Transaction): Promise<void> {
  if (!rows.length) return;
  const dialect = { dialect: sequelize.getDialect() === 'sqlite' ? 'sqlite' : 'mysql' } as const;
  const values = rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? sqlDate(dialect, v) : v])));
  await sequelize.getQueryInterface().bulkInsert(table, values, { transaction });
}
