// Raw SQL helpers for the database layer. (Write transactions: server/lib/transaction.ts.)
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Database } from './index';

/** A date for raw SQL replacements with its milliseconds (Sequelize's own formatting drops
 * them on MySQL). SQLite keeps dates as text in Sequelize's format, so compare like with like. */
export function sqlDate(db: Pick<Database, 'dialect'> | Sequelize, date: Date): string {
  const text = date.toISOString().replace('T', ' ').replace('Z', '');
  const sqlite = 'getDialect' in db ? db.getDialect() === 'sqlite' : db.dialect === 'sqlite';
  return sqlite ? `${text} +00:00` : text;
}

/** A value for a raw INSERT: dates with their milliseconds, everything else as it is. */
const sqlValue = (sequelize: Sequelize, v: unknown) => (v instanceof Date ? sqlDate(sequelize, v) : v);

/**
 * Appends rows to a table in one multi-row INSERT, without building model instances: for
 * append-only logs written on every command (history, outbox). Dates keep their milliseconds.
 */
export async function appendRows(sequelize: Sequelize, table: string, rows: Array<Record<string, unknown>>, transaction: Transaction): Promise<void> {
  if (!rows.length) return;
  const values = rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, sqlValue(sequelize, v)])));
  await sequelize.getQueryInterface().bulkInsert(table, values, { transaction });
}

/** Inserts one row without building a model instance and returns its id (for rows every command writes). */
export async function insertRow(sequelize: Sequelize, table: string, row: Record<string, unknown>, transaction: Transaction): Promise<number> {
  const q = sequelize.getQueryInterface();
  const columns = Object.keys(row);
  const replacements = columns.map((c) => sqlValue(sequelize, row[c]) ?? null);
  const [id] = (await sequelize.query(`INSERT INTO ${q.quoteIdentifier(table)} (${columns.map((c) => q.quoteIdentifier(c)).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, {
    replacements, type: QueryTypes.INSERT, transaction,
  })) as unknown as [number, number];
  return Number(id);
}
