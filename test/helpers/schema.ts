// A dialect-neutral picture of a database schema: tables, columns, indexes and foreign keys.
import type { Sequelize } from 'sequelize';

const normaliseType = (type: string) =>
  type.toUpperCase().replace(/^INT(\(\d+\))?$/, 'INTEGER').replace(/^DATETIME\(\d\)$/, 'DATETIME').replace(/^TINYINT\(1\)$/, 'BOOLEAN').replace(/^BIGINT\(\d+\)$/, 'BIGINT').replace(/^LONGTEXT$/, 'TEXT').replace(/ UNSIGNED$/, '');

export async function describeSchema(sequelize: Sequelize) {
  const qi = sequelize.getQueryInterface();
  const tables = ((await qi.showAllTables()) as unknown[])
    .map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName))
    .filter((t) => !t.startsWith('Sequelize') && !t.startsWith('sqlite_'))
    .sort();
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    const columns = await qi.describeTable(table);
    const indexes = (await qi.showIndex(table)) as Array<{ name: string; unique: boolean; primary?: boolean; fields: Array<{ attribute: string }> }>;
    const fks = (await qi.getForeignKeyReferencesForTable(table)) as Array<{ columnName: string; referencedTableName: string; referencedColumnName: string }>;
    out[table] = {
      columns: Object.fromEntries(
        Object.entries(columns)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, c]) => [name, {
            // SQLite's auto-increment keys are always INTEGER (the rowid, 64-bit): BIGINT there is the same thing.
            type: c.primaryKey ? normaliseType(c.type).replace(/^BIGINT$/, 'INTEGER') : normaliseType(c.type),
            allowNull: c.primaryKey ? false : c.allowNull,
            primaryKey: c.primaryKey,
          }]),
      ),
      indexes: indexes
        .filter((i) => !i.primary && i.name !== 'PRIMARY' && !i.name.startsWith('sqlite_autoindex'))
        .map((i) => ({ name: i.name, unique: !!i.unique, fields: i.fields.map((f) => f.attribute) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      foreignKeys: fks
        .map((f) => `${f.columnName} -> ${f.referencedTableName}.${f.referencedColumnName}`)
        .sort(),
    };
  }
  return out;
}
