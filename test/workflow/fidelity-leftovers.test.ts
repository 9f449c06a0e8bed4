// Issue 13, the leftovers: a scope that is cancelled closes every task and job inside it; a
// process's candidate starters are enforced; the incidents the host raises are resolved when the
// instance moves past them; a start timer that keeps failing is shown to administrators. Each
// diagram under test/fixtures/bpmn/ (13-12-*) is driven end to end through the HTTP API.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { Op } from 'sequelize';
import { api, login, Session } from '../helpers/factories';
import { complete, deployXml, inbox, startInstance } from '../helpers/workflow';
import { HistoryEntry, Incident, WorkflowJob } from '../../server/db/models';
import { testEnv } from '../helpers/env';
import { JobScheduler } from '../../server/modules/workflow/scheduler';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'bpmn', name), 'utf8');

type Shown = { instance: { status: string }; tasks: Array<{ id: number; elementId: string; status: string }>; incidents: Array<{ id: number; elementId: string | null; message: string; status: string }> };
async function instanceOf(session: Session, id: number): Promise<Shown> {
  const res = await api().get(`/api/workflow/instances/${id}`).set(session.auth);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body as Shown;
}
const tasksOf = async (session: Session, id: number) => (await instanceOf(session, id)).tasks.map((t) => `${t.elementId}:${t.status}`).sort();
const openTask = async (session: Session, instanceId: number, elementId: string) => {
  const task = (await instanceOf(session, instanceId)).tasks.find((t) => t.elementId === elementId && t.status === 'open');
  expect(task, `open task ${elementId}`).to.not.equal(undefined);
  return task!;
};
const openJobs = async (instanceId: number) => (await WorkflowJob.findAll({ where: { instanceId, status: { [Op.in]: ['pending', 'running', 'failed'] } } })).map((j) => j.elementId).sort();
const cancelledHistory = async (instanceId: number) => (await HistoryEntry.findAll({ where: { instanceId, event: 'task.cancelled' } })).map((h) => h.elementId).sort();
const HOUR = 3600e3;
const drain = async (now: Date) => {
  const s = new JobScheduler(testEnv().ctx.db, testEnv().ctx.runtime);
  for (let i = 0; i < 50 && (await s.runDueJobs(now)) > 0; i++);
};

describe('issue 13 leftovers', () => {
  let designer: Session, clerk: Session, director: Session, admin: Session, officer: Session;
  before(async () => {
    [designer, clerk, director, admin, officer] = await Promise.all(['designer', 'clerk', 'director', 'admin', 'officer'].map((u) => login(u)));
  });

  describe('a cancelled scope closes the tasks and jobs inside it', () => {
    before(async () => {
      await deployXml(designer, fixture('13-12-cancel-subprocess.bpmn'));
      await deployXml(designer, fixture('13-12-terminate-in-subprocess.bpmn'));
      await deployXml(designer, fixture('13-12-mi-completion.bpmn'));
    });

    const started = async () => {
      const { instance } = await startInstance(clerk, 'p13_12_cancel_subprocess');
      expect(await tasksOf(admin, instance.id)).to.deep.equal(['check:open', 'draft:open']);
      expect(await openJobs(instance.id)).to.deep.equal(['coolDown', 'tooLate']);
      return instance.id;
    };
    /** After the sub-process was interrupted: nothing of it is left open, the handling step is. */
    const interrupted = async (id: number, closedByApi: string[] = []) => {
      const expected = ['check:cancelled', 'draft:cancelled', 'handle:open'].map((t) => (closedByApi.some((c) => t.startsWith(`${c}:`)) ? t.replace('cancelled', 'completed') : t));
      expect(await tasksOf(admin, id)).to.deep.equal(expected);
      expect(await openJobs(id)).to.deep.equal([]);
      expect(await cancelledHistory(id)).to.deep.equal(['check', 'draft'].filter((e) => !closedByApi.includes(e)));
      expect((await inbox(director)).items.filter((t) => t.instanceId === id)).to.deep.equal([]);
      await complete(clerk, (await openTask(admin, id, 'handle')).id);
      expect((await instanceOf(admin, id)).instance.status).to.equal('completed');
    };

    it('an interrupting boundary timer on the sub-process (13-12-cancel-subprocess.bpmn)', async () => {
      const id = await started();
      await drain(new Date(Date.now() + HOUR + 60e3));
      await interrupted(id);
    });

    it('an interrupting boundary message on the sub-process', async () => {
      const id = await started();
      const res = await api().post(`/api/workflow/instances/${id}/messages`).set(admin.auth).send({ messageName: 'withdraw' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      await interrupted(id);
    });

    it('an error thrown from a task inside, caught on the sub-process', async () => {
      const id = await started();
      const res = await api().post(`/api/tasks/${(await openTask(admin, id, 'draft')).id}/bpmn-error`).set(clerk.auth).send({ errorCode: 'INVALID' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      await interrupted(id, ['draft']);
    });

    it('an escalation raised from a task inside, caught on the sub-process', async () => {
      const id = await started();
      const res = await api().post(`/api/tasks/${(await openTask(admin, id, 'check')).id}/escalation`).set(director.auth).send({ escalationCode: 'UP' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      await interrupted(id, ['check']);
    });

    it('a terminate end event inside a sub-process ends that scope only (13-12-terminate-in-subprocess.bpmn)', async () => {
      const { instance } = await startInstance(clerk, 'p13_12_terminate_in_subprocess');
      expect(await openJobs(instance.id)).to.deep.equal(['reminder']);
      await complete(director, (await openTask(admin, instance.id, 'fastTrack')).id);
      expect(await tasksOf(admin, instance.id)).to.deep.equal(['fastTrack:completed', 'file:open', 'slowCheck:cancelled']);
      expect(await openJobs(instance.id)).to.deep.equal([]);
      expect(await cancelledHistory(instance.id)).to.deep.equal(['slowCheck']);
      await complete(clerk, (await openTask(admin, instance.id, 'file')).id);
      expect((await instanceOf(admin, instance.id)).instance.status).to.equal('completed');
    });

    it('a multi-instance completion condition cancels the remaining iterations (13-12-mi-completion.bpmn)', async () => {
      const { instance } = await startInstance(clerk, 'p13_12_mi_completion', { voters: ['director', 'clerk', 'officer'] });
      expect(await tasksOf(admin, instance.id)).to.deep.equal(['vote:open', 'vote:open', 'vote:open']);
      const votes = (await instanceOf(admin, instance.id)).tasks;
      const mine = async (s: Session) => (await inbox(s)).items.find((t) => t.instanceId === instance.id && t.elementId === 'vote')!;
      await complete(director, (await mine(director)).id, { objected: false });
      expect(await tasksOf(admin, instance.id)).to.deep.equal(['vote:completed', 'vote:open', 'vote:open']);
      await complete(clerk, (await mine(clerk)).id, { objected: true });
      expect(votes).to.have.length(3);
      expect(await tasksOf(admin, instance.id)).to.deep.equal(['announce:open', 'vote:cancelled', 'vote:completed', 'vote:completed']);
      expect((await inbox(officer)).items.filter((t) => t.instanceId === instance.id)).to.deep.equal([]);
      expect(await cancelledHistory(instance.id)).to.deep.equal(['vote']);
      await complete(clerk, (await openTask(admin, instance.id, 'announce')).id);
      expect((await instanceOf(admin, instance.id)).instance.status).to.equal('completed');
    });

    it("refuses at deploy a completion condition on Camunda's counters, which it does not provide", async () => {
      const xml = fixture('13-12-mi-completion.bpmn').replace('${objected == true}', '${nrOfCompletedInstances &gt;= 2}');
      const res = await api().post('/api/workflow/definitions').set(designer.auth).send({ xml });
      expect(res.status, JSON.stringify(res.body)).to.equal(422);
      expect(res.body.error.details).to.deep.include.members([{ elementId: 'vote', message: res.body.error.details.find((d: { elementId: string }) => d.elementId === 'vote')?.message }]);
      expect(res.body.error.message).to.contain('nrOfCompletedInstances');
    });
  });

  describe('camunda:candidateStarterGroups and candidateStarterUsers (13-12-candidate-starters.bpmn)', () => {
    const KEY = 'p13_12_candidate_starters';
    let sectionhead: Session;
    before(async () => {
      sectionhead = await login('sectionhead');
      await deployXml(designer, fixture('13-12-candidate-starters.bpmn'));
    });
    const start = (s: Session) => api().post('/api/workflow/instances').set(s.auth).send({ processKey: KEY, variables: {} });
    const listed = async (s: Session) => {
      const res = await api().get('/api/workflow/definitions').set(s.auth);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return (res.body.items as Array<{ key: string }>).some((d) => d.key === KEY);
    };

    it('lets a member of a starter group and a starter user start it, and nobody else (403)', async () => {
      expect((await start(clerk)).status, 'clerk is in registry_clerk').to.equal(201);
      expect((await start(director)).status, 'director is a starter user').to.equal(201);
      for (const s of [officer, sectionhead]) {
        const res = await start(s);
        expect(res.status, JSON.stringify(res.body)).to.equal(403);
        expect(res.body.error.code).to.equal('forbidden');
        expect(res.body.error.message).to.contain(KEY);
      }
    });

    it('lists the process for starting only to those who may start it (designers see every process)', async () => {
      expect(await listed(clerk)).to.equal(true);
      expect(await listed(director)).to.equal(true);
      expect(await listed(officer)).to.equal(false);
      expect(await listed(designer)).to.equal(true);
      const res = await api().get('/api/workflow/definitions').set(officer.auth);
      expect((res.body.items as Array<{ key: string }>).map((d) => d.key), 'a process without starters is listed to anyone').to.include('circular_letter');
    });

    it('refuses at deploy what it could not check exactly: expressions, other performer kinds, processes the product starts', async () => {
      const xml = fixture('13-12-candidate-starters.bpmn');
      for (const [from, to, elementId] of [
        ['camunda:candidateStarterGroups="registry_clerk"', 'camunda:candidateStarterGroups="${starters}"', KEY],
        ['camunda:candidateStarterGroups="registry_clerk"', 'camunda:candidateStarterGroups="unit:5"', KEY],
        ['camunda:candidateStarterUsers="director"', 'camunda:candidateStarterUsers="supervisor, user:"', KEY],
        ['id="p13_12_candidate_starters"', 'id="incoming_letter"', 'incoming_letter'],
      ]) {
        const res = await api().post('/api/workflow/definitions').set(designer.auth).send({ xml: xml.replace(from, to) });
        expect(res.status, `${to}: ${JSON.stringify(res.body)}`).to.equal(422);
        expect(res.body.error.details.map((d: { elementId: string }) => d.elementId), to).to.include(elementId);
        expect(JSON.stringify(res.body.error.details), to).to.contain('candidateStarter');
      }
    });
  });

  describe('incidents the host raised are resolved when the instance moves past them', () => {
    const resolvedHistory = async (instanceId: number) => (await HistoryEntry.findAll({ where: { instanceId, event: 'incident.resolved' } })).map((h) => [h.elementId, JSON.parse(h.detail ?? '{}').automatically]);

    it('a gateway where no condition held, once the task is completed again and the gateway passed (13-12-gateway-incident.bpmn)', async () => {
      await deployXml(designer, fixture('13-12-gateway-incident.bpmn'));
      const { instance } = await startInstance(clerk, 'p13_12_gateway_incident');
      const decide = await openTask(admin, instance.id, 'decide');
      const stuck = await complete(clerk, decide.id, { decision: 'maybe' }, 422);
      expect(stuck.error.details[0].elementId).to.equal('outcome');
      expect((await instanceOf(admin, instance.id)).incidents.map((i) => [i.elementId, i.status])).to.deep.equal([['outcome', 'open']]);
      // An administrator's correction that does not pass the gateway leaves it open.
      const patched = await api().patch(`/api/workflow/instances/${instance.id}/variables`).set(admin.auth).send({ variables: { note: 'x' } });
      expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
      expect((await instanceOf(admin, instance.id)).incidents.map((i) => i.status)).to.deep.equal(['open']);
      await complete(clerk, decide.id, { decision: 'approve' });
      const after = await instanceOf(admin, instance.id);
      expect(after.incidents.map((i) => [i.elementId, i.status])).to.deep.equal([['outcome', 'resolved']]);
      expect(after.tasks.filter((t) => t.status === 'open').map((t) => t.elementId)).to.deep.equal(['file']);
      expect(await resolvedHistory(instance.id)).to.deep.equal([['outcome', true]]);
      const monitor = await api().get('/api/monitor/instances').query({ status: 'incident', limit: 100 }).set(admin.auth);
      expect(monitor.status).to.equal(200);
      expect((monitor.body.items as Array<{ id: number }>).map((i) => i.id)).to.not.include(instance.id);
    });

    it('a stall, once something waits in the instance again', async () => {
      // A stall incident recorded earlier (e.g. by a server before a fix to the engine) on an
      // instance that can move: the next command that moves it resolves the incident.
      const { instance } = await startInstance(clerk, 'p13_12_gateway_incident');
      await Incident.create({ instanceId: instance.id, jobId: null, elementId: 'outcome', message: 'The instance cannot move on and has not ended: no task, timer, message or service waits in it (its tokens stopped at outcome). Cancel it, or correct the diagram and start again.', status: 'open' });
      await complete(clerk, (await openTask(admin, instance.id, 'decide')).id, { decision: 'approve' });
      const after = await instanceOf(admin, instance.id);
      expect(after.instance.status).to.equal('running');
      expect(after.incidents.map((i) => i.status)).to.deep.equal(['resolved']);
      expect(await resolvedHistory(instance.id)).to.deep.equal([['outcome', true]]);
    });
  });

  describe('a timer start event that keeps failing is shown to administrators (13-12-failing-start-timer.bpmn)', () => {
    type Listed = { key: string; startTimerFailures?: Array<{ elementId: string; version: number; attempts: number; lastError: string | null }> };
    const listedAs = async (s: Session) => {
      const res = await api().get('/api/workflow/definitions').set(s.auth);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return (res.body.items as Listed[]).find((d) => d.key === 'p13_12_failing_start_timer');
    };

    it('lists the failure with its error after three attempts, and tells the watchers', async () => {
      const deployed = await deployXml(designer, fixture('13-12-failing-start-timer.bpmn'));
      try {
        expect((await listedAs(designer))?.startTimerFailures).to.deep.equal([]);
        // Three attempts (the retries back off by seconds), each failing: no group "no_such_group".
        await drain(new Date(Date.now() + HOUR + 60e3));
        const failures = (await listedAs(designer))?.startTimerFailures ?? [];
        expect(failures.map((f) => [f.elementId, f.version, f.attempts])).to.deep.equal([['everyHour', deployed.version, 3]]);
        expect(failures[0].lastError).to.contain('no_such_group');
        expect((await listedAs(admin))?.startTimerFailures).to.have.length(1);
        expect((await listedAs(officer))?.startTimerFailures, 'not shown to those who only start processes').to.equal(undefined);
        const [event] = await testEnv().ctx.db.sequelize.query<{ type: string; summary: string }>("SELECT type, summary FROM outbox_events WHERE type = 'start-timer.failed'", { type: 'SELECT' } as never) as unknown as Array<{ type: string; summary: string }>;
        expect(event?.summary).to.contain('p13_12_failing_start_timer');
      } finally {
        await testEnv().ctx.db.sequelize.query("UPDATE workflow_start_timers SET status = 'cancelled' WHERE status IN ('pending', 'failed')");
      }
    });
  });
});
