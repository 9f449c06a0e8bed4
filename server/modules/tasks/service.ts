// The inbox and what people do with tasks. Inbox queries read indexed task rows, never engine state.
import { QueryTypes, Transaction } from 'sequelize';
import type { Database } from '../../db';
import { sqlDate, writeStatement } from '../../db/transaction';
import { writeTransaction } from '../../lib/transaction';
import { HistoryEntry, Task, User } from '../../db/models';
import { conflict, forbidden, notFound, unprocessable } from '../../lib/errors';
import { recordEvents } from '../events/outbox';
import type { Actor } from '../auth/actor';
import { audienceFrom, type WorkflowRuntime } from '../workflow/runtime';
import { validateFormVariables, formDefaults, FormField, FORM_INVALID } from '../workflow/forms';
import { throwFromTask as throwBpmn, ThrowKind } from '../workflow/bpmn-errors';
import type { EngineHost } from '../workflow/engine-host';
import { appendAudit } from '../audit/service';
import { taskAccess, TaskAccess } from './policy';
import { endorseFromStep } from '../documents/endorsements';
import { assertNoDocumentVariables, readableDocument } from '../documents/policy';

export interface InboxQuery {
  processKey?: string;
  urgency?: number;
  overdue?: boolean;
  dueBefore?: string;
  q?: string;
  sort: 'urgency' | 'priority' | 'due' | 'created';
  /** Only what reached me through this position I act for (the capacity chosen in the header). */
  actingFor?: number;
  limit: number;
  offset: number;
  /** 'mine': assigned to me or to what I belong to; 'group': unassigned tasks of one group/unit/position. */
  scope: { kind: 'mine' } | { kind: 'group' | 'unit' | 'position'; id: number };
}

// A letter marked ด่วนภายใน carries its own deadline: the nearer of it and the step's due date is the task's deadline.
const DEADLINE = '(CASE WHEN d.urgentBy IS NULL THEN t.dueAt WHEN t.dueAt IS NULL OR d.urgentBy < t.dueAt THEN d.urgentBy ELSE t.dueAt END)';
const ORDER = {
  // The way a Thai office works its pile: the most urgent letter first, then the nearest deadline, then the one waiting longest.
  urgency: `t.urgency DESC, ${DEADLINE} IS NULL, ${DEADLINE} ASC, t.createdAt ASC, t.id ASC`,
  priority: `t.priority DESC, ${DEADLINE} IS NULL, ${DEADLINE} ASC, t.id ASC`,
  due: `${DEADLINE} IS NULL, ${DEADLINE} ASC, t.priority DESC, t.id ASC`,
  created: 't.createdAt DESC, t.id DESC',
};

/** The letter's ด่วนภายใน deadline and the acting position a task reached me through, read beside each row (workflow/present.ts shows them). */
const EXTRAS = `d.urgentBy AS urgentBy, (SELECT MIN(c.refId) FROM task_candidates c WHERE c.taskId = t.id AND c.kind = 'position' AND c.refId IN (:acting)) AS actingForPositionId`;
const LETTER = "LEFT JOIN documents d ON d.id = t.documentId AND d.urgency = 'deadline'";

export async function inbox(db: Database, actor: Actor, query: InboxQuery): Promise<{ items: Task[]; total: number }> {
  const replacements: Record<string, unknown> = {
    me: actor.userId,
    groups: actor.groupIds.length ? actor.groupIds : [-1],
    unit: actor.unitId ?? -1,
    positions: actor.capacities.length ? actor.capacities.map((c) => c.positionId) : [-1],
    acting: actingPositions(actor),
    now: sqlDate(db, new Date()),
  };
  const where: string[] = ["t.status = 'open'"];
  if (query.scope.kind === 'mine') {
    where.push(`(t.assigneeUserId = :me OR t.ownerUserId = :me OR (t.assigneeUserId IS NULL AND EXISTS (
      SELECT 1 FROM task_candidates c WHERE c.taskId = t.id AND (
        (c.kind = 'user' AND c.refId = :me) OR (c.kind = 'group' AND c.refId IN (:groups))
        OR (c.kind = 'unit' AND c.refId = :unit) OR (c.kind = 'position' AND c.refId IN (:positions))))))`);
  } else {
    replacements.scopeKind = query.scope.kind;
    replacements.scopeId = query.scope.id;
    where.push('t.assigneeUserId IS NULL AND EXISTS (SELECT 1 FROM task_candidates c WHERE c.taskId = t.id AND c.kind = :scopeKind AND c.refId = :scopeId)');
  }
  if (query.actingFor !== undefined) {
    if (!actor.capacities.some((c) => c.positionId === query.actingFor && c.capacity !== 'self')) throw unprocessable('คุณไม่ได้ปฏิบัติราชการแทนหรือรักษาราชการแทนตำแหน่งนี้', [{ field: 'actingFor', message: 'not a position you act for' }]);
    where.push("EXISTS (SELECT 1 FROM task_candidates c WHERE c.taskId = t.id AND c.kind = 'position' AND c.refId = :actingFor)");
    replacements.actingFor = query.actingFor;
  }
  if (query.processKey) {
    where.push('t.processKey = :processKey');
    replacements.processKey = query.processKey;
  }
  if (query.urgency) {
    where.push('t.urgency = :urgency');
    replacements.urgency = query.urgency;
  }
  if (query.overdue) where.push('t.dueAt IS NOT NULL AND t.dueAt < :now');
  if (query.dueBefore) {
    where.push('t.dueAt IS NOT NULL AND t.dueAt < :dueBefore');
    replacements.dueBefore = sqlDate(db, new Date(query.dueBefore));
  }
  if (query.q) {
    // '!' escapes LIKE wildcards the same way on SQLite and MariaDB.
    where.push("(t.name LIKE :q ESCAPE '!' OR t.title LIKE :q ESCAPE '!')");
    replacements.q = `%${query.q.replace(/[!%_]/g, (c) => `!${c}`)}%`;
  }
  const sql = `FROM tasks t ${LETTER} WHERE ${where.join(' AND ')}`;
  const [{ total }] = await db.sequelize.query<{ total: number }>(`SELECT COUNT(*) AS total ${sql}`, { replacements, type: QueryTypes.SELECT });
  const rows = await db.sequelize.query(`SELECT t.*, ${EXTRAS} ${sql} ORDER BY ${ORDER[query.sort]} LIMIT :limit OFFSET :offset`, {
    replacements: { ...replacements, limit: query.limit, offset: query.offset },
    model: Task,
    mapToModel: true,
  });
  return { items: rows, total: Number(total) };
}

/** Positions I act for (not my own): a task offered to one of them reached me in that capacity. */
const actingPositions = (actor: Actor) => {
  const ids = actor.capacities.filter((c) => c.capacity !== 'self').map((c) => c.positionId);
  return ids.length ? ids : [-1];
};

/** เรื่องที่ดำเนินการแล้ว: the tasks I completed, the latest first, with the capacity I completed each in. */
export async function done(db: Database, actor: Actor, page: { limit: number; offset: number }): Promise<{ items: Task[]; total: number }> {
  const where = { me: actor.userId };
  const sql = "FROM tasks t LEFT JOIN documents d ON d.id = t.documentId AND d.urgency = 'deadline' WHERE t.completedById = :me AND t.status = 'completed'";
  const [{ total }] = await db.sequelize.query<{ total: number }>(`SELECT COUNT(*) AS total ${sql}`, { replacements: where, type: QueryTypes.SELECT });
  const items = await db.sequelize.query(
    `SELECT t.*, d.urgentBy AS urgentBy, CASE WHEN t.completedCapacity <> 'self' THEN t.completedForPositionId END AS actingForPositionId ${sql} ORDER BY t.completedAt DESC, t.id DESC LIMIT :limit OFFSET :offset`,
    { replacements: { ...where, ...page }, model: Task, mapToModel: true },
  );
  return { items, total: Number(total) };
}

async function loadVisible(taskId: number, actor: Actor): Promise<{ task: Task; access: TaskAccess }> {
  // The task and its candidates in one statement: every task command starts here.
  const rows = await Task.sequelize!.query<Task>(
    `SELECT t.*, d.urgentBy AS urgentBy, c.kind AS candidateKind, c.refId AS candidateRefId FROM tasks t ${LETTER} LEFT JOIN task_candidates c ON c.taskId = t.id WHERE t.id = :id`,
    { replacements: { id: taskId }, model: Task, mapToModel: true },
  );
  if (!rows.length) throw notFound('Task');
  const candidates: Array<{ kind: string; refId: number }> = [];
  for (const row of rows) {
    const { candidateKind, candidateRefId } = row.dataValues as { candidateKind: string | null; candidateRefId: number | null };
    if (candidateKind != null) candidates.push({ kind: candidateKind, refId: Number(candidateRefId) });
  }
  const task = rows[0];
  delete (task.dataValues as Record<string, unknown>).candidateKind;
  delete (task.dataValues as Record<string, unknown>).candidateRefId;
  const access = await taskAccess(task, actor, candidates);
  if (!access.canSee) throw forbidden('This task is not yours to see.');
  return { task, access };
}

export { loadVisible };

/** A task's history row: who did what, in which capacity. */
function historyRow(task: Task, event: string, actor: Actor, access: TaskAccess | null, detail: Record<string, unknown> | null) {
  return {
    instanceId: task.instanceId, organisationId: task.organisationId, processKey: task.processKey, elementId: task.elementId, elementType: 'bpmn:UserTask',
    event, taskId: task.id, userId: actor.userId, capacity: access?.capacity ?? 'self', forPositionId: access?.positionId ?? null,
    detail: detail ? JSON.stringify(detail) : null, at: new Date(),
  };
}

function history(task: Task, event: string, actor: Actor, access: TaskAccess | null, detail: Record<string, unknown> | null, transaction: Transaction) {
  return HistoryEntry.create(historyRow(task, event, actor, access, detail), { transaction });
}

async function changeAssignment(db: Database, task: Task, actor: Actor, access: TaskAccess, event: string, change: Partial<Pick<Task, 'assigneeUserId' | 'ownerUserId'>>, expect: Record<string, unknown>, detail: Record<string, unknown> | null) {
  await writeTransaction(db.sequelize, async (t) => {
    const [n] = await Task.update({ ...change, claimedAt: change.assigneeUserId ? new Date() : null }, { where: { id: task.id, status: 'open', ...expect }, transaction: t });
    if (n !== 1) throw conflict('The task changed meanwhile (claimed, completed or cancelled by someone else).');
    await task.reload({ transaction: t });
    await history(task, event, actor, access, detail, t);
    await recordEvents(t, [{
      type: event, organisationId: task.organisationId, subject: { type: 'task', id: task.id }, audience: audienceFrom(task, access.candidates),
      summary: { taskId: task.id, instanceId: task.instanceId, name: task.name, assigneeUserId: task.assigneeUserId },
    }, ...(change.assigneeUserId && change.assigneeUserId !== actor.userId ? [{
      type: 'task.assigned', organisationId: task.organisationId, subject: { type: 'task', id: task.id }, audience: { userIds: [change.assigneeUserId] },
      summary: { taskId: task.id, instanceId: task.instanceId, name: task.name, urgency: task.urgency, dueAt: task.dueAt?.toISOString() ?? null },
    }] : [])]);
  });
  return task;
}

export async function claim(db: Database, taskId: number, actor: Actor) {
  const { task, access } = await loadVisible(taskId, actor);
  if (task.status !== 'open') throw conflict(`The task is ${task.status}.`);
  if (task.assigneeUserId === actor.userId) return task;
  if (!access.canClaim) throw task.assigneeUserId ? conflict('Someone else has already claimed this task.') : forbidden('You are not a candidate for this task.');
  return changeAssignment(db, task, actor, access, 'task.claimed', { assigneeUserId: actor.userId }, { assigneeUserId: null }, null);
}

export async function unclaim(db: Database, taskId: number, actor: Actor) {
  const { task, access } = await loadVisible(taskId, actor);
  if (!access.canUnclaim) throw conflict('Only the person who claimed an open task can give it back.');
  return changeAssignment(db, task, actor, access, 'task.unclaimed', { assigneeUserId: null }, { assigneeUserId: actor.userId }, null);
}

async function colleague(userId: number, organisationId: number) {
  const user = await User.findByPk(userId);
  if (!user || !user.active) throw unprocessable('That user does not exist or is disabled.', [{ field: 'userId', message: 'not an active user' }]);
  if (user.organisationId !== organisationId) throw unprocessable('Tasks can only be passed within the organisation.', [{ field: 'userId', message: 'another organisation' }]);
  return user;
}

/** Delegation of a task: the delegate works on it; the owner keeps responsibility and sees it. */
export async function delegate(db: Database, taskId: number, actor: Actor, userId: number) {
  const { task, access } = await loadVisible(taskId, actor);
  if (!access.canWork || task.assigneeUserId !== actor.userId) throw conflict('Claim the task before delegating it.');
  await colleague(userId, task.organisationId);
  if (userId === actor.userId) throw unprocessable('You cannot delegate a task to yourself.');
  return changeAssignment(db, task, actor, access, 'task.delegated', { assigneeUserId: userId, ownerUserId: task.ownerUserId ?? actor.userId }, { assigneeUserId: actor.userId }, { to: userId });
}

export async function reassign(db: Database, taskId: number, actor: Actor, userId: number) {
  const { task, access } = await loadVisible(taskId, actor);
  if (!access.canReassign) throw forbidden('Only a supervisor of the assignee, or an administrator, may reassign this task.');
  await colleague(userId, task.organisationId);
  return changeAssignment(db, task, actor, access, 'task.reassigned', { assigneeUserId: userId, ownerUserId: null }, { assigneeUserId: task.assigneeUserId }, { from: task.assigneeUserId, to: userId });
}

/** A task on a letter is worked only by those who may read the letter (404 as reading it would). */
async function assertReadsLetterOf(task: Task, actor: Actor): Promise<void> {
  if (task.documentId != null) await readableDocument(actor, Number(task.documentId));
}

export async function comment(db: Database, taskId: number, actor: Actor, text: string) {
  const { task, access } = await loadVisible(taskId, actor);
  await assertReadsLetterOf(task, actor);
  await writeTransaction(db.sequelize, (t) => history(task, 'task.commented', actor, access, { text }, t));
}

/**
 * Completes a task: validates the form, then runs the command that signals the engine. The task
 * row flips from open to completed only together with the new engine state; a second completion
 * (here or on another server) gets 409 and changes nothing.
 */
/** Who may complete a task may also end it otherwise (a BPMN error, an escalation): the same checks. */
async function workable(taskId: number, actor: Actor, input: { variables: Record<string, unknown>; actingPositionId?: number }) {
  const { task, access } = await loadVisible(taskId, actor);
  if (task.status !== 'open') throw conflict(`The task is already ${task.status}.`);
  if (!access.canWork) throw forbidden(task.assigneeUserId ? 'Someone else has claimed this task.' : 'You are not a performer of this task.');
  // Completing a step on a letter writes into it (an endorsement, its route and register line).
  await assertReadsLetterOf(task, actor);
  assertNoDocumentVariables(input.variables, task.documentId != null);
  let capacity = access;
  if (input.actingPositionId !== undefined) {
    const chosen = actor.capacities.find((c) => c.positionId === input.actingPositionId);
    if (!chosen) throw forbidden('You do not hold or act for that position.');
    capacity = { ...access, capacity: chosen.capacity, positionId: chosen.positionId, delegationId: chosen.delegationId ?? null };
  }
  return { task, access, capacity };
}

/** The statement that closes an open task row, still with the assignee and owner the checks saw. */
async function closeTaskRow(runtime: WorkflowRuntime, t: Transaction, task: Task, actor: Actor, capacity: TaskAccess) {
  const at = new Date();
  const completed = {
    status: 'completed' as const, completedAt: at, completedById: actor.userId, completedCapacity: capacity.capacity,
    completedForPositionId: capacity.positionId, assigneeUserId: task.assigneeUserId ?? actor.userId, updatedAt: at,
  };
  // Written out: it runs on every completion (Model.update costs about 0.6 ms more CPU).
  const still = (column: string, value: number | null) => (value == null ? { sql: `${column} IS NULL`, values: [] } : { sql: `${column} = ?`, values: [value] });
  const assignee = still('assigneeUserId', task.assigneeUserId ?? null);
  const owner = still('ownerUserId', task.ownerUserId ?? null);
  const { changes } = await writeStatement(
    runtime.db.sequelize, t,
    `UPDATE tasks SET status = 'completed', completedAt = ?, completedById = ?, completedCapacity = ?, completedForPositionId = ?, assigneeUserId = ?, updatedAt = ?
     WHERE id = ? AND status = 'open' AND ${assignee.sql} AND ${owner.sql}`,
    [at, actor.userId, capacity.capacity, capacity.positionId, completed.assigneeUserId, at, task.id, ...assignee.values, ...owner.values],
  );
  if (changes !== 1) throw conflict('The task was completed, cancelled or passed to someone else meanwhile.');
  task.set(completed);
}

export async function complete(runtime: WorkflowRuntime, taskId: number, actor: Actor, input: { variables: Record<string, unknown>; comment?: string; actingPositionId?: number }) {
  const { task, access, capacity } = await workable(taskId, actor, input);
  const fields: FormField[] = task.formFields ? JSON.parse(task.formFields) : [];
  // Checked before the engine is touched, and again against the instance's variables below.
  const checked = validateFormVariables(fields, input.variables, Object.fromEntries(fields.map((f) => [f.id, true])));
  if (!checked.ok) throw unprocessable(FORM_INVALID, checked.details);

  const performer = { userId: actor.userId, positionId: capacity.positionId };
  const result = await runtime.command(
    task.instanceId,
    (host) => {
      const variables = host.variables();
      const full = validateFormVariables(fields, input.variables, variables);
      if (!full.ok) throw unprocessable(FORM_INVALID, full.details);
      // Camunda's order: validate, then the default of each field left out; each set where it lives (scopes.ts).
      host.completeActivity(task.elementId, task.executionId, { ...formDefaults(fields, input.variables, variables), ...input.variables });
      host.variables()._lastPerformer = performer;
      host.signal(task.elementId, task.executionId);
      if (!host.collector!.ended.has(task.executionId)) throw conflict('The process is not waiting at this task any more.');
    },
    async (t, _instance, effects) => {
      await closeTaskRow(runtime, t, task, actor, capacity);
      (effects.closedTasks ??= new Set()).add(task.executionId);
      if (task.documentId) await endorseFromStep(t, actor, capacity, Number(task.documentId), input.variables);
      effects.history.push(historyRow(task, 'task.completed', actor, capacity, { variables: input.variables, ...(input.comment ? { comment: input.comment } : {}), ...(capacity.delegationId ? { delegationId: capacity.delegationId } : {}) }));
      effects.events.push({ type: 'task.completed', organisationId: task.organisationId, subject: { type: 'task', id: task.id }, audience: audienceFrom(task, access.candidates), summary: { taskId: task.id, instanceId: task.instanceId, name: task.name } });
    },
  );
  return { ...result, task };
}

/**
 * A performer ends the task with a BPMN error or raises an escalation from it (Camunda 7's
 * handleBpmnError / handleEscalation): a boundary event on the task, or on a sub-process around
 * it, takes the process on. The task row closes (completed by the thrower, the history says how)
 * when the engine ended the task: always for an error, for an interrupting escalation; a
 * non-interrupting escalation leaves it open. No catching boundary → 422, nothing changes.
 */
export async function throwFromTask(runtime: WorkflowRuntime, taskId: number, actor: Actor, input: { kind: ThrowKind; code: string; message?: string; variables: Record<string, unknown>; actingPositionId?: number }) {
  const { task, access, capacity } = await workable(taskId, actor, input);
  let caught: { boundaryId: string; scopeId: string; interrupting: boolean } | null = null;
  let taskEnded = false;
  let host: EngineHost | null = null;
  const event = input.kind === 'error' ? 'task.bpmn_error' : 'task.escalation';
  const result = await runtime.command(
    task.instanceId,
    (h) => {
      host = h;
      Object.assign(h.variables(), input.variables, { _lastPerformer: { userId: actor.userId, positionId: capacity.positionId } });
      caught = throwBpmn(h, task, input.kind, input.code, input.message ?? null);
    },
    async (t, instance, effects) => {
      // The engine does not report a task it discarded with the sub-process around it: the catch says.
      taskEnded = Boolean((caught as { interrupting: boolean } | null)?.interrupting || (host as EngineHost | null)?.collector?.ended.has(task.executionId));
      const detail = { [input.kind === 'error' ? 'errorCode' : 'escalationCode']: input.code, ...(input.message ? { message: input.message } : {}), caughtBy: caught?.boundaryId, variables: input.variables, ...(capacity.delegationId ? { delegationId: capacity.delegationId } : {}) };
      effects.history.push(historyRow(task, event, actor, capacity, detail));
      if (taskEnded) {
        await closeTaskRow(runtime, t, task, actor, capacity);
        (effects.closedTasks ??= new Set()).add(task.executionId);
        effects.events.push({ type: 'task.completed', organisationId: task.organisationId, subject: { type: 'task', id: task.id }, audience: audienceFrom(task, access.candidates), summary: { taskId: task.id, instanceId: task.instanceId, name: task.name } });
      }
      if (task.documentId) {
        await appendAudit(t, { organisationId: instance.organisationId, entityType: 'document', entityId: Number(task.documentId), action: event, actorId: actor.userId, data: { taskId: task.id, instanceId: instance.id, elementId: task.elementId, code: input.code, caughtBy: caught?.boundaryId } });
      }
    },
  );
  return { ...result, task, caughtBy: (caught as { boundaryId: string } | null)?.boundaryId ?? null, taskEnded };
}
