// Raw SQL helpers for the database layer. (Write transactions: server/lib/transaction.ts.)
import type { Database } from './index';

/** A date for raw SQL replacements with its milliseconds (Sequelize's own formatting drops
 * them on MySQL). SQLite keeps dates as text in Sequelize's format, so compare like with like. */
export function sqlDate(db: Database, date: Date): string {
  const text = date.toISOString().replace('T', ' ').replace('Z', '');
  return db.dialect === 'sqlite' ? `${text} +00:00` : text;
}
