// Search tokens compare exactly. MariaDB's utf8mb4_unicode_ci ignores Thai tone marks, so ขอ (ask)
// and ข้อ (clause) were one value: a letter holding both words broke the (documentId, token)
// primary key (every save of it failed with 409), and a search for one word found the other.
// Tokens are already normalised (NFC, lower case, Arabic digits) when written and searched, so
// a binary collation is right. SQLite compares bytes already.
import { QueryInterface } from 'sequelize';

const column = (collation: string) => `ALTER TABLE search_tokens MODIFY token VARCHAR(64) CHARACTER SET utf8mb4 COLLATE ${collation} NOT NULL`;

export async function up(qi: QueryInterface): Promise<void> {
  if (qi.sequelize.getDialect() === 'mysql') await qi.sequelize.query(column('utf8mb4_bin'));
}

export async function down(qi: QueryInterface): Promise<void> {
  // Tokens that differ only in tone marks would collide again: remove such duplicates first.
  if (qi.sequelize.getDialect() !== 'mysql') return;
  await qi.sequelize.query(`DELETE a FROM search_tokens a JOIN search_tokens b
    ON a.documentId = b.documentId AND a.token COLLATE utf8mb4_unicode_ci = b.token COLLATE utf8mb4_unicode_ci AND a.token > b.token`);
  await qi.sequelize.query(column('utf8mb4_unicode_ci'));
}
