// Timer start events (e.g. a daily overdue-letters report): the active version of a process with
// a timer start event starts one instance per firing, exactly once across server processes.
//
// Each such version has a row in workflow_start_timers (migration 20261204120000), due at its
// next firing; activating a version cancels the rows of the others of its key and schedules its
// own. The scheduler's due-job run takes a due row locked (FOR UPDATE SKIP LOCKED on MariaDB; on
// SQLite the single writer's IMMEDIATE transaction), starts the instance in the same transaction
// and moves the row to the next firing: two schedulers never start the same firing twice.
//
// What a designer can write, as Camunda 7 reads it:
//   timeCycle  R/P1D, R3/PT10M                  every period from activation (n firings, or for ever)
//              R/2026-12-07T06:00:00+07:00/P1D  from that date on, every period (the date is the first)
//   timeDate   2026-12-31T17:00:00+07:00        once
//   timeDuration P1D                             once, that long after activation
// Cron cycles are refused at deploy (no cron library here), and so are expressions (a start timer
// has no variables to read) and intervals with an end date.
// An instance started by a timer (or by a person) passes its timer start event at once.
import { QueryTypes, Transaction } from 'sequelize';
import { ISOInterval } from '@0dep/piso';
import type { Database } from '../../db';
import { sqlDate } from '../../db/transaction';
import { writeTransaction } from '../../lib/transaction';
import { ProcessDefinition } from '../../db/models';
import { recordEvents } from '../events/outbox';
import type { ElementProblem } from './bpmn';
import type { EngineHost } from './engine-host';
import type { WorkflowRuntime } from './runtime';

type TimerType = 'timeCycle' | 'timeDate' | 'timeDuration';
interface StartTimer {
  elementId: string;
  timerType: TimerType;
  timerValue: string;
}

interface SourceActivity {
  id: string;
  type: string;
  parent?: { id: string; type: string };
  behaviour?: { eventDefinitions?: Array<{ type: string; behaviour?: Record<string, unknown> }> };
}

/** The timer start events of the process itself (not those of event sub-processes). */
export function startTimersOf(sourceContext: string | { activities?: SourceActivity[] }): StartTimer[] {
  const source = (typeof sourceContext === 'string' ? JSON.parse(sourceContext) : sourceContext) as { activities?: SourceActivity[] };
  const out: StartTimer[] = [];
  for (const a of source.activities ?? []) {
    if (a.type !== 'bpmn:StartEvent' || a.parent?.type !== 'bpmn:Process') continue;
    for (const d of a.behaviour?.eventDefinitions ?? []) {
      if (d.type !== 'bpmn:TimerEventDefinition') continue;
      for (const timerType of ['timeCycle', 'timeDate', 'timeDuration'] as const) {
        const value = d.behaviour?.[timerType];
        if (typeof value === 'string' && value.trim()) out.push({ elementId: a.id, timerType, timerValue: value.trim() });
      }
    }
  }
  return out;
}

/** An ISO 8601 cycle [Rn/][start/]duration, read. */
function cycleOf(value: string) {
  const m = /^R(\d*)\/(.+)$/.exec(value);
  if (!m) throw new Error('a cycle starts with R/ or Rn/ (R3/PT10M: three times, ten minutes apart)');
  const interval = new ISOInterval(value).parse();
  if (!interval.duration || interval.end) throw new Error('a cycle is R[n]/[start/]duration (R/P1D, R/2026-12-07T06:00:00+07:00/P1D)');
  const times = m[1] ? Number(m[1]) : null;
  if (times === 0) throw new Error('R0 never fires');
  return { times, start: interval.start ? interval.startDate : null, next: (from: Date) => interval.duration!.getExpireAt(from) };
}

/** The first firing of a start timer activated at `now`, and how many firings it has. */
export function firstFiring(timer: StartTimer, now: Date): { dueAt: Date; remaining: number | null } {
  switch (timer.timerType) {
    case 'timeDate': {
      const dueAt = new Date(timer.timerValue);
      if (Number.isNaN(dueAt.getTime())) throw new Error('not an ISO 8601 date-time');
      return { dueAt, remaining: 1 };
    }
    case 'timeDuration': {
      if (!/^P/.test(timer.timerValue)) throw new Error('a duration is ISO 8601, such as P1D or PT10M');
      return { dueAt: new ISOInterval(timer.timerValue).parse().getExpireAt(now, now), remaining: 1 };
    }
    case 'timeCycle': {
      const cycle = cycleOf(timer.timerValue);
      if (!cycle.start) return { dueAt: cycle.next(now), remaining: cycle.times };
      // From its start date: the first occurrence not yet past (fewer left if some are).
      let dueAt = cycle.start;
      let remaining = cycle.times;
      for (let i = 0; dueAt < now && i < 100000; i++) {
        dueAt = cycle.next(dueAt);
        if (remaining !== null) remaining--;
      }
      return { dueAt, remaining: remaining !== null ? Math.max(0, remaining) : null };
    }
  }
}

/** Deploy-time check: every timer start event can be scheduled (a 422 names those that cannot). */
export function startTimerProblems(sourceContext: string): ElementProblem[] {
  const problems: ElementProblem[] = [];
  for (const timer of startTimersOf(sourceContext)) {
    const what = `ตัวจับเวลาเริ่มกระบวนงานใช้ไม่ได้ — The timer start event's ${timer.timerType} "${timer.timerValue}"`;
    if (/[$#]\{/.test(timer.timerValue)) {
      problems.push({ elementId: timer.elementId, message: `${what} is an expression: a timer start event has no variables to read; write the cycle itself (R/P1D), a date or a duration.` });
      continue;
    }
    if (timer.timerType === 'timeCycle' && /^\S+(\s+\S+){4,6}$/.test(timer.timerValue)) {
      problems.push({ elementId: timer.elementId, message: `${what} is a cron expression, which is not supported: write an ISO 8601 cycle such as R/P1D (every day) or R/2026-12-07T06:00:00+07:00/P1D (every day at 06:00 from 7 December).` });
      continue;
    }
    try {
      if (firstFiring(timer, new Date()).remaining === 0) throw new Error('all its firings are in the past');
    } catch (err) {
      problems.push({ elementId: timer.elementId, message: `${what} cannot be scheduled: ${(err as Error).message}.` });
    }
  }
  return problems;
}

/** Schedules the start timers of a version being activated and cancels those of its other versions. */
export async function scheduleStartTimers(db: Database, definition: ProcessDefinition, t: Transaction, now = new Date()): Promise<void> {
  await db.sequelize.query(
    `UPDATE workflow_start_timers SET status = 'cancelled', updatedAt = :now WHERE status IN ('pending', 'failed') AND definitionId IN (SELECT id FROM process_definitions WHERE organisationId = :org AND ${db.sequelize.getQueryInterface().quoteIdentifier('key')} = :key)`,
    { replacements: { now: sqlDate(db, now), org: definition.organisationId, key: definition.key }, transaction: t },
  );
  const sourceContext = definition.sourceContext ?? (await ProcessDefinition.findByPk(definition.id, { attributes: ['sourceContext'], transaction: t }))!.sourceContext;
  const timers = startTimersOf(sourceContext);
  for (const timer of timers) {
    const { dueAt, remaining } = firstFiring(timer, now);
    const row = { dueAt: sqlDate(db, dueAt), remaining, status: remaining === 0 ? 'done' : 'pending', now: sqlDate(db, now), definitionId: definition.id, elementId: timer.elementId, timerType: timer.timerType, timerValue: timer.timerValue };
    // A version activated again starts its timers afresh.
    const [updated] = await db.sequelize.query(
      'SELECT id FROM workflow_start_timers WHERE definitionId = :definitionId AND elementId = :elementId',
      { replacements: row, type: QueryTypes.SELECT, transaction: t },
    ) as Array<{ id: number }>;
    if (updated) {
      await db.sequelize.query(
        'UPDATE workflow_start_timers SET timerType = :timerType, timerValue = :timerValue, dueAt = :dueAt, remaining = :remaining, attempts = 0, status = :status, lastError = NULL, updatedAt = :now WHERE id = :id',
        { replacements: { ...row, id: updated.id }, transaction: t },
      );
    } else {
      await db.sequelize.query(
        `INSERT INTO workflow_start_timers (definitionId, elementId, timerType, timerValue, dueAt, remaining, fired, attempts, status, createdAt, updatedAt)
         VALUES (:definitionId, :elementId, :timerType, :timerValue, :dueAt, :remaining, 0, 0, :status, :now, :now)`,
        { replacements: row, transaction: t },
      );
    }
  }
}

interface DueRow {
  id: number;
  definitionId: number;
  elementId: string;
  timerType: TimerType;
  timerValue: string;
  dueAt: Date | string;
  remaining: number | null;
  attempts: number;
}

/** The firing of a start timer after the one due now, or null when it has none left. Firings
 * missed while no server ran are not made up for: one instance now, then the next on the cycle. */
function nextFiring(row: DueRow, now: Date): { dueAt: Date; remaining: number | null } | null {
  const remaining = row.remaining === null ? null : row.remaining - 1;
  if (remaining !== null && remaining <= 0) return null;
  if (row.timerType !== 'timeCycle') return null;
  const cycle = cycleOf(row.timerValue);
  let dueAt = cycle.next(new Date(row.dueAt));
  for (let i = 0; dueAt <= now && i < 100000; i++) dueAt = cycle.next(dueAt);
  return { dueAt, remaining };
}

/**
 * Fires due start timers, each in its own transaction: starts the instance and moves the timer to
 * its next firing, or, when starting fails, keeps the firing for a retry (three attempts, then the
 * timer is `failed` with the error). Returns how many firings were handled.
 */
export async function runDueStartTimers(db: Database, runtime: WorkflowRuntime, now: Date, batch: number, maxAttempts = 3): Promise<number> {
  let handled = 0;
  for (; handled < batch; handled++) {
    let taken: DueRow | null = null;
    try {
      const row = await writeTransaction(db.sequelize, async (t) => {
        taken = null;
        const lock = db.dialect === 'mysql' ? ' FOR UPDATE SKIP LOCKED' : '';
        const [due] = await db.sequelize.query<DueRow>(
          `SELECT id, definitionId, elementId, timerType, timerValue, dueAt, remaining, attempts FROM workflow_start_timers WHERE status = 'pending' AND dueAt <= :now ORDER BY dueAt LIMIT 1${lock}`,
          { replacements: { now: sqlDate(db, now) }, type: QueryTypes.SELECT, transaction: t },
        );
        if (!due) return null;
        taken = due;
        const stamp = sqlDate(db, new Date());
        const definition = await ProcessDefinition.findByPk(due.definitionId, { attributes: { exclude: ['xml', 'sourceContext'] }, transaction: t });
        if (!definition?.isActive) {
          await db.sequelize.query("UPDATE workflow_start_timers SET status = 'cancelled', updatedAt = :stamp WHERE id = :id", { replacements: { id: due.id, stamp }, transaction: t });
          return due;
        }
        // The instance and the timer's next firing commit together, or neither does.
        await runtime.start({ definition, organisationId: definition.organisationId, starter: null, variables: {}, transaction: t });
        const next = nextFiring(due, now);
        await db.sequelize.query(
          'UPDATE workflow_start_timers SET fired = fired + 1, attempts = 0, lastError = NULL, status = :status, dueAt = :dueAt, remaining = :remaining, updatedAt = :stamp WHERE id = :id',
          { replacements: { id: due.id, stamp, status: next ? 'pending' : 'done', dueAt: sqlDate(db, next?.dueAt ?? new Date(due.dueAt)), remaining: next ? next.remaining : 0 }, transaction: t },
        );
        return due;
      });
      if (!row) break;
    } catch (err) {
      if (!taken) throw err;
      await recordFailure(db, { row: taken, error: err as Error }, maxAttempts);
    }
  }
  return handled;
}

async function recordFailure(db: Database, failure: { row: DueRow; error: Error }, maxAttempts: number): Promise<void> {
  const { row, error } = failure;
  const attempts = row.attempts + 1;
  const giveUp = attempts >= maxAttempts;
  console.error(`[start-timer] ${row.elementId} of definition ${row.definitionId}: ${error.message}`);
  await writeTransaction(db.sequelize, async (t) => {
    await db.sequelize.query(
      'UPDATE workflow_start_timers SET attempts = :attempts, status = :status, lastError = :error, dueAt = :dueAt, updatedAt = :stamp WHERE id = :id',
      { replacements: { id: row.id, attempts, status: giveUp ? 'failed' : 'pending', error: error.message.slice(0, 2000), dueAt: sqlDate(db, giveUp ? new Date(row.dueAt) : new Date(new Date(row.dueAt).getTime() + 500 * 2 ** attempts)), stamp: sqlDate(db, new Date()) }, transaction: t },
    );
    if (!giveUp) return;
    // No instance carries it: the process's watchers and designers are told (GET /workflow/definitions lists it).
    const definition = await ProcessDefinition.findByPk(row.definitionId, { attributes: ['id', 'organisationId', 'key', 'version'], transaction: t });
    if (definition) {
      await recordEvents(t, [{
        type: 'start-timer.failed', organisationId: definition.organisationId, subject: { type: 'process', id: definition.key }, audience: { processKeys: [definition.key] },
        summary: { processKey: definition.key, version: definition.version, elementId: row.elementId, message: error.message.slice(0, 500) },
      }]);
    }
  });
}

/** The timer start events that gave up after their attempts, of some versions: what failed and why.
 * Activating the version again schedules them afresh. */
export async function startTimerFailures(definitionIds: number[]): Promise<Array<{ definitionId: number; elementId: string; attempts: number; lastError: string | null; failedAt: string }>> {
  if (!definitionIds.length) return [];
  const rows = await ProcessDefinition.sequelize!.query<{ definitionId: number; elementId: string; attempts: number; lastError: string | null; updatedAt: Date | string }>(
    "SELECT definitionId, elementId, attempts, lastError, updatedAt FROM workflow_start_timers WHERE status = 'failed' AND definitionId IN (:ids) ORDER BY id",
    { replacements: { ids: definitionIds }, type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({ definitionId: Number(r.definitionId), elementId: r.elementId, attempts: Number(r.attempts), lastError: r.lastError, failedAt: new Date(r.updatedAt).toISOString() }));
}

/** An instance passes its timer start event at once: the timer has fired (or a person started it). */
export async function passStartTimers(host: EngineHost, sourceContext: unknown): Promise<void> {
  const starts = new Set(startTimersOf(sourceContext as { activities?: SourceActivity[] }).map((s) => s.elementId));
  if (!starts.size) return;
  const armed = [...host.timers.armed.values()].filter((a) => starts.has(a.elementId));
  for (const timer of armed) host.timers.fire(timer.executionId);
  if (armed.length) await host.settle();
}
