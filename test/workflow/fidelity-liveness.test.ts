// Issue 13, items 4, 5 and 11: instances never stall silently, conditional events, timer start
// events with a cycle. Each diagram under test/fixtures/bpmn/ is written the way Camunda Modeler 5
// writes it and is driven end to end through the HTTP API.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { api, login, Session } from '../helpers/factories';
import { complete, deployXml, startInstance } from '../helpers/workflow';
import { HistoryEntry, ProcessDefinition, ProcessInstance, Task, User } from '../../server/db/models';
import { testEnv } from '../helpers/env';
import { JobScheduler } from '../../server/modules/workflow/scheduler';
import { WorkflowRuntime } from '../../server/modules/workflow/runtime';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'bpmn', name), 'utf8');

/** The instance as the API shows it: its status, open tasks and incidents. */
async function instanceOf(session: Session, id: number) {
  const res = await api().get(`/api/workflow/instances/${id}`).set(session.auth);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body as { instance: { status: string }; tasks: Array<{ id: number; elementId: string; status: string; assigneeUserId: number | null }>; incidents: Array<{ elementId: string | null; message: string; status: string }> };
}

const openTask = async (session: Session, instanceId: number, elementId: string) => {
  const { tasks } = await instanceOf(session, instanceId);
  const task = tasks.find((t) => t.elementId === elementId && t.status === 'open');
  expect(task, `open task ${elementId} in ${JSON.stringify(tasks.map((t) => [t.elementId, t.status]))}`).to.not.equal(undefined);
  return task!;
};

/** The elements the instance went through, in order. */
const path_ = async (instanceId: number) => (await HistoryEntry.findAll({ where: { instanceId, event: 'activity.end' }, order: [['id', 'ASC']] })).map((h) => h.elementId);

const userId = async (username: string) => (await User.findOne({ where: { username } }))!.id;

describe('issue 13: no silent stall, conditional events, timer start events', () => {
  let designer: Session, clerk: Session, director: Session, admin: Session;
  before(async () => {
    [designer, clerk, director, admin] = await Promise.all(['designer', 'clerk', 'director', 'admin'].map((u) => login(u)));
  });

  describe('item 4: an exclusive split and merge inside a parallel branch (13-04-split-merge-in-parallel.bpmn)', () => {
    before(async () => {
      await deployXml(designer, fixture('13-04-split-merge-in-parallel.bpmn'));
    });

    for (const order of [['urgentReview', 'file'], ['file', 'urgentReview']]) {
      it(`runs to the end when the urgent path is taken and the branches finish ${order.join(' then ')}`, async () => {
        const { instance } = await startInstance(clerk, 'split_merge_in_parallel', { urgent: true });
        const by: Record<string, Session> = { urgentReview: director, file: clerk };
        const urgent = await openTask(admin, instance.id, 'urgentReview');
        expect(urgent.assigneeUserId).to.equal(await userId('director'));
        expect((await openTask(admin, instance.id, 'file')).assigneeUserId).to.equal(await userId('clerk'));
        for (const elementId of order) await complete(by[elementId], (await openTask(admin, instance.id, elementId)).id, elementId === 'urgentReview' ? { decision: 'approved' } : {});
        // The join fired once, after both branches: the initiator is told.
        const notify = await openTask(admin, instance.id, 'notify');
        expect(notify.assigneeUserId).to.equal(await userId('clerk'));
        expect(await Task.count({ where: { instanceId: instance.id, elementId: 'notify' } })).to.equal(1);
        await complete(clerk, notify.id);
        const after = await instanceOf(admin, instance.id);
        expect(after.instance.status).to.equal('completed');
        expect(after.incidents).to.deep.equal([]);
        const taken = await path_(instance.id);
        expect(taken).to.include.members(['urgentReview', 'merge', 'file', 'join', 'notify', 'end']);
        expect(taken).to.not.include('normalReview');
        expect(taken.filter((e) => e === 'join')).to.have.length(1);
        expect(taken.indexOf('join')).to.be.greaterThan(Math.max(taken.indexOf('merge'), taken.indexOf('file')));
        const state = JSON.parse((await ProcessInstance.findByPk(instance.id))!.state);
        expect(JSON.stringify(state)).to.contain('"decision":"approved"');
      });
    }

    it('runs to the end on the default path too', async () => {
      const { instance } = await startInstance(clerk, 'split_merge_in_parallel', { urgent: false });
      await complete(clerk, (await openTask(admin, instance.id, 'file')).id);
      await complete(clerk, (await openTask(admin, instance.id, 'normalReview')).id);
      await complete(clerk, (await openTask(admin, instance.id, 'notify')).id);
      expect((await instanceOf(admin, instance.id)).instance.status).to.equal('completed');
      expect(await path_(instance.id)).to.not.include('urgentReview');
    });
  });

  describe('item 4: an instance that waits for nothing becomes an incident (13-04-exclusive-into-parallel-join.bpmn)', () => {
    before(async () => {
      await deployXml(designer, fixture('13-04-exclusive-into-parallel-join.bpmn'));
    });

    it('raises an incident naming the join when the instance stalls at its start, and the monitor lists it', async () => {
      const { instance } = await startInstance(clerk, 'exclusive_into_parallel_join', { urgent: true });
      const seen = await instanceOf(admin, instance.id);
      expect(seen.instance.status).to.equal('running');
      expect(seen.tasks.filter((t) => t.status === 'open')).to.deep.equal([]);
      expect(seen.incidents).to.have.length(1);
      expect(seen.incidents[0]).to.include({ elementId: 'join', status: 'open' });
      expect(seen.incidents[0].message).to.match(/cannot move on/);
      const monitor = await api().get('/api/monitor/instances').query({ status: 'incident', limit: 100 }).set(admin.auth);
      expect(monitor.status, JSON.stringify(monitor.body)).to.equal(200);
      const listed = (monitor.body.items as Array<{ id: number; openIncidents: number }>).find((i) => i.id === instance.id);
      expect(listed?.openIncidents).to.equal(1);
      // A later command (an administrator corrects variables) does not raise it a second time.
      const patched = await api().patch(`/api/workflow/instances/${instance.id}/variables`).set(admin.auth).send({ variables: { note: 'x' } });
      expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
      expect((await instanceOf(admin, instance.id)).incidents).to.have.length(1);
    });

    it('raises the incident when the stall comes after a task is completed', async () => {
      const { instance } = await startInstance(clerk, 'exclusive_into_parallel_join', { urgent: false });
      expect((await instanceOf(admin, instance.id)).incidents).to.deep.equal([]);
      await complete(clerk, (await openTask(admin, instance.id, 'review')).id);
      const seen = await instanceOf(admin, instance.id);
      expect(seen.instance.status).to.equal('running');
      expect(seen.incidents.map((i) => i.elementId)).to.deep.equal(['join']);
    });
  });
  describe('item 5: a conditional catch event is evaluated again when variables change (13-05-conditional-catch.bpmn)', () => {
    before(async () => {
      await deployXml(designer, fixture('13-05-conditional-catch.bpmn'));
    });

    it('waits while the condition is false and fires when a completed task sets the variable', async () => {
      const { instance, tasks } = await startInstance(clerk, 'conditional_catch', { budget: 'pending' });
      expect(tasks.map((t) => t.elementId)).to.deep.equal(['approveBudget']);
      expect((await instanceOf(admin, instance.id)).incidents, 'a waiting conditional event is not a stall').to.deep.equal([]);
      await complete(director, (await openTask(admin, instance.id, 'approveBudget')).id, { budget: 'approved' });
      const order = await openTask(admin, instance.id, 'order');
      expect(order.assigneeUserId).to.equal(await userId('clerk'));
      await complete(clerk, order.id);
      expect((await instanceOf(admin, instance.id)).instance.status).to.equal('completed');
      const taken = await path_(instance.id);
      expect(taken.indexOf('budgetApproved')).to.be.greaterThan(taken.indexOf('approveBudget'));
      expect(taken.indexOf('order')).to.be.greaterThan(taken.indexOf('budgetApproved'));
    });

    it('passes at once when the condition already holds on arrival', async () => {
      const { instance, tasks } = await startInstance(clerk, 'conditional_catch', { budget: 'approved' });
      expect(tasks.map((t) => t.elementId).sort()).to.deep.equal(['approveBudget', 'order']);
      await complete(clerk, (await openTask(admin, instance.id, 'order')).id);
      await complete(director, (await openTask(admin, instance.id, 'approveBudget')).id);
      expect((await instanceOf(admin, instance.id)).instance.status).to.equal('completed');
    });

    it('keeps waiting after a change that leaves the condition false, and fires on an administrator\'s correction', async () => {
      const { instance } = await startInstance(clerk, 'conditional_catch', { budget: 'pending' });
      await complete(director, (await openTask(admin, instance.id, 'approveBudget')).id, { budget: 'rejected' });
      let seen = await instanceOf(admin, instance.id);
      expect(seen.instance.status).to.equal('running');
      expect(seen.tasks.filter((t) => t.status === 'open')).to.deep.equal([]);
      expect(seen.incidents).to.deep.equal([]);
      const patched = await api().patch(`/api/workflow/instances/${instance.id}/variables`).set(admin.auth).send({ variables: { budget: 'approved' } });
      expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
      await complete(clerk, (await openTask(admin, instance.id, 'order')).id);
      seen = await instanceOf(admin, instance.id);
      expect(seen.instance.status).to.equal('completed');
    });
  });

  describe('item 5: conditional boundary and start events are refused (13-05-conditional-boundary-and-start.bpmn)', () => {
    it('answers 422 naming each element and what to draw instead, and stores nothing', async () => {
      const res = await api().post('/api/workflow/definitions').set(designer.auth).send({ xml: fixture('13-05-conditional-boundary-and-start.bpmn') });
      expect(res.status, JSON.stringify(res.body)).to.equal(422);
      const details = res.body.error.details as Array<{ elementId: string; message: string }>;
      expect([...new Set(details.map((d) => d.elementId))].sort()).to.deep.equal(['cancelled', 'whenUrgent']);
      expect(details.find((d) => d.elementId === 'whenUrgent')!.message).to.match(/conditional start event is not supported: draw an intermediate conditional catch event/);
      expect(details.find((d) => d.elementId === 'cancelled')!.message).to.match(/conditional boundary event is not supported/);
      expect(details.some((d) => d.elementId === 'cancelled' && /variableName/.test(d.message))).to.equal(true);
      const versions = await api().get('/api/workflow/definitions').set(designer.auth);
      expect(JSON.stringify(versions.body)).to.not.contain('conditional_refused');
    });
  });
  describe('item 11: timer start events with a cycle', () => {
    const DAY = 86400e3;
    const MINUTE = 60e3;
    const at = (ms: number) => new Date(Date.now() + ms);
    /** Runs due jobs until none is left (other tests' jobs share the database). */
    const drain = async (s: JobScheduler, now: Date) => {
      for (let i = 0; i < 50 && (await s.runDueJobs(now)) > 0; i++);
    };
    const scheduler = () => new JobScheduler(testEnv().ctx.db, testEnv().ctx.runtime);
    /** A second server process: its own runtime and scheduler on the same database. */
    const otherProcess = () => new JobScheduler(testEnv().ctx.db, new WorkflowRuntime(testEnv().ctx.db));
    const timersOf = async (key: string) => testEnv().ctx.db.sequelize.query<{ definitionId: number; elementId: string; status: string; dueAt: string; remaining: number | null; fired: number }>(
      'SELECT t.definitionId, t.elementId, t.status, t.dueAt, t.remaining, t.fired FROM workflow_start_timers t JOIN process_definitions d ON d.id = t.definitionId WHERE d.key = :key ORDER BY t.id',
      { replacements: { key }, type: 'SELECT' } as never,
    ) as unknown as Promise<Array<{ definitionId: number; elementId: string; status: string; dueAt: string; remaining: number | null; fired: number }>>;
    const instancesOf = (key: string) => ProcessInstance.findAll({ where: { processKey: key }, attributes: ['id', 'definitionId', 'status', 'startedById'], order: [['id', 'ASC']] });

    it('starts the daily report once per day, exactly once with two schedulers racing, and moves to a new version when it is activated (13-11-daily-overdue-report.bpmn)', async () => {
      const v1 = await deployXml(designer, fixture('13-11-daily-overdue-report.bpmn'));
      const [timer] = await timersOf('daily_overdue_report');
      expect(timer).to.include({ definitionId: v1.id, elementId: 'everyDay', status: 'pending', remaining: null });
      expect(new Date(timer.dueAt).getTime() - Date.now()).to.be.within(DAY - 5 * MINUTE, DAY + MINUTE);
      expect(await instancesOf('daily_overdue_report')).to.have.length(0);

      await drain(scheduler(), at(DAY / 2));
      expect(await instancesOf('daily_overdue_report')).to.have.length(0);
      // The first day: two server processes race for the firing; one instance starts.
      await Promise.all([drain(scheduler(), at(DAY + MINUTE)), drain(otherProcess(), at(DAY + MINUTE))]);
      let started = await instancesOf('daily_overdue_report');
      expect(started).to.have.length(1);
      expect(started[0]).to.include({ definitionId: v1.id, status: 'running', startedById: null });
      // It passed its start event at once: the report task waits for the registry clerks.
      const task = await Task.findOne({ where: { instanceId: started[0].id, elementId: 'report', status: 'open' } });
      expect(task, 'report task').to.not.equal(null);
      await complete(clerk, task!.id);
      expect((await ProcessInstance.findByPk(started[0].id))!.status).to.equal('completed');
      // Run again at the same moment: nothing more. The next day: one more.
      await drain(scheduler(), at(DAY + 2 * MINUTE));
      expect(await instancesOf('daily_overdue_report')).to.have.length(1);
      await Promise.all([drain(scheduler(), at(2 * DAY + MINUTE)), drain(otherProcess(), at(2 * DAY + MINUTE))]);
      expect(await instancesOf('daily_overdue_report')).to.have.length(2);
      expect((await timersOf('daily_overdue_report'))[0]).to.include({ fired: 2, status: 'pending' });

      // A new version is activated: the timer moves to it (the old one is cancelled, not fired).
      const v2 = await deployXml(designer, fixture('13-11-daily-overdue-report.bpmn'));
      const timers = await timersOf('daily_overdue_report');
      expect(timers.map((t) => [t.definitionId, t.status])).to.deep.equal([[v1.id, 'cancelled'], [v2.id, 'pending']]);
      await drain(scheduler(), at(DAY + 5 * MINUTE));
      started = await instancesOf('daily_overdue_report');
      expect(started.map((i) => i.definitionId)).to.deep.equal([v1.id, v1.id, v2.id]);

      // Activating the first version again brings the timer back to it.
      const res = await api().post(`/api/workflow/definitions/daily_overdue_report/versions/${v1.version}/activate`).set(designer.auth);
      expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 204]);
      expect((await timersOf('daily_overdue_report')).map((t) => [t.definitionId, t.status])).to.deep.equal([[v1.id, 'pending'], [v2.id, 'cancelled']]);
    });

    it('fires a bounded cycle exactly its number of times (13-11-three-reminders.bpmn)', async () => {
      const v = await deployXml(designer, fixture('13-11-three-reminders.bpmn'));
      for (let i = 1; i <= 5; i++) await drain(scheduler(), at(i * 10 * MINUTE + MINUTE));
      const started = await instancesOf('three_reminders');
      expect(started.map((i) => i.definitionId)).to.deep.equal([v.id, v.id, v.id]);
      expect((await timersOf('three_reminders'))[0]).to.include({ status: 'done', fired: 3 });
    });

    it('lets a person start the process too: the timer start event is passed at once (13-11-three-reminders.bpmn)', async () => {
      const { instance, tasks } = await startInstance(clerk, 'three_reminders');
      expect(instance.status).to.equal('running');
      expect(tasks.map((t) => t.elementId)).to.deep.equal(['report']);
    });

    it('refuses a cron cycle with 422 naming the start event (13-11-cron-start.bpmn)', async () => {
      const res = await api().post('/api/workflow/definitions').set(designer.auth).send({ xml: fixture('13-11-cron-start.bpmn') });
      expect(res.status, JSON.stringify(res.body)).to.equal(422);
      const details = res.body.error.details as Array<{ elementId: string; message: string }>;
      expect(details.map((d) => d.elementId)).to.include('dailyAtSix');
      expect(details.find((d) => d.elementId === 'dailyAtSix')!.message).to.match(/cron|R\/P1D/);
      expect(await ProcessDefinition.count({ where: { key: 'cron_start' } })).to.equal(0);
    });

    after(async () => {
      // Leave no start timer firing in other tests' scheduler runs.
      await testEnv().ctx.db.sequelize.query("UPDATE workflow_start_timers SET status = 'cancelled' WHERE status = 'pending'");
    });
  });
});
