// Workflow runtime: deployed process versions, waiting instances (engine state without the
// source), user tasks as inbox rows with their candidates, durable jobs (timers, service calls),
// history and incidents.
import { DataTypes, QueryInterface } from 'sequelize';

const utf8 = { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' };
const bigId = { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true, allowNull: false };
const ref = (model: string, onDelete: 'RESTRICT' | 'CASCADE' | 'SET NULL' = 'RESTRICT') => ({ references: { model, key: 'id' }, onUpdate: 'CASCADE', onDelete });
const at = (allowNull = false) => ({ type: DataTypes.DATE(3), allowNull });
// LONGTEXT on MariaDB (engine state and BPMN XML can pass 64 KB); TEXT on SQLite.
export async function up(qi: QueryInterface): Promise<void> {
  const longText = { type: qi.sequelize.getDialect() === 'sqlite' ? DataTypes.TEXT : DataTypes.TEXT('long'), allowNull: false };
  await qi.createTable('process_definitions', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
    organisationId: { type: DataTypes.INTEGER, allowNull: false, ...ref('organisations') },
    key: { type: DataTypes.STRING(128), allowNull: false },
    name: { type: DataTypes.STRING(255), allowNull: true },
    version: { type: DataTypes.INTEGER, allowNull: false },
    isActive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    xml: longText,
    sourceContext: longText,
    deployedById: { type: DataTypes.INTEGER, allowNull: true, ...ref('users', 'SET NULL') },
    createdAt: at(),
  }, utf8);
  await qi.addIndex('process_definitions', ['organisationId', 'key', 'version'], { name: 'process_definitions_version', unique: true });
  await qi.addIndex('process_definitions', ['deployedById'], { name: 'process_definitions_deployed_by' });

  await qi.createTable('process_instances', {
    id: bigId,
    definitionId: { type: DataTypes.INTEGER, allowNull: false, ...ref('process_definitions') },
    organisationId: { type: DataTypes.INTEGER, allowNull: false, ...ref('organisations') },
    processKey: { type: DataTypes.STRING(128), allowNull: false },
    businessKey: { type: DataTypes.STRING(128), allowNull: true },
    documentId: { type: DataTypes.BIGINT, allowNull: true },
    status: { type: DataTypes.STRING(16), allowNull: false },
    state: longText,
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    startedById: { type: DataTypes.INTEGER, allowNull: true, ...ref('users', 'SET NULL') },
    startedAt: at(),
    endedAt: at(true),
    updatedAt: at(),
  }, utf8);
  await qi.addIndex('process_instances', ['definitionId'], { name: 'process_instances_definition' });
  await qi.addIndex('process_instances', ['organisationId', 'processKey', 'status'], { name: 'process_instances_org_key_status' });
  await qi.addIndex('process_instances', ['documentId'], { name: 'process_instances_document' });
  await qi.addIndex('process_instances', ['startedById'], { name: 'process_instances_started_by' });
  await qi.addIndex('process_instances', ['status'], { name: 'process_instances_status' });

  await qi.createTable('tasks', {
    id: bigId,
    instanceId: { type: DataTypes.BIGINT, allowNull: false, ...ref('process_instances', 'CASCADE') },
    organisationId: { type: DataTypes.INTEGER, allowNull: false, ...ref('organisations') },
    processKey: { type: DataTypes.STRING(128), allowNull: false },
    elementId: { type: DataTypes.STRING(128), allowNull: false },
    executionId: { type: DataTypes.STRING(128), allowNull: false },
    name: { type: DataTypes.STRING(255), allowNull: false },
    title: { type: DataTypes.STRING(500), allowNull: true },
    status: { type: DataTypes.STRING(16), allowNull: false },
    assigneeUserId: { type: DataTypes.INTEGER, allowNull: true, ...ref('users', 'SET NULL') },
    ownerUserId: { type: DataTypes.INTEGER, allowNull: true, ...ref('users', 'SET NULL') },
    priority: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 50 },
    urgency: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
    dueAt: at(true),
    formKey: { type: DataTypes.STRING(128), allowNull: true },
    formFields: { type: DataTypes.TEXT, allowNull: true },
    documentId: { type: DataTypes.BIGINT, allowNull: true },
    createdAt: at(),
    claimedAt: at(true),
    completedAt: at(true),
    completedById: { type: DataTypes.INTEGER, allowNull: true, ...ref('users', 'SET NULL') },
    completedCapacity: { type: DataTypes.STRING(16), allowNull: true },
    completedForPositionId: { type: DataTypes.INTEGER, allowNull: true, ...ref('positions', 'SET NULL') },
    updatedAt: at(),
  }, utf8);
  await qi.addIndex('tasks', ['instanceId', 'executionId'], { name: 'tasks_instance_execution', unique: true });
  await qi.addIndex('tasks', ['assigneeUserId', 'status', 'dueAt'], { name: 'tasks_assignee_status' });
  await qi.addIndex('tasks', ['ownerUserId', 'status'], { name: 'tasks_owner_status' });
  await qi.addIndex('tasks', ['organisationId', 'status', 'processKey'], { name: 'tasks_org_status_key' });
  await qi.addIndex('tasks', ['completedById'], { name: 'tasks_completed_by' });
  await qi.addIndex('tasks', ['completedForPositionId'], { name: 'tasks_completed_for_position' });
  await qi.addIndex('tasks', ['documentId'], { name: 'tasks_document' });

  // Who may work on an open task: kind = user | group | unit | position.
  await qi.createTable('task_candidates', {
    taskId: { type: DataTypes.BIGINT, allowNull: false, primaryKey: true, ...ref('tasks', 'CASCADE') },
    kind: { type: DataTypes.STRING(16), allowNull: false, primaryKey: true },
    refId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
  }, utf8);
  await qi.addIndex('task_candidates', ['kind', 'refId', 'taskId'], { name: 'task_candidates_lookup' });

  await qi.createTable('workflow_jobs', {
    id: bigId,
    instanceId: { type: DataTypes.BIGINT, allowNull: false, ...ref('process_instances', 'CASCADE') },
    kind: { type: DataTypes.STRING(16), allowNull: false },
    elementId: { type: DataTypes.STRING(128), allowNull: false },
    executionId: { type: DataTypes.STRING(128), allowNull: false },
    dueAt: at(),
    status: { type: DataTypes.STRING(16), allowNull: false },
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    lockedBy: { type: DataTypes.STRING(64), allowNull: true },
    lockedUntil: at(true),
    lastError: { type: DataTypes.TEXT, allowNull: true },
    createdAt: at(),
    updatedAt: at(),
  }, utf8);
  await qi.addIndex('workflow_jobs', ['status', 'dueAt'], { name: 'workflow_jobs_due' });
  await qi.addIndex('workflow_jobs', ['instanceId', 'executionId'], { name: 'workflow_jobs_instance_execution', unique: true });

  await qi.createTable('workflow_history', {
    id: bigId,
    instanceId: { type: DataTypes.BIGINT, allowNull: false, ...ref('process_instances', 'CASCADE') },
    organisationId: { type: DataTypes.INTEGER, allowNull: false, ...ref('organisations') },
    processKey: { type: DataTypes.STRING(128), allowNull: false },
    elementId: { type: DataTypes.STRING(128), allowNull: true },
    elementType: { type: DataTypes.STRING(64), allowNull: true },
    event: { type: DataTypes.STRING(32), allowNull: false },
    taskId: { type: DataTypes.BIGINT, allowNull: true },
    userId: { type: DataTypes.INTEGER, allowNull: true, ...ref('users', 'SET NULL') },
    capacity: { type: DataTypes.STRING(16), allowNull: true },
    forPositionId: { type: DataTypes.INTEGER, allowNull: true, ...ref('positions', 'SET NULL') },
    detail: { type: DataTypes.TEXT, allowNull: true },
    at: at(),
  }, utf8);
  await qi.addIndex('workflow_history', ['instanceId', 'id'], { name: 'workflow_history_instance' });
  await qi.addIndex('workflow_history', ['organisationId', 'processKey', 'elementId', 'at'], { name: 'workflow_history_element' });
  await qi.addIndex('workflow_history', ['userId'], { name: 'workflow_history_user' });
  await qi.addIndex('workflow_history', ['forPositionId'], { name: 'workflow_history_for_position' });

  await qi.createTable('workflow_incidents', {
    id: bigId,
    instanceId: { type: DataTypes.BIGINT, allowNull: false, ...ref('process_instances', 'CASCADE') },
    jobId: { type: DataTypes.BIGINT, allowNull: true, ...ref('workflow_jobs', 'SET NULL') },
    elementId: { type: DataTypes.STRING(128), allowNull: true },
    message: { type: DataTypes.TEXT, allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false },
    createdAt: at(),
    resolvedAt: at(true),
    resolvedById: { type: DataTypes.INTEGER, allowNull: true, ...ref('users', 'SET NULL') },
  }, utf8);
  await qi.addIndex('workflow_incidents', ['instanceId', 'status'], { name: 'workflow_incidents_instance' });
  await qi.addIndex('workflow_incidents', ['jobId'], { name: 'workflow_incidents_job' });
  await qi.addIndex('workflow_incidents', ['resolvedById'], { name: 'workflow_incidents_resolved_by' });
}

export async function down(qi: QueryInterface): Promise<void> {
  for (const t of ['workflow_incidents', 'workflow_history', 'workflow_jobs', 'task_candidates', 'tasks', 'process_instances', 'process_definitions']) await qi.dropTable(t);
}
