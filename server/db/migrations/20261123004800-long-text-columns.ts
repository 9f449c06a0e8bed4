// On MariaDB, TEXT holds 64 KB, and a Thai character takes 3 of them: a letter body of 21,846
// characters (the API allows 200,000) failed with "Data too long" and a 500, and so did document
// versions, endorsements, history details and anything else that copies text. SQLite's TEXT has
// no such limit, so LONGTEXT on MariaDB makes both databases accept the same data; the API's
// schemas (and the 1 MB body limit) bound what goes in. The process tables were made LONGTEXT
// from the start (20261123001100).
import { QueryInterface } from 'sequelize';

/** Every TEXT column made before this migration: [table, column, nullable]. */
export const WIDENED: Array<[string, string, boolean]> = [
  ['outbox_events', 'audience', false],
  ['outbox_events', 'summary', false],
  ['tasks', 'formFields', true],
  ['workflow_jobs', 'lastError', true],
  ['workflow_history', 'detail', true],
  ['workflow_incidents', 'message', false],
  ['documents', 'body', true],
  ['documents', 'referencesJson', true],
  ['documents', 'enclosuresJson', true],
  ['documents', 'copiesToJson', true],
  ['document_versions', 'content', false],
  ['endorsements', 'text', true],
  ['audit_log', 'data', false],
  ['mail_queue', 'text', false],
  ['mail_queue', 'lastError', true],
  ['saved_filters', 'filters', false],
];

async function retype(qi: QueryInterface, type: 'LONGTEXT' | 'TEXT'): Promise<void> {
  if (qi.sequelize.getDialect() !== 'mysql') return;
  const byTable = new Map<string, string[]>();
  for (const [table, column, nullable] of WIDENED) {
    byTable.set(table, [...(byTable.get(table) ?? []), `MODIFY \`${column}\` ${type} ${nullable ? 'NULL' : 'NOT NULL'}`]);
  }
  for (const [table, changes] of byTable) await qi.sequelize.query(`ALTER TABLE \`${table}\` ${changes.join(', ')}`);
}

export async function up(qi: QueryInterface): Promise<void> {
  await retype(qi, 'LONGTEXT');
}

export async function down(qi: QueryInterface): Promise<void> {
  // Fails with "Data too long" while a row holds more than 64 KB in one of these columns.
  await retype(qi, 'TEXT');
}
