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
import { HistoryEntry, WorkflowJob } from '../../server/db/models';
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
  });
});
