// Fires due jobs (timers, service calls) and timer start events (start-timers.ts). Every server
// process runs one; on MariaDB each job is taken by exactly one process (SELECT … FOR UPDATE SKIP
// LOCKED, then a lease), on SQLite the single process takes them in an IMMEDIATE transaction. A
// job whose process died is taken again when its lease runs out; firing it twice is harmless
// because the command checks the instance version and the engine no longer has the timer armed.
import crypto from 'node:crypto';
import os from 'node:os';
import { Op, QueryTypes } from 'sequelize';
import type { Database } from '../../db';
import { sqlDate } from '../../db/transaction';
import { writeTransaction } from '../../lib/transaction';
import { HistoryEntry, Incident, ProcessInstance, WorkflowJob } from '../../db/models';
import { AppError } from '../../lib/errors';
import { recordEvents } from '../events/outbox';
import type { WorkflowRuntime } from './runtime';
import { runDueStartTimers } from './start-timers';

export interface SchedulerOptions {
  pollMs?: number;
  batch?: number;
  leaseMs?: number;
  maxAttempts?: number;
}

export class JobScheduler {
  readonly nodeId = `${os.hostname()}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = true;
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;

  constructor(private readonly db: Database, private readonly runtime: WorkflowRuntime, options: SchedulerOptions = {}) {
    this.pollMs = options.pollMs ?? 1000;
    this.batch = options.batch ?? 20;
    this.leaseMs = options.leaseMs ?? 60000;
    this.maxAttempts = options.maxAttempts ?? 3;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  wake(): void {
    if (!this.stopped) this.schedule(0);
  }

  private schedule(delay: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async tick() {
    if (this.running) return;
    try {
      const done = await this.runDueJobs();
      if (!this.stopped) this.schedule(done >= this.batch ? 0 : this.pollMs);
    } catch (err) {
      console.error('[scheduler]', err instanceof Error ? err.message : err);
      if (!this.stopped) this.schedule(this.pollMs);
    }
  }

  /** Takes due jobs and runs them; returns how many were taken. */
  runDueJobs(now = new Date()): Promise<number> {
    const run = (async () => {
      const jobs = await this.acquire(now);
      for (const job of jobs) await this.runJob(job);
      return jobs.length + (await runDueStartTimers(this.db, this.runtime, now, this.batch, this.maxAttempts));
    })();
    this.running = run;
    return run.finally(() => {
      if (this.running === run) this.running = null;
    });
  }

  private async acquire(now: Date): Promise<WorkflowJob[]> {
    const ids = await writeTransaction(this.db.sequelize, async (t) => {
      const lock = this.db.dialect === 'mysql' ? ' FOR UPDATE SKIP LOCKED' : '';
      const rows = await this.db.sequelize.query<{ id: number }>(
        `SELECT id FROM workflow_jobs WHERE ((status = 'pending' AND dueAt <= :now) OR (status = 'running' AND lockedUntil < :now)) ORDER BY dueAt LIMIT :batch${lock}`,
        { replacements: { now: sqlDate(this.db, now), batch: this.batch }, type: QueryTypes.SELECT, transaction: t },
      );
      if (!rows.length) return [];
      await WorkflowJob.update({ status: 'running', lockedBy: this.nodeId, lockedUntil: new Date(now.getTime() + this.leaseMs) }, { where: { id: { [Op.in]: rows.map((r) => r.id) } }, transaction: t });
      return rows.map((r) => r.id);
    });
    return ids.length ? WorkflowJob.findAll({ where: { id: { [Op.in]: ids }, lockedBy: this.nodeId }, order: [['dueAt', 'ASC']] }) : [];
  }

  private async runJob(job: WorkflowJob): Promise<void> {
    try {
      if (job.kind === 'timer') await this.runtime.fireTimer(job);
      else await this.runtime.runService(job, this.maxAttempts);
    } catch (err) {
      if (err instanceof AppError && err.status === 409 && /is (completed|cancelled|failed)/.test(err.message)) {
        await WorkflowJob.update({ status: 'cancelled', lockedBy: null, lockedUntil: null }, { where: { id: job.id } });
        return;
      }
      if (job.kind === 'service') return; // runService recorded the failure (retry or incident)
      await this.timerFailed(job, err as Error);
    }
  }

  private async timerFailed(job: WorkflowJob, error: Error): Promise<void> {
    await writeTransaction(this.db.sequelize, async (t) => {
      const attempts = job.attempts + 1;
      const giveUp = attempts >= this.maxAttempts && !(error instanceof AppError && error.status === 409);
      await WorkflowJob.update(
        { attempts, status: giveUp ? 'failed' : 'pending', lastError: error.message.slice(0, 2000), lockedBy: null, lockedUntil: null, dueAt: new Date(Date.now() + 500 * 2 ** attempts) },
        { where: { id: job.id }, transaction: t },
      );
      if (!giveUp) return;
      const instance = await ProcessInstance.findByPk(job.instanceId, { attributes: ['id', 'organisationId', 'processKey'], transaction: t });
      const incident = await Incident.create({ instanceId: job.instanceId, jobId: job.id, elementId: job.elementId, message: error.message.slice(0, 2000), status: 'open' }, { transaction: t });
      if (instance) {
        await HistoryEntry.create({ instanceId: instance.id, organisationId: instance.organisationId, processKey: instance.processKey, elementId: job.elementId, event: 'incident.raised', detail: JSON.stringify({ incidentId: incident.id, message: error.message }), at: new Date() }, { transaction: t });
        await recordEvents(t, [{ type: 'incident.raised', organisationId: instance.organisationId, subject: { type: 'incident', id: incident.id }, audience: { processKeys: [instance.processKey] }, summary: { incidentId: incident.id, instanceId: instance.id } }]);
      }
    });
  }
}
