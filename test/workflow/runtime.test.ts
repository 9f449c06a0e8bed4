import { expect } from 'chai';
import { api, login, Session, orgByCode } from '../helpers/factories';
import { bpmn, complete, deployXml, inbox, startInstance, taskOf, threeStepXml } from '../helpers/workflow';
import { testEnv } from '../helpers/env';
import { Incident, ProcessInstance, Task, Unit, User, WorkflowJob, OutboxEvent } from '../../server/db/models';
import { WorkflowRuntime } from '../../server/modules/workflow/runtime';
import { JobScheduler } from '../../server/modules/workflow/scheduler';
import { loadActor } from '../../server/modules/auth/actor';
import { activeDefinition } from '../../server/modules/workflow/definitions';
import * as tasks from '../../server/modules/tasks/service';

const DAY = 86400e3;
const later = (ms: number) => new Date(Date.now() + ms);
/** Runs due jobs until none is left (other tests' jobs share the database). */
const drain = async (s: JobScheduler, now: Date) => {
  for (let i = 0; i < 50 && (await s.runDueJobs(now)) > 0; i++);
};

describe('the workflow runtime', () => {
  let designer: Session, clerk: Session, admin: Session;
  before(async () => {
    [designer, clerk, admin] = await Promise.all(['designer', 'clerk', 'admin'].map((u) => login(u)));
  });
  const scheduler = () => new JobScheduler(testEnv().ctx.db, testEnv().ctx.runtime);

  it('evaluates Camunda-style expressions over variables and the document at gateways', async () => {
    const key = `expr_${Date.now()}`;
    await deployXml(designer, bpmn(key, `
      <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="g" />
      <bpmn:exclusiveGateway id="g" default="normal" />
      <bpmn:sequenceFlow id="big" sourceRef="g" targetRef="director"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${document.urgency >= 3 &amp;&amp; amount > 1000}</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="approved" sourceRef="g" targetRef="archive"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${outcome == 'approve'}</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="normal" sourceRef="g" targetRef="clerkTask" />
      <bpmn:userTask id="director" camunda:candidateGroups="executive" /><bpmn:userTask id="archive" camunda:candidateGroups="registry_clerk" /><bpmn:userTask id="clerkTask" camunda:candidateGroups="registry_clerk" />`));
    const a = await startInstance(clerk, key, { document: { urgency: 3 }, amount: 5000 });
    const b = await startInstance(clerk, key, { document: { urgency: 1 }, amount: 5000, outcome: 'approve' });
    const c = await startInstance(clerk, key, { document: { urgency: 3 }, amount: 10 });
    expect([a, b, c].map((r) => r.tasks[0].elementId)).to.deep.equal(['director', 'archive', 'clerkTask']);
  });

  it('arms a 40-day boundary timer (beyond the 24.8-day setTimeout limit) as a job and fires it exactly once', async () => {
    const key = `escalate_${Date.now()}`;
    await deployXml(designer, bpmn(key, `
      <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="work" />
      <bpmn:userTask id="work" camunda:candidateGroups="registry_clerk" />
      <bpmn:boundaryEvent id="late" attachedToRef="work" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>P40D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:sequenceFlow id="f1" sourceRef="late" targetRef="chase" /><bpmn:userTask id="chase" camunda:candidateGroups="executive" />
      <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="e" /><bpmn:endEvent id="e" />`));
    const { instance } = await startInstance(clerk, key);
    const job = await WorkflowJob.findOne({ where: { instanceId: instance.id } });
    expect(job!.kind).to.equal('timer');
    expect(job!.status).to.equal('pending');
    expect(job!.dueAt.getTime() - Date.now()).to.be.within(39.9 * DAY, 40.1 * DAY);

    // (Other tests' jobs share the database: assertions look at this instance only.)
    await drain(scheduler(), later(DAY));
    expect((await WorkflowJob.findByPk(job!.id))!.status).to.equal('pending');
    // Two schedulers (as two server processes would) race for the due job: it fires once.
    await Promise.all([drain(scheduler(), later(41 * DAY)), drain(new JobScheduler(testEnv().ctx.db, new WorkflowRuntime(testEnv().ctx.db)), later(41 * DAY))]);
    expect(await Task.count({ where: { instanceId: instance.id, elementId: 'chase' } })).to.equal(1);
    expect((await WorkflowJob.findByPk(job!.id))!.status).to.equal('done');
    // The overdue task is escalated: an event for mail and sockets, addressed to its performers.
    const work = await Task.findOne({ where: { instanceId: instance.id, elementId: 'work' } });
    const escalated = await OutboxEvent.findAll({ where: { type: 'task.escalated', subjectId: String(work!.id) } });
    expect(escalated).to.have.length(1);
    expect(JSON.parse(escalated[0].audience).groupIds).to.have.length(1);
    await drain(scheduler(), later(80 * DAY));
    expect(await Task.count({ where: { instanceId: instance.id, elementId: 'chase' } })).to.equal(1);
    // Non-interrupting: the original task is still open.
    expect(await Task.count({ where: { instanceId: instance.id, elementId: 'work', status: 'open' } })).to.equal(1);
  });

  it('cancels the task when an interrupting timer fires, and cancels the timer job when the task is done first', async () => {
    const key = `deadline_${Date.now()}`;
    await deployXml(designer, bpmn(key, `
      <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="work" />
      <bpmn:userTask id="work" camunda:candidateGroups="registry_clerk" />
      <bpmn:boundaryEvent id="expired" attachedToRef="work"><bpmn:timerEventDefinition><bpmn:timeDuration>P2D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:sequenceFlow id="f1" sourceRef="expired" targetRef="x" /><bpmn:endEvent id="x" />
      <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="e" /><bpmn:endEvent id="e" />`));
    const first = await startInstance(clerk, key);
    await drain(scheduler(), later(3 * DAY));
    expect((await Task.findOne({ where: { instanceId: first.instance.id } }))!.status).to.equal('cancelled');
    expect((await ProcessInstance.findByPk(first.instance.id))!.status).to.equal('completed');

    const second = await startInstance(clerk, key);
    await complete(clerk, second.tasks[0].id);
    expect((await WorkflowJob.findOne({ where: { instanceId: second.instance.id } }))!.status).to.equal('cancelled');
    await drain(scheduler(), later(3 * DAY));
    expect((await ProcessInstance.findByPk(second.instance.id))!.status).to.equal('completed');
  });

  it('cancels the other branch\'s open task when a completion ends the instance (terminate end event)', async () => {
    const key = `terminate_${Date.now()}`;
    await deployXml(designer, bpmn(key, `
      <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="fork" />
      <bpmn:parallelGateway id="fork" />
      <bpmn:sequenceFlow id="f1" sourceRef="fork" targetRef="decide" /><bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="copy" />
      <bpmn:userTask id="decide" camunda:candidateGroups="registry_clerk" /><bpmn:userTask id="copy" camunda:candidateGroups="registry_clerk" />
      <bpmn:sequenceFlow id="f3" sourceRef="decide" targetRef="stop" /><bpmn:endEvent id="stop"><bpmn:terminateEventDefinition /></bpmn:endEvent>
      <bpmn:sequenceFlow id="f4" sourceRef="copy" targetRef="e" /><bpmn:endEvent id="e" />`));
    const { instance, tasks: started } = await startInstance(clerk, key);
    expect(started.map((t) => t.elementId).sort()).to.deep.equal(['copy', 'decide']);
    await complete(clerk, started.find((t) => t.elementId === 'decide')!.id);
    expect((await ProcessInstance.findByPk(instance.id))!.status).to.equal('completed');
    const copy = (await Task.findOne({ where: { instanceId: instance.id, elementId: 'copy' } }))!;
    expect(copy.status).to.equal('cancelled');
    expect((await inbox(clerk, { limit: 200 })).items.map((t) => t.id)).to.not.include(copy.id);
  });

  it('fires, once, a timer that fell due while no server was running (a cold runtime after restart)', async () => {
    const key = `wait_until_${Date.now()}`;
    await deployXml(designer, bpmn(key, `
      <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="pause" />
      <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:sequenceFlow id="f1" sourceRef="pause" targetRef="after" /><bpmn:userTask id="after" camunda:candidateGroups="registry_clerk" />`));
    const { instance } = await startInstance(clerk, key);
    await new Promise((r) => setTimeout(r, 1200));
    const cold = new JobScheduler(testEnv().ctx.db, new WorkflowRuntime(testEnv().ctx.db));
    expect(await cold.runDueJobs()).to.be.at.least(1);
    await cold.runDueJobs();
    expect(await Task.count({ where: { instanceId: instance.id, elementId: 'after' } })).to.equal(1);
  });

  it('goes on with a waiting instance in a fresh runtime (nothing held in memory is needed)', async () => {
    const key = `resume_${Date.now()}`;
    await deployXml(designer, threeStepXml(key, 'registry_clerk'));
    const { instance, tasks: [a] } = await startInstance(clerk, key);
    const fresh = new WorkflowRuntime(testEnv().ctx.db);
    const actor = (await loadActor((await User.findOne({ where: { username: 'clerk' } }))!.id))!;
    const { createdTasks } = await tasks.complete(fresh, a.id, actor, { variables: {} });
    expect(createdTasks.map((t) => t.elementId)).to.deep.equal(['b']);
    // The app's runtime has a stale engine in its cache: the version check makes it reload, not overwrite.
    const b = await taskOf(clerk, instance.id, 'b');
    await complete(clerk, b.id);
    expect((await ProcessInstance.findByPk(instance.id))!.version).to.equal(3);
  });

  it('resumes an instance waiting for a message through the API, and refuses a message it does not wait for', async () => {
    const key = `reply_${Date.now()}`;
    await deployXml(designer, bpmn(key, `
      <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="waitReply" />
      <bpmn:intermediateCatchEvent id="waitReply"><bpmn:messageEventDefinition messageRef="reply" /></bpmn:intermediateCatchEvent>
      <bpmn:sequenceFlow id="f1" sourceRef="waitReply" targetRef="read" /><bpmn:userTask id="read" name="\${replyNumber}" camunda:candidateGroups="registry_clerk" />`,
      '<bpmn:message id="reply" name="reply" />'));
    const { instance } = await startInstance(clerk, key);
    const wrong = await api().post(`/api/workflow/instances/${instance.id}/messages`).set(clerk.auth).send({ messageId: 'other' });
    expect(wrong.status).to.equal(409);
    const res = await api().post(`/api/workflow/instances/${instance.id}/messages`).set(clerk.auth).send({ messageId: 'reply', variables: { replyNumber: 'สธ 0201/ว 99' } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const task = await taskOf(clerk, instance.id, 'read');
    expect(task.name).to.equal('สธ 0201/ว 99');
  });

  it('turns a failing service task into an incident an administrator can retry, without crashing anything', async () => {
    const key = `check_${Date.now()}`;
    await deployXml(designer, bpmn(key, `
      <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="check" />
      <bpmn:serviceTask id="check" name="ตรวจสอบความครบถ้วน" camunda:type="external" camunda:topic="check-required">
        <bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="required">document.subject, document.sender</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements>
      </bpmn:serviceTask>
      <bpmn:sequenceFlow id="f1" sourceRef="check" targetRef="next" /><bpmn:userTask id="next" camunda:candidateGroups="registry_clerk" />`));
    const { instance } = await startInstance(clerk, key, { document: { subject: 'ไม่มีผู้ส่ง' } });
    for (let i = 1; i <= 3; i++) await scheduler().runDueJobs(later(i * 60e3));
    const incident = await Incident.findOne({ where: { instanceId: instance.id } });
    expect(incident!.status).to.equal('open');
    expect(incident!.message).to.include('document.sender');
    expect(await OutboxEvent.count({ where: { type: 'incident.raised', subjectId: String(incident!.id) } })).to.equal(1);
    const detail = await api().get(`/api/workflow/instances/${instance.id}`).set(admin.auth);
    expect(detail.body.incidents[0].elementId).to.equal('check');
    expect(detail.body.activeElementIds).to.include('check');
    const listed = await api().get('/api/workflow/incidents').set(admin.auth);
    expect(listed.body.items.map((i: { id: number }) => i.id)).to.include(Number(incident!.id));

    expect((await api().post(`/api/workflow/incidents/${incident!.id}/retry`).set(clerk.auth)).status).to.equal(403);
    const fix = await api().patch(`/api/workflow/instances/${instance.id}/variables`).set(admin.auth).send({ variables: { document: { subject: 'ไม่มีผู้ส่ง', sender: 'กรมควบคุมโรค' } } });
    expect(fix.status, JSON.stringify(fix.body)).to.equal(200);
    const retry = await api().post(`/api/workflow/incidents/${incident!.id}/retry`).set(admin.auth);
    expect(retry.status).to.equal(200);
    await drain(scheduler(), later(1000));
    expect(await Task.count({ where: { instanceId: instance.id, elementId: 'next' } })).to.equal(1);
    expect((await Incident.findByPk(incident!.id))!.status).to.equal('resolved');
  });

  it('distributes a circular to many units and ends when every unit has acknowledged (multi-instance)', async () => {
    const central = await orgByCode('สธ 02');
    const units = await Unit.findAll({ where: { organisationId: central.id, nameTh: ['กลุ่มงานสารบรรณ', 'ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร'] } });
    const { instance, tasks: [prepare] } = await startInstance(clerk, 'circular_letter', { units: units.map((u) => u.id), document: { subject: 'หนังสือเวียนแจ้งวันหยุด' } });
    await complete(clerk, prepare.id);
    const acks = await Task.findAll({ where: { instanceId: instance.id, elementId: 'acknowledge', status: 'open' } });
    expect(acks).to.have.length(2);
    const officer = await login('officer');
    const ictAdmin = admin; // admin sits in the ICT centre
    await complete(officer, (await taskOf(officer, instance.id, 'acknowledge')).id);
    expect((await ProcessInstance.findByPk(instance.id))!.status).to.equal('running');
    await complete(ictAdmin, (await taskOf(ictAdmin, instance.id, 'acknowledge')).id);
    expect((await ProcessInstance.findByPk(instance.id))!.status).to.equal('completed');
    expect((await WorkflowJob.findOne({ where: { instanceId: instance.id, kind: 'timer' } }))!.status).to.equal('cancelled');
  });

  it('keeps at most the configured number of engines in memory, however many instances wait', async () => {
    const key = `many_${Date.now()}`;
    await deployXml(designer, threeStepXml(key, 'registry_clerk'));
    const runtime = new WorkflowRuntime(testEnv().ctx.db, { cacheSize: 5 });
    const definition = await activeDefinition((await orgByCode('สธ 02')).id, key);
    for (let i = 0; i < 12; i++) await runtime.start({ definition, organisationId: definition.organisationId, starter: null, variables: {} });
    expect(runtime.hotEngines).to.equal(5);
    expect((await inbox(clerk, { processKey: key })).total).to.equal(12);
  });

  it('keeps no engine with a cache size of 0 (WORKFLOW_ENGINE_CACHE=0): every command hydrates from the database', async () => {
    const key = `cold_${Date.now()}`;
    await deployXml(designer, threeStepXml(key, 'registry_clerk'));
    const runtime = new WorkflowRuntime(testEnv().ctx.db, { cacheSize: 0 });
    const definition = await activeDefinition((await orgByCode('สธ 02')).id, key);
    const actor = (await loadActor((await User.findOne({ where: { username: 'clerk' } }))!.id))!;
    let [task] = (await runtime.start({ definition, organisationId: definition.organisationId, starter: null, variables: {} })).createdTasks;
    const steps: string[] = [];
    while (task) {
      expect(runtime.hotEngines).to.equal(0);
      steps.push(task.elementId);
      [task] = (await tasks.complete(runtime, task.id, actor, { variables: {} })).createdTasks;
    }
    expect(steps).to.deep.equal(['a', 'b', 'c']);
    expect(runtime.hotEngines).to.equal(0);
  });

  it('lets an administrator cancel a running instance with a reason: its task leaves the inbox, nothing more can happen, and history says who and why', async () => {
    const key = `cancel_${Date.now()}`;
    await deployXml(designer, threeStepXml(key, 'registry_clerk'));
    const { instance, tasks: [a] } = await startInstance(clerk, key);
    const cancel = (session: Session, body: Record<string, unknown>) => api().post(`/api/workflow/instances/${instance.id}/cancel`).set(session.auth).send(body);
    expect((await cancel(clerk, { reason: 'ลงทะเบียนผิดเรื่อง' })).status, 'not an administrator').to.equal(403);
    expect((await cancel(admin, {})).status, 'a reason is required').to.equal(400);
    const res = await cancel(admin, { reason: 'ลงทะเบียนผิดเรื่อง' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ status: 'cancelled', version: instance.version + 1 });
    expect((await inbox(clerk, { processKey: key })).total).to.equal(0);
    expect((await Task.findByPk(a.id))!.status).to.equal('cancelled');
    await complete(clerk, a.id, {}, 409);
    expect((await cancel(admin, { reason: 'อีกครั้ง' })).status).to.equal(409);
    const history = await api().get(`/api/workflow/instances/${instance.id}/history`).set(admin.auth);
    const entry = history.body.items.find((h: { event: string }) => h.event === 'instance.cancelled');
    expect(entry).to.deep.include({ userId: (await User.findOne({ where: { username: 'admin' } }))!.id, detail: { reason: 'ลงทะเบียนผิดเรื่อง' } });
    expect(history.body.items.some((h: { event: string; taskId: number }) => h.event === 'task.cancelled' && h.taskId === a.id)).to.equal(true);
  });

  it('writes outbox events with the task in the same transaction', async () => {
    const key = `events_${Date.now()}`;
    await deployXml(designer, threeStepXml(key, 'registry_clerk'));
    const { tasks: [a] } = await startInstance(clerk, key);
    const events = await OutboxEvent.findAll({ where: { subjectType: 'task', subjectId: String(a.id) } });
    expect(events.map((e) => e.type)).to.include('task.created');
    const audience = JSON.parse(events[0].audience);
    expect(audience.groupIds).to.have.length(1);
  });
});
