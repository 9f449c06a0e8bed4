// Timer start events: one row per deployed, active version with a timer start event, due at its
// next firing. It is not a workflow_jobs row: those belong to an instance (its foreign key, and
// the unique instance + execution), while a start timer belongs to a version and makes instances.
// A firing starts the instance and moves the row to the next firing in one transaction, the row
// locked (FOR UPDATE SKIP LOCKED on MariaDB): one instance per firing across server processes.
import { DataTypes, QueryInterface } from 'sequelize';

const utf8 = { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' };
const at = (allowNull = false) => ({ type: DataTypes.DATE(3), allowNull });

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable('workflow_start_timers', {
    id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true, allowNull: false },
    definitionId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'process_definitions', key: 'id' }, onUpdate: 'CASCADE', onDelete: 'CASCADE' },
    elementId: { type: DataTypes.STRING(128), allowNull: false },
    /** timeCycle, timeDate or timeDuration, and its value as drawn. */
    timerType: { type: DataTypes.STRING(16), allowNull: false },
    timerValue: { type: DataTypes.STRING(255), allowNull: false },
    dueAt: at(),
    /** Firings left (R3: 3 at first); null: for ever (R/). */
    remaining: { type: DataTypes.INTEGER, allowNull: true },
    fired: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    /** pending | done (no firing left) | cancelled (another version was activated) | failed */
    status: { type: DataTypes.STRING(16), allowNull: false },
    lastError: { type: DataTypes.TEXT('long'), allowNull: true },
    createdAt: at(),
    updatedAt: at(),
  }, utf8);
  await qi.addIndex('workflow_start_timers', ['status', 'dueAt'], { name: 'workflow_start_timers_due' });
  await qi.addIndex('workflow_start_timers', ['definitionId', 'elementId'], { name: 'workflow_start_timers_element', unique: true });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable('workflow_start_timers');
}
