// The workflow runtime: every command (start, complete a task, fire a timer, run a service,
// deliver a message) hydrates the instance, applies the command, lets the engine run until it
// waits again, and writes state, tasks, jobs, history and outbox rows in ONE transaction guarded
// by the instance's version. One writer per instance: a keyed queue inside the process and the
// optimistic version check across processes.
import { Op, QueryTypes, Transaction } from 'sequelize';
import { LRUCache } from 'lru-cache';
import { ISOInterval } from '@0dep/piso';
import type { Database } from '../../db';
import { writeTransaction } from '../../lib/transaction';
import { appendRows, insertRow, writeStatement } from '../../db/transaction';
import { ProcessDefinition, ProcessInstance, Task, TaskCandidate, WorkflowJob, HistoryEntry, Incident } from '../../db/models';
import { AppError, conflict, unprocessable } from '../../lib/errors';
import { recordEvents, DomainEvent } from '../events/outbox';
import { ancestorsOf } from '../org/policy';
import { EngineHost, emptyCollector, inputParameters, WaitInfo } from './engine-host';
import { expressionsIn, resolveTemplate } from './expressions';
import { performersOf, Candidate } from './performers';
import { formFieldsOf } from './forms';
import { SERVICE_TOPICS } from './services';
import { KeyedQueue } from './keyed-queue';
import { gatewayStuck, unmatchedGateway } from './gateway-incident';
import { raiseIfStalled, resolveMovedPast } from './liveness';
import { reevaluateConditions } from './conditional-events';
import { passStartTimers } from './start-timers';
import { dataDir as defaultDataDir } from '../../../config/database';

type Bag = Record<string, unknown>;

export interface Performer {
  userId: number;
  positionId: number | null;
  capacity: string;
}

interface CommandResult {
  instance: ProcessInstance;
  createdTasks: Task[];
}

/** Rows a command adds to the engine's own history and outbox rows (written together, in bulk). */
export interface CommandEffects {
  history: Array<Record<string, unknown>>;
  events: DomainEvent[];
  /** Execution ids of task rows the command closed itself (the task it completed). */
  closedTasks?: Set<string>;
}

/** What a command does besides running the engine: its own rows, in the same transaction. */
type CommandWrites = (t: Transaction, instance: ProcessInstance, effects: CommandEffects) => Promise<void>;


/** Who hears about a task: its candidates, assignee and owner, and the process's monitor. */
export function audienceFrom(task: Task, candidates: Array<{ kind: string; refId: number }>) {
  const ids = (kind: string) => candidates.filter((c) => c.kind === kind).map((c) => c.refId);
  const userIds = [...new Set([...ids('user'), ...(task.assigneeUserId ? [task.assigneeUserId] : []), ...(task.ownerUserId ? [task.ownerUserId] : [])])];
  return { userIds, groupIds: ids('group'), unitIds: ids('unit'), positionIds: ids('position'), processKeys: [task.processKey] };
}

/** The process's watchers hear that an instance ended. */
const instanceEnded = (instance: ProcessInstance, extra: Bag = {}): DomainEvent => ({
  type: 'instance.ended', organisationId: instance.organisationId, subject: { type: 'instance', id: instance.id }, audience: { processKeys: [instance.processKey] },
  summary: { instanceId: instance.id, processKey: instance.processKey, ...extra },
});

/** The monitor's figures for the process changed (its open work, its ended instances). */
const monitorChanged = (instance: ProcessInstance): DomainEvent => ({
  type: 'monitor.changed', organisationId: instance.organisationId, subject: { type: 'process', id: instance.processKey }, audience: { processKeys: [instance.processKey] },
  summary: { processKey: instance.processKey, instanceId: instance.id },
});

export class WorkflowRuntime {
  private readonly hot: LRUCache<number, EngineHost>;
  private readonly keepHot: boolean;
  private readonly queue = new KeyedQueue();
  /** Parsed sourceContext per deployed version: parsed once, never per instance. */
  private readonly sources = new Map<number, { json: unknown; key: string }>();
  /** Where stored files live (service tasks that delete files need it). */
  private readonly dataDir: string;

  constructor(
    readonly db: Database,
    options: { cacheSize?: number; dataDir?: string } = {},
  ) {
    this.dataDir = options.dataDir ?? defaultDataDir();
    // WORKFLOW_ENGINE_CACHE=0 keeps no engine: every command hydrates from the database.
    const size = options.cacheSize ?? 64;
    // An engine waiting for people that leaves memory (evicted, not kept, moved on elsewhere) is
    // dropped, not stopped: its state is in the database and it holds no timer or socket (timers
    // are jobs), so the garbage collector takes it whole. Stopping one publishes a stop through
    // every queue of its definition: 1.5–2 ms of CPU, on every command once the cache is full.
    // Only an engine that failed in the middle of a command is stopped.
    this.hot = new LRUCache<number, EngineHost>({ max: Math.max(1, size) });
    this.keepHot = size > 0;
  }

  private async source(definitionId: number, transaction?: Transaction) {
    let entry = this.sources.get(definitionId);
    if (!entry) {
      const def = await ProcessDefinition.findByPk(definitionId, { attributes: ['id', 'key', 'sourceContext'], transaction });
      if (!def) throw new Error(`process definition ${definitionId} is missing`);
      entry = { json: JSON.parse(def.sourceContext), key: def.key };
      this.sources.set(definitionId, entry);
    }
    return entry;
  }

  /** Starts an instance of a deployed version. */
  async start(input: { definition: ProcessDefinition; organisationId: number; starter: Performer | null; starterUsername?: string; variables: Bag; documentId?: number | null; businessKey?: string | null; transaction?: Transaction }): Promise<CommandResult> {
    // Inside a caller's transaction every read uses it too: see watchStrayQueries (db/index.ts).
    const source = await this.source(input.definition.id, input.transaction);
    const host = new EngineHost(input.definition.id, source.json, `${input.definition.key}`);
    host.collector = emptyCollector();
    const variables: Bag = {
      ...input.variables,
      initiator: input.starterUsername ?? null,
      _initiator: input.starter ? { userId: input.starter.userId, positionId: input.starter.positionId } : null,
      _lastPerformer: input.starter ? { userId: input.starter.userId, positionId: input.starter.positionId } : null,
    };
    try {
      await host.start(variables);
      await passStartTimers(host, source.json); // a timer start event has fired, or a person starts it
      const stuckAtStart = unmatchedGateway(host.collector.engineError);
      if (stuckAtStart) throw await gatewayStuck(this.db, null, stuckAtStart);
      if (host.collector.engineError) throw unprocessable(`The process could not start: ${host.collector.engineError.message}`);
      const state = await host.state();
      // Inside a caller's transaction (e.g. registering a letter) the instance commits with it.
      const inTransaction = <T>(fn: (t: Transaction) => Promise<T>) => (input.transaction ? fn(input.transaction) : writeTransaction(this.db.sequelize, fn));
      host.noOpenJobs = true; // a new instance has no job rows yet
      host.openHostIncidents = false; // nor incidents
      const result = await inTransaction(async (t) => {
        const now = new Date();
        const ended = host.collector!.engineEnded;
        const values = {
          definitionId: input.definition.id, organisationId: input.organisationId, processKey: input.definition.key,
          businessKey: input.businessKey ?? null, documentId: input.documentId ?? null, status: ended ? ('completed' as const) : ('running' as const),
          state, version: 1, startedById: input.starter?.userId ?? null, startedAt: now, endedAt: ended ? now : null, updatedAt: now,
        };
        const instance = ProcessInstance.build({ id: await insertRow(this.db.sequelize, 'process_instances', values, t), ...values }, { isNewRecord: false, raw: true });
        const effects: CommandEffects = { history: [{ instanceId: instance.id, organisationId: instance.organisationId, processKey: instance.processKey, event: 'instance.started', userId: input.starter?.userId ?? null, capacity: input.starter?.capacity ?? null, forPositionId: input.starter?.positionId ?? null, at: now }], events: [] };
        const createdTasks = await this.persistEffects(host, instance, t, effects);
        return { instance, createdTasks };
      });
      host.version = 1;
      const keep = () => {
        if (result.instance.status === 'running' && this.keepHot) this.hot.set(result.instance.id, host);
      };
      if (input.transaction) input.transaction.afterCommit(keep);
      else keep();
      return result;
    } catch (err) {
      host.stop();
      throw err;
    }
  }

  /**
   * Runs one command against an instance. `apply` changes the hydrated engine (set variables,
   * signal); `writes` adds the command's own rows. Either failing leaves the database untouched.
   */
  async command(instanceId: number, apply: (host: EngineHost, instance: ProcessInstance) => Promise<void> | void, writes?: CommandWrites): Promise<CommandResult> {
    return this.queue.run(instanceId, async () => {
      // An engine not in memory needs the state (~10 KB): it comes with the instance row. A hot one
      // is checked against the row's version and needs no state, unless another process moved on.
      let host = this.hot.get(instanceId);
      // Written out, like every statement a command runs (findByPk costs about 0.4 ms more CPU).
      const [instance] = await this.db.sequelize.query<ProcessInstance>(
        `SELECT id, definitionId, organisationId, processKey, businessKey, documentId, status, version, startedById, startedAt, endedAt, updatedAt${host ? '' : ', state'} FROM process_instances WHERE id = :id`,
        { replacements: { id: instanceId }, model: ProcessInstance, mapToModel: true },
      );
      if (!instance) throw new AppError(404, 'not_found', 'Process instance was not found.');
      if (instance.status !== 'running') throw conflict(`The process instance is ${instance.status}; nothing more can happen in it.`);
      const expectedVersion = instance.version;
      try {
        if (!host || host.version !== expectedVersion) {
          if (host) this.hot.delete(instanceId);
          host = new EngineHost(instance.definitionId, (await this.source(instance.definitionId)).json, instance.processKey);
          host.collector = emptyCollector();
          let state = instance.state;
          if (state === undefined) {
            const [stored] = await this.db.sequelize.query<{ state: string }>('SELECT state FROM process_instances WHERE id = :id', { replacements: { id: instanceId }, type: QueryTypes.SELECT });
            state = stored.state;
          }
          delete (instance.dataValues as Partial<ProcessInstance>).state; // ~10 KB the command does not need
          await host.recover(JSON.parse(state));
        } else {
          host.collector = emptyCollector();
        }
        await apply(host, instance);
        await host.settle();
        if (reevaluateConditions(host)) await host.settle(); // variables may have changed
        const collector = host.collector!;
        const stuck = unmatchedGateway(collector.engineError);
        if (stuck) throw await gatewayStuck(this.db, instance, stuck);
        if (collector.engineError) throw unprocessable(`The process could not continue: ${collector.engineError.message}`);
        const state = await host.state();
        const h = host;
        const result = await writeTransaction(this.db.sequelize, async (t) => {
          const ended = collector.engineEnded;
          // The statement every command runs: written out (Model.update costs about 0.6 ms more CPU).
          const now = new Date();
          const { changes } = await writeStatement(
            this.db.sequelize, t,
            'UPDATE process_instances SET state = ?, version = ?, status = ?, endedAt = ?, updatedAt = ? WHERE id = ? AND version = ?',
            [state, expectedVersion + 1, ended ? 'completed' : 'running', ended ? now : null, now, instanceId, expectedVersion],
          );
          if (changes !== 1) throw conflict('Someone else changed this process at the same moment; reload and try again.');
          instance.set({ version: expectedVersion + 1, status: ended ? 'completed' : 'running' });
          const effects: CommandEffects = { history: [], events: [] };
          if (writes) await writes(t, instance, effects);
          const createdTasks = await this.persistEffects(h, instance, t, effects);
          return { instance, createdTasks };
        });
        host.version = expectedVersion + 1;
        host.collector = null;
        if (result.instance.status === 'running' && this.keepHot) this.hot.set(instanceId, host);
        else this.hot.delete(instanceId);
        return result;
      } catch (err) {
        // The engine in memory may be ahead of the database: drop it, the next command recovers.
        if (host) {
          this.hot.delete(instanceId);
          host.stop();
        }
        throw err;
      }
    });
  }

  /** Turns what the engine did into rows: tasks, cancelled tasks, jobs, history, events. */
  private async persistEffects(host: EngineHost, instance: ProcessInstance, t: Transaction, effects: CommandEffects): Promise<Task[]> {
    const c = host.collector!;
    const now = new Date();
    const variables = host.variables();
    const events: DomainEvent[] = effects.events;
    const commandEvents = events.length; // a task completed or escalated by the command itself
    const history: Array<Record<string, unknown>> = [...effects.history, ...c.history.map((h) => ({
      instanceId: instance.id, organisationId: instance.organisationId, processKey: instance.processKey, elementId: h.elementId, elementType: h.elementType, event: h.event, at: h.at,
    }))];
    const base = { instanceId: instance.id, organisationId: instance.organisationId, processKey: instance.processKey };

    // Open task rows whose activity ended without the API (a boundary timer, the end of the
    // instance, a sub-process left) are closed. They are read only when such an end happened: not
    // after a start, nor after a completion that only moved on to the next step. A scope that is
    // cancelled (an interrupting boundary event on a sub-process, a terminate end event inside it,
    // a multi-instance completion condition) does not always report the tasks inside it as ended:
    // the engine is the truth, so a row whose task no longer waits anywhere in it is closed too.
    const waits = c.waits.filter((w) => w.type === 'bpmn:UserTask' && !w.isRecovered && !c.ended.has(w.executionId));
    const mayLeaveOpen = c.engineEnded || [...c.endedTaskHolders].some((id) => !effects.closedTasks?.has(id));
    const openTasks = !mayLeaveOpen ? [] : await this.db.sequelize.query<Task>(
      "SELECT * FROM tasks WHERE instanceId = :id AND status = 'open'",
      { replacements: { id: instance.id }, model: Task, mapToModel: true, transaction: t },
    );
    let cancelled = 0;
    for (const task of openTasks) {
      const endedHere = c.ended.has(task.executionId) || [...c.ended].some((e) => task.executionId.startsWith(`${e}_`)) || !host.activity(task.elementId, task.executionId);
      if (!(endedHere || c.engineEnded)) continue;
      cancelled++;
      await this.cancelTask(task, now, t, { history, events });
    }

    // New user tasks. A recovered wait already has its row; a new wait has a new execution id, so
    // it has none (the unique index on instance and execution id would refuse a second one).
    const created: Task[] = [];
    if (waits.length) {
      // The organisation chain is read once per hydrated engine (it names whose groups apply).
      host.organisationIds ??= [instance.organisationId, ...(await ancestorsOf(instance.organisationId, t))];
      const organisationIds = host.organisationIds;
      for (const wait of waits) {
        const task = await this.createTask(wait, instance, variables, { organisationIds, groupIds: host.groupIds }, t);
        created.push(task);
        history.push({ ...base, elementId: task.elementId, elementType: 'bpmn:UserTask', event: 'task.created', taskId: task.id, at: now });
        const audience = audienceFrom(task, (task as Task & { candidates?: Candidate[] }).candidates ?? []);
        const summary = { taskId: task.id, instanceId: instance.id, name: task.name, processKey: instance.processKey, urgency: task.urgency, dueAt: task.dueAt?.toISOString() ?? null };
        events.push({ type: 'task.created', organisationId: instance.organisationId, subject: { type: 'task', id: task.id }, audience, summary });
        if (task.assigneeUserId) events.push({ type: 'task.assigned', organisationId: instance.organisationId, subject: { type: 'task', id: task.id }, audience: { userIds: [task.assigneeUserId] }, summary });
      }
    }

    // Jobs: the armed timers and pending service calls are the truth; rows follow them.
    const wanted = new Map<string, { kind: 'timer' | 'service'; elementId: string; dueAt: Date }>();
    for (const timer of host.timers.armed.values()) wanted.set(timer.executionId, { kind: 'timer', elementId: timer.elementId, dueAt: timer.expireAt });
    for (const service of host.services.values()) wanted.set(service.executionId, { kind: 'service', elementId: service.elementId, dueAt: now });
    // Job rows are written only here, so after a command that left none open, the next one that
    // wants none need not look.
    const jobs = wanted.size === 0 && host.noOpenJobs ? [] : await WorkflowJob.findAll({ where: { instanceId: instance.id, status: { [Op.in]: ['pending', 'running', 'failed'] } }, transaction: t });
    for (const job of jobs) {
      if (wanted.has(job.executionId)) continue;
      await job.update({ status: c.ended.has(job.executionId) || job.status === 'running' ? 'done' : 'cancelled', lockedBy: null, lockedUntil: null }, { transaction: t });
    }
    const have = new Set(jobs.map((j) => j.executionId));
    const missing = [...wanted].filter(([executionId]) => !have.has(executionId));
    if (missing.length) {
      await WorkflowJob.bulkCreate(
        missing.map(([executionId, j]) => ({ instanceId: instance.id, kind: j.kind, elementId: j.elementId, executionId, dueAt: j.dueAt, status: 'pending', attempts: 0 })),
        { transaction: t, ignoreDuplicates: true },
      );
    }

    host.noOpenJobs = wanted.size === 0;
    const resolved = await resolveMovedPast(host, instance, t, { history, events }); // what the instance moved past
    await raiseIfStalled(host, instance, t, { history, events }); // never a silent stall

    if (c.engineEnded) {
      history.push({ ...base, event: 'instance.ended', at: now });
      events.push(instanceEnded(instance));
    }
    if (created.length || cancelled || resolved || commandEvents || c.engineEnded) events.push(monitorChanged(instance));
    await appendRows(this.db.sequelize, 'workflow_history', history, t);
    await recordEvents(t, events);
    return created;
  }

  private async createTask(wait: WaitInfo, instance: ProcessInstance, variables: Bag, known: { organisationIds: number[]; groupIds: Map<string, number> }, t: Transaction): Promise<Task> {
    const b = wait.behaviour;
    // The task's scope (inside a sub-process or a called process, that one's) and its input parameters.
    const vars = wait.variables ?? variables;
    const inputs = wait.inputs ?? (() => {
      try {
        return inputParameters(b, { ...vars, ...wait.content, variables: vars });
      } catch (err) {
        throw unprocessable(`The next step "${wait.elementId}" could not be prepared: ${(err as Error).message}`, [{ elementId: wait.elementId, message: (err as Error).message }]);
      }
    })();
    const scope: Bag = { ...vars, ...wait.content, ...inputs, variables: vars };
    const last = (variables._lastPerformer ?? null) as { userId?: number; positionId?: number | null } | null;
    const initiator = (variables._initiator ?? null) as { userId?: number } | null;
    const ctx = { organisationId: instance.organisationId, ...known, initiatorUserId: initiator?.userId ?? null, lastPerformerPositionId: last?.positionId ?? null, elementId: wait.elementId };
    const evaluated = (value: unknown) => {
      try {
        return resolveTemplate(value, scope);
      } catch (err) {
        throw unprocessable(`The next step "${wait.elementId}" could not be prepared: ${(err as Error).message}`, [{ elementId: wait.elementId, message: (err as Error).message }]);
      }
    };
    let assigneeUserId: number | null = null;
    const candidates: Candidate[] = [];
    // The variable a performer expression reads (${'unit:' + assignUnitId}): a refusal names it.
    const fieldOf = (template: unknown) =>
      typeof template === 'string' ? expressionsIn(template).join(' ').replace(/'[^']*'|"[^"]*"/g, ' ').match(/[A-Za-z_][\w]*/)?.[0] : undefined;
    const performers = (template: unknown, kind: 'user' | 'group') =>
      performersOf(evaluated(template), kind, { ...ctx, elementName: typeof b.name === 'string' && !expressionsIn(b.name).length ? b.name : undefined, field: fieldOf(template) }, t);
    if (b.assignee) {
      const resolved = await performers(b.assignee, 'user');
      const user = resolved.find((r) => r.kind === 'user');
      if (user) assigneeUserId = user.refId;
      candidates.push(...resolved.filter((r) => r.kind !== 'user'));
    }
    if (b.candidateUsers) candidates.push(...(await performers(b.candidateUsers, 'user')));
    if (b.candidateGroups) candidates.push(...(await performers(b.candidateGroups, 'group')));
    if (!assigneeUserId && !candidates.length) throw unprocessable(`The next step "${wait.elementId}" has no performer.`, [{ elementId: wait.elementId, message: 'no performer' }]);

    const doc = (variables.document ?? {}) as { urgency?: unknown; subject?: unknown; id?: unknown };
    const urgency = Number.isInteger(Number(doc.urgency)) ? Math.max(1, Math.min(4, Number(doc.urgency))) : 1;
    const priorityRaw = inputs.priority ?? evaluated(b.priority);
    // Without a priority of the designer's, the letter's urgency gives it: ปกติ 50 … ด่วนที่สุด 80.
    const priority = Math.max(0, Math.min(100, Number.isFinite(Number(priorityRaw)) && priorityRaw !== undefined && priorityRaw !== null && priorityRaw !== '' ? Number(priorityRaw) : 40 + urgency * 10));
    const dueRaw = evaluated(b.dueDate);
    let dueAt: Date | null = null;
    if (dueRaw instanceof Date) dueAt = dueRaw;
    else if (typeof dueRaw === 'string' && dueRaw.trim()) {
      dueAt = /^P/.test(dueRaw.trim()) ? new ISOInterval(dueRaw.trim()).parse().getExpireAt(new Date(), new Date()) : new Date(dueRaw);
      if (Number.isNaN(dueAt.getTime())) throw unprocessable(`The next step "${wait.elementId}" has a due date that is not a date: ${dueRaw}`);
    }
    const formKey = evaluated(b.formKey);
    const fields = formFieldsOf(b);
    // Written out: a task row is written for every step (Task.create costs about 1 ms more CPU).
    const now = new Date();
    const values = {
      instanceId: instance.id, organisationId: instance.organisationId, processKey: instance.processKey, elementId: wait.elementId, executionId: wait.executionId,
      name: String(evaluated(b.name) ?? wait.elementId).slice(0, 255), title: typeof doc.subject === 'string' ? doc.subject.slice(0, 500) : null, status: 'open' as const,
      assigneeUserId, ownerUserId: null, priority, urgency, dueAt, formKey: formKey == null ? null : String(formKey).slice(0, 128),
      formFields: fields.length ? JSON.stringify(fields) : null, documentId: instance.documentId,
      createdAt: now, claimedAt: assigneeUserId ? now : null, completedAt: null, completedById: null, completedCapacity: null, completedForPositionId: null, updatedAt: now,
    };
    const id = await insertRow(this.db.sequelize, 'tasks', values, t);
    const task = Task.build({ id, ...values }, { isNewRecord: false, raw: true });
    await appendRows(this.db.sequelize, 'task_candidates', candidates.map((c) => ({ taskId: id, kind: c.kind, refId: c.refId })), t);
    (task as Task & { candidates?: Candidate[] }).candidates = candidates;
    return task;
  }

  /** An open task whose step will not be worked any more: its row, history and event. */
  private async cancelTask(task: Task, now: Date, t: Transaction, effects: CommandEffects): Promise<void> {
    await task.update({ status: 'cancelled', updatedAt: now }, { transaction: t });
    effects.history.push({ instanceId: task.instanceId, organisationId: task.organisationId, processKey: task.processKey, elementId: task.elementId, elementType: 'bpmn:UserTask', event: 'task.cancelled', taskId: task.id, at: now });
    effects.events.push({ type: 'task.cancelled', organisationId: task.organisationId, subject: { type: 'task', id: task.id }, audience: await this.audienceOf(task, t), summary: { taskId: task.id, instanceId: task.instanceId, name: task.name } });
  }

  async audienceOf(task: Task, t?: Transaction) {
    return audienceFrom(task, await TaskCandidate.findAll({ where: { taskId: task.id }, transaction: t }));
  }

  /** Fires a due timer job. Returns false when the timer is no longer armed (already fired elsewhere). */
  async fireTimer(job: WorkflowJob): Promise<void> {
    let escalatedElement: string | null = null;
    await this.command(
      job.instanceId,
      (host) => {
        // A boundary timer on a user task is an escalation: the task is overdue.
        const execution = host.engine.execution as unknown as { getActivityById?(id: string): { attachedTo?: { id: string; type: string } } | undefined } | undefined;
        const attachedTo = execution?.getActivityById?.(job.elementId)?.attachedTo;
        if (attachedTo?.type === 'bpmn:UserTask') escalatedElement = attachedTo.id;
        // A timer already due fires while the instance is recovered; then there is nothing left to fire.
        host.timers.fire(job.executionId);
      },
      async (t, instance, effects) => {
        await WorkflowJob.update({ status: 'done', lockedBy: null, lockedUntil: null }, { where: { id: job.id }, transaction: t });
        if (!escalatedElement) return;
        const overdue = await Task.findAll({ where: { instanceId: instance.id, elementId: escalatedElement, status: 'open' }, transaction: t });
        for (const task of overdue) {
          effects.events.push({
            type: 'task.escalated', organisationId: instance.organisationId, subject: { type: 'task', id: task.id }, audience: await this.audienceOf(task, t),
            summary: { taskId: task.id, instanceId: instance.id, name: task.name, title: task.name, letterSubject: task.title, urgency: task.urgency, dueAt: task.dueAt?.toISOString() ?? null },
          });
          effects.history.push({ instanceId: instance.id, organisationId: instance.organisationId, processKey: instance.processKey, elementId: task.elementId, elementType: 'bpmn:UserTask', event: 'task.escalated', taskId: task.id, at: new Date() });
        }
      },
    );
  }

  /** Runs a pending service call; a failure is retried with backoff, then becomes an incident. */
  async runService(job: WorkflowJob, maxAttempts = 3): Promise<void> {
    let failure: Error | null = null;
    try {
      await this.command(
        job.instanceId,
        async (host, instance) => {
          const pending = host.services.get(job.executionId);
          if (!pending) return; // the task is no longer waiting (done by another process, or discarded)
          const service = SERVICE_TOPICS[pending.topic];
          try {
            if (!service) throw new Error(`Unknown service topic ${pending.topic}`);
            const output = (await service.handler({
              topic: pending.topic, input: pending.input, variables: host.activity(pending.elementId, pending.executionId)?.variables ?? host.variables(),
              context: { instanceId: instance.id, organisationId: instance.organisationId, startedById: instance.startedById ?? null, db: this.db, dataDir: this.dataDir },
            })) ?? {};
            host.completeActivity(pending.elementId, pending.executionId, output);
            host.services.delete(job.executionId);
            pending.callback(null, output);
          } catch (err) {
            failure = err as Error;
            throw err;
          }
        },
        async (t) => {
          await WorkflowJob.update({ status: 'done', lockedBy: null, lockedUntil: null, lastError: null }, { where: { id: job.id }, transaction: t });
        },
      );
    } catch (err) {
      const error = failure ?? (err as Error);
      await this.recordServiceFailure(job, error, maxAttempts);
      if (!failure) throw err;
    }
  }

  private async recordServiceFailure(job: WorkflowJob, error: Error, maxAttempts: number): Promise<void> {
    await writeTransaction(this.db.sequelize, async (t) => {
      const attempts = job.attempts + 1;
      const giveUp = attempts >= maxAttempts;
      await WorkflowJob.update(
        { attempts, status: giveUp ? 'failed' : 'pending', lastError: error.message.slice(0, 2000), lockedBy: null, lockedUntil: null, dueAt: new Date(Date.now() + 1000 * 2 ** attempts) },
        { where: { id: job.id }, transaction: t },
      );
      if (giveUp) {
        const instance = await ProcessInstance.findByPk(job.instanceId, { transaction: t });
        const incident = await Incident.create({ instanceId: job.instanceId, jobId: job.id, elementId: job.elementId, message: error.message.slice(0, 2000), status: 'open' }, { transaction: t });
        if (instance) {
          await HistoryEntry.create({ instanceId: instance.id, organisationId: instance.organisationId, processKey: instance.processKey, elementId: job.elementId, event: 'incident.raised', detail: JSON.stringify({ incidentId: incident.id, message: error.message }), at: new Date() }, { transaction: t });
          await recordEvents(t, [{ type: 'incident.raised', organisationId: instance.organisationId, subject: { type: 'incident', id: incident.id }, audience: { processKeys: [instance.processKey] }, summary: { incidentId: incident.id, instanceId: instance.id, elementId: job.elementId } }]);
        }
      }
    });
  }

  /**
   * Cancels a running instance (an administrator's decision, with a reason): its open tasks, jobs and
   * incidents end with it, in one version-checked transaction, and its engine leaves memory. A
   * destruction run that is cancelled lets go of its documents (they are held while it runs).
   */
  async cancel(instanceId: number, by: { userId: number; reason: string }): Promise<ProcessInstance> {
    return this.queue.run(instanceId, async () => {
      const instance = await ProcessInstance.findByPk(instanceId, { attributes: { exclude: ['state'] } });
      if (!instance) throw new AppError(404, 'not_found', 'Process instance was not found.');
      if (instance.status !== 'running') throw conflict(`The process instance is ${instance.status}; only a running one can be cancelled.`);
      await writeTransaction(this.db.sequelize, async (t) => {
        const now = new Date();
        const [changed] = await ProcessInstance.update(
          { status: 'cancelled', endedAt: now, version: instance.version + 1, updatedAt: now },
          { where: { id: instanceId, version: instance.version, status: 'running' }, transaction: t },
        );
        if (changed !== 1) throw conflict('Someone else changed this process at the same moment; reload and try again.');
        const base = { instanceId, organisationId: instance.organisationId, processKey: instance.processKey };
        const history: Array<Record<string, unknown>> = [];
        const events: DomainEvent[] = [];
        for (const task of await Task.findAll({ where: { instanceId, status: 'open' }, transaction: t })) await this.cancelTask(task, now, t, { history, events });
        await WorkflowJob.update({ status: 'cancelled', lockedBy: null, lockedUntil: null }, { where: { instanceId, status: { [Op.in]: ['pending', 'running', 'failed'] } }, transaction: t });
        await Incident.update({ status: 'resolved', resolvedAt: now, resolvedById: by.userId }, { where: { instanceId, status: 'open' }, transaction: t });
        history.push({ ...base, event: 'instance.cancelled', userId: by.userId, detail: JSON.stringify({ reason: by.reason }), at: now });
        events.push(instanceEnded(instance, { cancelled: true }), monitorChanged(instance));
        await appendRows(this.db.sequelize, 'workflow_history', history, t);
        await recordEvents(t, events);
        instance.set({ status: 'cancelled', endedAt: now, version: instance.version + 1 });
      });
      this.hot.delete(instanceId);
      return instance;
    });
  }

  /** How many engines are hydrated in memory (bounded by the cache size). */
  get hotEngines(): number {
    return this.hot.size;
  }

  close(): void {
    this.hot.clear();
  }
}
