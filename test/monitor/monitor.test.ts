// The live monitor's figures and who may see them, on both databases.
import { expect } from 'chai';
import http from 'node:http';
import { api, login, orgByCode, Session } from '../helpers/factories';
import { bpmn, complete, deployXml, startInstance, taskOf, threeStepXml } from '../helpers/workflow';
import { connect, listen, TestClient, tokenFor } from '../helpers/realtime';
import { testEnv } from '../helpers/env';
import { Incident, Position, Task, Unit, User } from '../../server/db/models';
import { JobScheduler } from '../../server/modules/workflow/scheduler';
import { attachRealtime, Realtime } from '../../server/modules/notify/realtime';
import { incomingLetter } from '../registry/helpers';

const MIN = 60e3;
const HOUR = 60 * MIN;
const ago = (ms: number) => new Date(Date.now() - ms);
/** Moves a task's times into the past (Sequelize never updates createdAt itself). */
async function setTimes(task: Task, times: Partial<Record<'createdAt' | 'completedAt' | 'dueAt', Date>>) {
  const names = Object.keys(times);
  await testEnv().ctx.db.sequelize.query(`UPDATE tasks SET ${names.map((n) => `${n} = :${n}`).join(', ')} WHERE id = :id`, { replacements: { ...times, id: task.id } });
}

describe('the monitor for managers', () => {
  let designer: Session, clerk: Session, director: Session, admin: Session;
  before(async () => {
    [designer, clerk, director, admin] = await Promise.all(['designer', 'clerk', 'director', 'admin'].map((u) => login(u)));
  });
  const get = async (session: Session, path: string, status = 200) => {
    const res = await api().get(`/api${path}`).set(session.auth);
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).to.equal(status);
    return res.body;
  };

  it('counts open and overdue tasks per activity with their oldest and average waiting time, names from the definition', async () => {
    const key = `mon_load_${Date.now()}`;
    const deployed = await deployXml(designer, threeStepXml(key, 'registry_clerk'));
    const started = [];
    for (let i = 0; i < 4; i++) started.push(await startInstance(clerk, key));
    // Waiting since 1, 2 and 3 hours; the fourth task moves on to step b. One of step a is overdue.
    const tasksA = await Task.findAll({ where: { processKey: key, elementId: 'a' }, order: [['id', 'ASC']] });
    await complete(clerk, Number(tasksA[3].id), {});
    for (const [i, task] of tasksA.slice(0, 3).entries()) await setTimes(task, { createdAt: ago((i + 1) * HOUR), dueAt: i === 2 ? ago(MIN) : new Date(Date.now() + HOUR) });

    const load = await get(director, `/monitor/processes/${key}/activities`);
    expect(load.definition).to.include({ id: deployed.id, key, version: 1 });
    const byId = Object.fromEntries(load.items.map((i: { elementId: string }) => [i.elementId, i]));
    expect(Object.keys(byId)).to.have.members(['a', 'b', 'c']);
    expect(byId.a).to.include({ name: 'Step A', open: 3, overdue: 1, inDiagram: true });
    expect(byId.a.oldestWaitingMs).to.be.closeTo(3 * HOUR, 30e3);
    expect(byId.a.averageWaitingMs).to.be.closeTo(2 * HOUR, 30e3);
    expect(byId.b).to.include({ open: 1, overdue: 0 });
    expect(byId.c).to.include({ name: 'Step C', open: 0, overdue: 0, oldestWaitingMs: null });
    expect(load.totals).to.deep.equal({ open: 4, overdue: 1 });

    // A second version: the version filter counts only its instances; no filter counts all.
    const v2 = await deployXml(designer, threeStepXml(key, 'registry_clerk'));
    await startInstance(clerk, key);
    const onlyV2 = await get(director, `/monitor/processes/${key}/activities?definitionId=${v2.id}`);
    expect(onlyV2.items.find((i: { elementId: string }) => i.elementId === 'a').open).to.equal(1);
    const all = await get(director, `/monitor/processes/${key}/activities`);
    expect(all.definition.version).to.equal(2);
    expect(all.items.find((i: { elementId: string }) => i.elementId === 'a').open).to.equal(4);
    expect(started).to.have.length(4);
  });

  it('gives average and p90 waiting time of tasks completed in the last hour, day and 30 days', async () => {
    const key = `mon_slow_${Date.now()}`;
    await deployXml(designer, threeStepXml(key, 'registry_clerk'));
    for (let i = 0; i < 10; i++) {
      const { tasks } = await startInstance(clerk, key);
      await complete(clerk, tasks[0].id, {});
    }
    // Task i (1..10) waited i minutes; 1–5 finished half an hour ago, 6–8 five hours ago, 9 ten days ago, 10 forty days ago.
    const done = await Task.findAll({ where: { processKey: key, elementId: 'a' }, order: [['id', 'ASC']] });
    for (const [index, task] of done.entries()) {
      const i = index + 1;
      const completedAt = ago(i <= 5 ? 30 * MIN : i <= 8 ? 5 * HOUR : i === 9 ? 10 * 24 * HOUR : 40 * 24 * HOUR);
      await setTimes(task, { completedAt, createdAt: new Date(completedAt.getTime() - i * MIN) });
    }
    const expectWindow = async (window: string, completed: number, averageMin: number, p90Min: number) => {
      const res = await get(director, `/monitor/processes/${key}/slowest?window=${window}`);
      expect(res.window).to.equal(window);
      const a = res.items.find((i: { elementId: string }) => i.elementId === 'a');
      expect(a, window).to.include({ name: 'Step A', completed });
      expect(a.averageMs, `${window} average`).to.be.closeTo(averageMin * MIN, 5);
      expect(a.p90Ms, `${window} p90`).to.be.closeTo(p90Min * MIN, 5);
    };
    await expectWindow('hour', 5, 3, 5);
    await expectWindow('day', 8, 4.5, 8);
    await expectWindow('30d', 9, 5, 9);
    expect((await api().get(`/api/monitor/processes/${key}/slowest?window=week`).set(director.auth)).status).to.equal(400);
  });

  it('ranks the people and units holding the most overdue open work', async () => {
    const key = `mon_overdue_${Date.now()}`;
    await deployXml(designer, bpmn(key, `
      <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="work" />
      <bpmn:userTask id="work" name="ดำเนินการ" camunda:candidateGroups="\${who}" />
      <bpmn:sequenceFlow id="f1" sourceRef="work" targetRef="e" /><bpmn:endEvent id="e" />`));
    const sectionhead = (await User.findOne({ where: { username: 'sectionhead' } }))!;
    const officer = (await User.findOne({ where: { username: 'officer' } }))!;
    const clerkUser = (await User.findOne({ where: { username: 'clerk' } }))!;
    const saraban = (await Unit.findByPk(sectionhead.unitId!))!;
    const position = (await Position.findByPk(sectionhead.positionId!))!;
    for (const who of [`position:${position.id}`, `position:${position.id}`, 'user:officer', `unit:${saraban.id}`, 'registry_clerk']) await startInstance(clerk, key, { who });
    const claimable = await taskOf(clerk, (await Task.findOne({ where: { processKey: key }, order: [['id', 'DESC']] }))!.instanceId, 'work');
    expect((await api().post(`/api/tasks/${claimable.id}/claim`).set(clerk.auth)).status).to.equal(200);
    // One more held by the section head, not yet due: it does not count.
    await startInstance(clerk, key, { who: `position:${position.id}` });
    const all = await Task.findAll({ where: { processKey: key }, order: [['id', 'ASC']] });
    for (const [i, task] of all.entries()) await setTimes(task, { dueAt: i < 5 ? ago((i + 1) * HOUR) : new Date(Date.now() + HOUR) });

    const res = await get(director, `/monitor/overdue?processKey=${key}`);
    expect(res.people.map((p: { userId: number; overdue: number }) => [p.userId, p.overdue])).to.deep.equal([[sectionhead.id, 2], [clerkUser.id, 1], [officer.id, 1]]);
    expect(res.people[0]).to.include({ name: sectionhead.displayName, unitName: saraban.nameTh });
    expect(res.people[0].longestOverdueMs).to.be.closeTo(2 * HOUR, 60e3);
    expect(res.units).to.have.length(1);
    expect(res.units[0]).to.include({ unitId: saraban.id, name: saraban.nameTh, overdue: 5 });
    const top = await get(director, `/monitor/overdue?processKey=${key}&limit=1`);
    expect(top.people).to.have.length(1);
  });

  it('lists and searches instances (id, business key, letter subject, letter number; status) and shows one with its path, history and diagram', async () => {
    const key = `mon_inst_${Date.now()}`;
    await deployXml(designer, threeStepXml(key, 'registry_clerk'));
    const subject = `ขอเชิญประชุมติดตามงาน ${Date.now()}`;
    const doc = await api().post('/api/documents').set(clerk.auth).send(incomingLetter({ subject, letterNumber: 'นร 0105/7788' }));
    expect(doc.status, JSON.stringify(doc.body)).to.equal(201);
    const withLetter = await api().post('/api/workflow/instances').set(clerk.auth).send({ processKey: key, documentId: doc.body.id, businessKey: `BK-${key}` });
    expect(withLetter.status, JSON.stringify(withLetter.body)).to.equal(201);
    const plain = await startInstance(clerk, key);
    const instanceId = withLetter.body.instance.id as number;
    await complete(clerk, (await taskOf(clerk, instanceId, 'a')).id, { note: 'ตรวจแล้ว' });

    const ids = async (query: string) => (await get(director, `/monitor/instances?processKey=${key}&${query}`)).items.map((i: { id: number }) => i.id);
    expect(await ids('')).to.deep.equal([plain.instance.id, instanceId]);
    expect(await ids(`q=${instanceId}`)).to.deep.equal([instanceId]);
    expect(await ids(`q=${encodeURIComponent(`BK-${key}`)}`)).to.deep.equal([instanceId]);
    expect(await ids(`q=${encodeURIComponent(subject.slice(0, 20))}`)).to.deep.equal([instanceId]);
    expect(await ids(`q=${encodeURIComponent('นร๐๑๐๕/๗๗๘๘')}`)).to.deep.equal([instanceId]);
    expect(await ids('q=100%25')).to.deep.equal([]);
    expect(await ids('status=running')).to.have.members([instanceId, plain.instance.id]);
    expect(await ids('status=ended')).to.deep.equal([]);
    const listed = (await get(director, `/monitor/instances?q=${instanceId}&processKey=${key}`)).items[0];
    expect(listed.document).to.deep.include({ id: doc.body.id, subject, letterNumber: 'นร 0105/7788' });
    expect(listed).to.include({ openIncidents: 0, definitionVersion: 1 });

    const detail = await get(director, `/monitor/instances/${instanceId}`);
    expect(detail.xml).to.include(`id="${key}"`);
    expect(detail.path.map((p: { elementId: string }) => p.elementId)).to.deep.equal(['start', 'a']);
    expect(detail.path[1].name).to.equal('Step A');
    expect(detail.activeElementIds).to.deep.equal(['b']);
    expect(detail.openTasks.map((t: { elementId: string }) => t.elementId)).to.deep.equal(['b']);
    const completed = detail.history.find((h: { event: string }) => h.event === 'task.completed');
    expect(completed).to.include({ elementId: 'a', elementName: 'Step A', userName: (await User.findOne({ where: { username: 'clerk' } }))!.displayName });
    expect(detail.canRetry).to.equal(false);
    expect((await get(admin, `/monitor/instances/${instanceId}`)).canRetry).to.equal(true);
  });

  it('finds instances with an open incident, and an administrator retries it', async () => {
    const key = `mon_incident_${Date.now()}`;
    await deployXml(designer, bpmn(key, `
      <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="check" />
      <bpmn:serviceTask id="check" name="ตรวจสอบความครบถ้วน" camunda:type="external" camunda:topic="check-required">
        <bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="required">document.sender</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements>
      </bpmn:serviceTask>
      <bpmn:sequenceFlow id="f1" sourceRef="check" targetRef="next" /><bpmn:userTask id="next" camunda:candidateGroups="registry_clerk" />`));
    const { instance } = await startInstance(clerk, key, { document: {} });
    const scheduler = new JobScheduler(testEnv().ctx.db, testEnv().ctx.runtime);
    for (let i = 1; i <= 3; i++) await scheduler.runDueJobs(new Date(Date.now() + i * MIN));
    const incident = (await Incident.findOne({ where: { instanceId: instance.id } }))!;
    expect(incident.status).to.equal('open');
    const found = await get(admin, `/monitor/instances?processKey=${key}&status=incident`);
    expect(found.items.map((i: { id: number; openIncidents: number }) => [i.id, i.openIncidents])).to.deep.equal([[instance.id, 1]]);
    const detail = await get(admin, `/monitor/instances/${instance.id}`);
    expect(detail.incidents[0]).to.include({ elementId: 'check', status: 'open' });
    expect(detail.activeElementIds).to.include('check');
    expect((await api().post(`/api/workflow/incidents/${incident.id}/retry`).set(admin.auth)).status).to.equal(200);
    expect((await get(admin, `/monitor/instances?processKey=${key}&status=incident`)).items).to.deep.equal([]);
  });

  describe('who may watch', () => {
    let cmChief: Session, cmClerk: Session;
    let centralInstance: number, cmInstance: number;
    before(async () => {
      [cmChief, cmClerk] = await Promise.all(['cm.chief', 'cm.clerk'].map((u) => login(u)));
      centralInstance = (await startInstance(clerk, 'incoming_letter', { document: { subject: 'เรื่องของส่วนกลาง', urgency: 1 } })).instance.id;
      cmInstance = (await startInstance(cmClerk, 'incoming_letter', { document: { subject: 'เรื่องของเชียงใหม่', urgency: 1 } })).instance.id;
    });

    it('refuses a clerk (403) everywhere', async () => {
      for (const path of ['/monitor/processes', '/monitor/processes/incoming_letter/activities', '/monitor/processes/incoming_letter/slowest', '/monitor/overdue', '/monitor/instances', `/monitor/instances/${centralInstance}`]) {
        const res = await api().get(`/api${path}`).set(clerk.auth);
        expect(res.status, path).to.equal(403);
        expect(res.body.error.code).to.equal('forbidden');
      }
    });

    it("lets a province manager watch their own office but not the centre's or a sibling province's monitor", async () => {
      const [central, cm, kk] = await Promise.all(['สธ 02', 'ชม 0033', 'ขก 0033'].map(orgByCode));
      for (const org of [central.id, kk.id]) {
        for (const path of [`/monitor/processes/incoming_letter/activities?organisationId=${org}`, `/monitor/processes/incoming_letter/slowest?organisationId=${org}`, `/monitor/overdue?organisationId=${org}`, `/monitor/instances?organisationId=${org}`, `/monitor/processes?organisationId=${org}`]) {
          expect((await api().get(`/api${path}`).set(cmChief.auth)).status, path).to.equal(403);
        }
      }
      expect((await api().get(`/api/monitor/instances/${centralInstance}`).set(cmChief.auth)).status).to.equal(403);
      const own = await get(cmChief, '/monitor/instances?processKey=incoming_letter&limit=200');
      expect(own.items.map((i: { id: number }) => i.id)).to.include(cmInstance).and.not.include(centralInstance);
      expect(own.items.every((i: { organisationId: number }) => i.organisationId === cm.id)).to.equal(true);
      const load = await get(cmChief, `/monitor/processes/incoming_letter/activities?organisationId=${cm.id}`);
      const cmOpen = await Task.count({ where: { processKey: 'incoming_letter', status: 'open', organisationId: cm.id } });
      expect(load.totals.open).to.equal(cmOpen);
      const processes = await get(cmChief, '/monitor/processes');
      expect(processes.organisations.map((o: { id: number }) => o.id)).to.deep.equal([cm.id]);
      expect(processes.items.map((p: { key: string }) => p.key)).to.include('incoming_letter');
    });

    it('lets a manager of the centre watch the offices below it, without the letters of another organisation', async () => {
      const cm = await orgByCode('ชม 0033');
      const listed = await get(director, `/monitor/instances?organisationId=${cm.id}&q=${cmInstance}`);
      expect(listed.items.map((i: { id: number }) => i.id)).to.deep.equal([cmInstance]);
      const detail = await get(director, `/monitor/instances/${cmInstance}`);
      expect(detail.instance.organisationId).to.equal(cm.id);
      expect(detail.openTasks[0].title).to.equal(null);
      const everywhere = await get(director, '/monitor/processes/incoming_letter/activities');
      const open = await Task.count({ where: { processKey: 'incoming_letter', status: 'open', organisationId: (await get(director, '/monitor/processes')).organisations.map((o: { id: number }) => o.id) } });
      expect(everywhere.totals.open).to.equal(open);
    });

    it("pushes a province's monitor.changed to the centre's managers and the province's, not to a sibling province's", async () => {
      const server = http.createServer(testEnv().app);
      const realtime: Realtime = await attachRealtime(server, testEnv().ctx, { pollMs: 100, gapGraceMs: 200 });
      const clients: TestClient[] = [];
      try {
        const url = await listen(server);
        const users = await Promise.all(['director', 'cm.chief', 'kk.chief', 'clerk'].map((u) => User.findOne({ where: { username: u } })));
        clients.push(...(await Promise.all(users.map(async (u) => connect(url, { token: await tokenFor(u!) })))));
        const [dir, cmBoss, kkBoss, plainClerk] = clients;
        const { instance } = await startInstance(cmClerk, 'incoming_letter', { document: { subject: 'สด', urgency: 1 } });
        const changed = (events: TestClient['events']) => events.some((e) => e.type === 'monitor.changed' && Number(e.summary.instanceId) === instance.id);
        await dir.waitFor(changed);
        await cmBoss.waitFor(changed);
        await new Promise((r) => setTimeout(r, 300));
        expect(changed(kkBoss.events)).to.equal(false);
        expect(changed(plainClerk.events)).to.equal(false);
      } finally {
        for (const c of clients) c.close();
        await realtime.close();
        server.close();
      }
    });
  });
});
