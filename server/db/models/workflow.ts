// Workflow runtime rows: see migration 20261123001100-workflow.
import { DataTypes, Model, Sequelize, CreationOptional } from 'sequelize';

export class ProcessDefinition extends Model {
  declare id: CreationOptional<number>;
  declare organisationId: number;
  declare key: string;
  declare name: string | null;
  declare version: number;
  declare isActive: boolean;
  declare xml: string;
  declare sourceContext: string;
  declare deployedById: number | null;
  declare createdAt: CreationOptional<Date>;
}

export type InstanceStatus = 'running' | 'completed' | 'cancelled' | 'failed';

export class ProcessInstance extends Model {
  declare id: CreationOptional<number>;
  declare definitionId: number;
  declare organisationId: number;
  declare processKey: string;
  declare businessKey: string | null;
  declare documentId: number | null;
  declare status: InstanceStatus;
  declare state: string;
  declare version: CreationOptional<number>;
  declare startedById: number | null;
  declare startedAt: Date;
  declare endedAt: Date | null;
  declare updatedAt: CreationOptional<Date>;
}

export type TaskStatus = 'open' | 'completed' | 'cancelled';

export class Task extends Model {
  declare id: CreationOptional<number>;
  declare instanceId: number;
  declare organisationId: number;
  declare processKey: string;
  declare elementId: string;
  declare executionId: string;
  declare name: string;
  declare title: string | null;
  declare status: TaskStatus;
  declare assigneeUserId: number | null;
  declare ownerUserId: number | null;
  declare priority: number;
  declare urgency: number;
  declare dueAt: Date | null;
  declare formKey: string | null;
  declare formFields: string | null;
  declare documentId: number | null;
  declare createdAt: CreationOptional<Date>;
  declare claimedAt: Date | null;
  declare completedAt: Date | null;
  declare completedById: number | null;
  declare completedCapacity: string | null;
  declare completedForPositionId: number | null;
  declare updatedAt: CreationOptional<Date>;
}

export type CandidateKind = 'user' | 'group' | 'unit' | 'position';

export class TaskCandidate extends Model {
  declare taskId: number;
  declare kind: CandidateKind;
  declare refId: number;
}

export class WorkflowJob extends Model {
  declare id: CreationOptional<number>;
  declare instanceId: number;
  declare kind: 'timer' | 'service';
  declare elementId: string;
  declare executionId: string;
  declare dueAt: Date;
  declare status: 'pending' | 'running' | 'done' | 'cancelled' | 'failed';
  declare attempts: CreationOptional<number>;
  declare lockedBy: string | null;
  declare lockedUntil: Date | null;
  declare lastError: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class HistoryEntry extends Model {
  declare id: CreationOptional<number>;
  declare instanceId: number;
  declare organisationId: number;
  declare processKey: string;
  declare elementId: string | null;
  declare elementType: string | null;
  declare event: string;
  declare taskId: number | null;
  declare userId: number | null;
  declare capacity: string | null;
  declare forPositionId: number | null;
  declare detail: string | null;
  declare at: Date;
}

export class Incident extends Model {
  declare id: CreationOptional<number>;
  declare instanceId: number;
  declare jobId: number | null;
  declare elementId: string | null;
  declare message: string;
  declare status: 'open' | 'resolved';
  declare createdAt: CreationOptional<Date>;
  declare resolvedAt: Date | null;
  declare resolvedById: number | null;
}

const bigId = { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true };
const str = (n: number, allowNull = false) => ({ type: DataTypes.STRING(n), allowNull });
const int = (allowNull = false) => ({ type: DataTypes.INTEGER, allowNull });
const big = (allowNull = false) => ({ type: DataTypes.BIGINT, allowNull });
const date = (allowNull = false) => ({ type: DataTypes.DATE(3), allowNull });

export function initWorkflowModels(sequelize: Sequelize): void {
  ProcessDefinition.init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      organisationId: int(), key: str(128), name: str(255, true), version: int(),
      isActive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      xml: { type: DataTypes.TEXT, allowNull: false },
      sourceContext: { type: DataTypes.TEXT, allowNull: false },
      deployedById: int(true),
    },
    { sequelize, tableName: 'process_definitions', updatedAt: false },
  );
  ProcessInstance.init(
    {
      id: bigId, definitionId: int(), organisationId: int(), processKey: str(128), businessKey: str(128, true), documentId: big(true),
      status: str(16), state: { type: DataTypes.TEXT, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      startedById: int(true), startedAt: date(), endedAt: date(true),
    },
    { sequelize, tableName: 'process_instances', createdAt: false },
  );
  Task.init(
    {
      id: bigId, instanceId: big(), organisationId: int(), processKey: str(128), elementId: str(128), executionId: str(128),
      name: str(255), title: str(500, true), status: str(16), assigneeUserId: int(true), ownerUserId: int(true),
      priority: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 50 },
      urgency: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      dueAt: date(true), formKey: str(128, true), formFields: { type: DataTypes.TEXT, allowNull: true }, documentId: big(true),
      claimedAt: date(true), completedAt: date(true), completedById: int(true), completedCapacity: str(16, true), completedForPositionId: int(true),
    },
    { sequelize, tableName: 'tasks' },
  );
  TaskCandidate.init(
    { taskId: { type: DataTypes.BIGINT, primaryKey: true }, kind: { type: DataTypes.STRING(16), primaryKey: true }, refId: { type: DataTypes.INTEGER, primaryKey: true } },
    { sequelize, tableName: 'task_candidates', timestamps: false },
  );
  WorkflowJob.init(
    {
      id: bigId, instanceId: big(), kind: str(16), elementId: str(128), executionId: str(128), dueAt: date(), status: str(16),
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      lockedBy: str(64, true), lockedUntil: date(true), lastError: { type: DataTypes.TEXT, allowNull: true },
    },
    { sequelize, tableName: 'workflow_jobs' },
  );
  HistoryEntry.init(
    {
      id: bigId, instanceId: big(), organisationId: int(), processKey: str(128), elementId: str(128, true), elementType: str(64, true),
      event: str(32), taskId: big(true), userId: int(true), capacity: str(16, true), forPositionId: int(true),
      detail: { type: DataTypes.TEXT, allowNull: true }, at: date(),
    },
    { sequelize, tableName: 'workflow_history', timestamps: false },
  );
  Incident.init(
    {
      id: bigId, instanceId: big(), jobId: big(true), elementId: str(128, true), message: { type: DataTypes.TEXT, allowNull: false },
      status: str(16), resolvedAt: date(true), resolvedById: int(true),
    },
    { sequelize, tableName: 'workflow_incidents', updatedAt: false },
  );
}
