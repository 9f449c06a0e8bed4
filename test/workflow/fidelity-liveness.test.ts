// Issue 13, items 4, 5 and 11: instances never stall silently, conditional events, timer start
// events with a cycle. Each diagram under test/fixtures/bpmn/ is written the way Camunda Modeler 5
// writes it and is driven end to end through the HTTP API.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { api, login, Session } from '../helpers/factories';
import { complete, deployXml, startInstance } from '../helpers/workflow';
import { HistoryEntry, ProcessInstance, Task, User } from '../../server/db/models';

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
});
