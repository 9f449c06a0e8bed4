// Issue 13, items 1, 6 and 9: diagrams as Camunda Modeler 5 writes them either deploy and run as
// Camunda 7 runs them, or are refused at deploy with a 422 naming the element. One test per
// diagram in test/fixtures/bpmn/13-0{1,6,9}-*.bpmn, driven through the HTTP API.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { api, login, Session } from '../helpers/factories';
import { complete, startInstance } from '../helpers/workflow';
import { Incident, ProcessDefinition, Task } from '../../server/db/models';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/bpmn', name), 'utf8');

type Problem = { elementId: string | null; message: string };

describe('Camunda 7 fidelity at deploy (issue 13: items 1, 6, 9)', () => {
  let designer: Session, clerk: Session, admin: Session;
  before(async () => {
    [designer, clerk, admin] = await Promise.all(['designer', 'clerk', 'admin'].map((u) => login(u)));
  });

  async function deploy(xml: string) {
    const validated = await api().post('/api/workflow/definitions/validate').set(designer.auth).send({ xml });
    expect(validated.status, JSON.stringify(validated.body)).to.equal(200);
    const res = await api().post('/api/workflow/definitions').set(designer.auth).send({ xml });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.warnings, 'validate and deploy warn alike').to.deep.equal(validated.body.warnings);
    return res.body as { id: number; key: string; version: number; warnings: Problem[] };
  }

  async function refused(xml: string, elementId: string, message: RegExp) {
    const before = await ProcessDefinition.count();
    for (const url of ['/api/workflow/definitions/validate', '/api/workflow/definitions']) {
      const res = await api().post(url).set(designer.auth).send({ xml });
      expect(res.status, JSON.stringify(res.body)).to.equal(422);
      expect(res.body.error.code).to.equal('invalid_bpmn');
      const problem = (res.body.error.details as Problem[]).find((d) => d.elementId === elementId);
      expect(problem, JSON.stringify(res.body.error.details)).to.not.equal(undefined);
      expect(problem!.message).to.match(message);
    }
    expect(await ProcessDefinition.count()).to.equal(before);
  }

  const instance = async (id: number) => {
    const res = await api().get(`/api/workflow/instances/${id}`).set(admin.auth);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as { instance: { status: string }; tasks: Array<{ id: number; elementId: string; status: string; name: string }>; incidents: Array<{ id: number; elementId: string | null; status: string; message: string }> };
  };
  const openTasks = async (id: number) => (await instance(id)).tasks.filter((t) => t.status === 'open');

  it('13-01: deploys a collaboration whose message flows go to a collapsed pool and start inside a sub-process, and runs it (message flows do nothing, as in Camunda 7)', async () => {
    const deployed = await deploy(fixture('13-01-collapsed-pool.bpmn'));
    expect(deployed.key).to.equal('fidelity_13_01_collapsed_pool');
    const { instance: started, tasks } = await startInstance(clerk, deployed.key);
    expect(tasks.map((t) => t.elementId)).to.deep.equal(['Task_review_sub']);
    // Completing the task the "ส่งรายงาน" message flow starts from sends nothing: the instance
    // waits for the ministry's reply, which comes through the API.
    await complete(clerk, tasks[0].id);
    expect((await instance(started.id)).instance.status).to.equal('running');
    expect(await openTasks(started.id)).to.deep.equal([]);
    const reply = await api().post(`/api/workflow/instances/${started.id}/messages`).set(clerk.auth).send({ messageId: 'Message_reply' });
    expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
    expect((await instance(started.id)).instance.status).to.equal('completed');
  });

  it('13-09: deploys an ISO-8859-1 export (the XML is text in JSON, already Unicode) and keeps it declaring UTF-8', async () => {
    const xml = fixture('13-09-latin1-encoding.bpmn');
    expect(xml).to.match(/^<\?xml version="1.0" encoding="ISO-8859-1"\?>/);
    const deployed = await deploy(xml);
    expect(deployed.warnings).to.deep.equal([]);
    const { instance: started, tasks } = await startInstance(clerk, deployed.key);
    expect(tasks.map((t) => [t.elementId, t.name])).to.deep.equal([['Task_pruefung', 'Prüfung (contrôle)']]);
    await complete(clerk, tasks[0].id);
    expect((await instance(started.id)).instance.status).to.equal('completed');
    const stored = await api().get(`/api/workflow/definitions/${deployed.key}/versions/${deployed.version}/xml`).set(designer.auth);
    expect(stored.status).to.equal(200);
    expect(stored.text).to.match(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(stored.text).to.include('name="Prüfung der Eingänge"');
  });

  it('13-09: runs JUEL operators and #{…} (not and or eq ne lt gt le ge empty div mod) and warns about Camunda settings it ignores', async () => {
    const deployed = await deploy(fixture('13-09-juel-operators.bpmn'));
    const warned = deployed.warnings.map((w) => `${w.elementId}: ${w.message.split(' ')[0]}`);
    expect(warned).to.have.members([
      'Definitions_fidelity_13_09_juel: camunda:historyTimeToLive',
      'fidelity_13_09_juel: camunda:historyTimeToLive',
      'fidelity_13_09_juel: camunda:versionTag',
      'StartEvent_1: camunda:jobPriority',
      'Task_urgent: camunda:asyncBefore',
    ]);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ approved: false, amount: 5000, days: 1, attachments: [1], note: 'x' }, 'Task_rejected', 'แจ้งไม่อนุมัติ'],
      [{ approved: true, amount: 5000, days: 1, attachments: [1], note: 'x' }, 'Task_urgent', 'ด่วน'],
      // the operator words inside a string literal stay text
      [{ approved: true, amount: 5000, days: 1, attachments: [1], note: 'not and or' }, 'Task_normal', 'ดำเนินการตามปกติ'],
      [{ approved: true, amount: 500, days: 5, attachments: [], note: 'x' }, 'Task_attach', 'ขอเอกสารแนบ'],
      [{ approved: true, amount: 400, days: 5, attachments: [1], note: 'x' }, 'Task_even', 'แบ่งจ่ายสองงวด 200 บาท'],
      [{ approved: true, amount: 401, days: 5, attachments: [1], note: 'x' }, 'Task_normal', 'ดำเนินการตามปกติ'],
    ];
    for (const [variables, elementId, name] of cases) {
      const { instance: started, tasks } = await startInstance(clerk, deployed.key, variables);
      expect(tasks.map((t) => [t.elementId, t.name]), JSON.stringify(variables)).to.deep.equal([[elementId, name]]);
      await complete(clerk, tasks[0].id);
      expect((await instance(started.id)).instance.status).to.equal('completed');
    }
  });

  it('13-09: accepts gateways without a default flow; complementary conditions run, and when no condition holds the completion is refused and an incident names the gateway', async () => {
    const deployed = await deploy(fixture('13-09-gateway-no-default.bpmn'));
    // ${urgent} / ${!urgent}: one always holds, nothing to say. The decision can match neither.
    expect(deployed.warnings.map((w) => w.elementId)).to.deep.equal(['Gateway_decision']);

    const urgent = await startInstance(clerk, deployed.key, { urgent: true });
    expect(urgent.tasks.map((t) => t.elementId)).to.deep.equal(['Task_expedite']);
    await complete(clerk, urgent.tasks[0].id);
    const [decide] = await openTasks(urgent.instance.id);
    expect(decide.elementId).to.equal('Task_decide');

    const stuck = await complete(clerk, decide.id, { decision: 'later' }, 422);
    expect(stuck.error.details).to.deep.include({ elementId: 'Gateway_decision', message: stuck.error.message });
    expect(stuck.error.message).to.include('Gateway_decision');
    let seen = await instance(urgent.instance.id);
    expect(seen.instance.status).to.equal('running');
    expect(seen.tasks.filter((t) => t.status === 'open').map((t) => t.id), 'the task stays open').to.deep.equal([decide.id]);
    expect(seen.incidents.map((i) => [i.elementId, i.status])).to.deep.equal([['Gateway_decision', 'open']]);
    const listed = await api().get('/api/workflow/incidents').set(admin.auth);
    expect(listed.body.items.map((i: { elementId: string; instanceId: number }) => `${i.instanceId}:${i.elementId}`)).to.include(`${urgent.instance.id}:Gateway_decision`);
    // A second failed try opens no second incident.
    await complete(clerk, decide.id, { decision: 'later' }, 422);
    expect(await Incident.count({ where: { instanceId: urgent.instance.id } })).to.equal(1);

    await complete(clerk, decide.id, { decision: 'approve' });
    const [file] = await openTasks(urgent.instance.id);
    expect(file.elementId).to.equal('Task_file');
    await complete(clerk, file.id);
    seen = await instance(urgent.instance.id);
    expect(seen.instance.status).to.equal('completed');

    const normal = await startInstance(clerk, deployed.key, { urgent: false });
    expect(normal.tasks.map((t) => t.elementId)).to.deep.equal(['Task_decide']);
    await complete(clerk, normal.tasks[0].id, { decision: 'reject' });
    expect((await instance(normal.instance.id)).instance.status).to.equal('completed');
    expect(await Task.count({ where: { instanceId: normal.instance.id, elementId: 'Task_file' } })).to.equal(0);
  });

  it('13-06: refuses a Quartz cron timeCycle at deploy, naming the timer and saying to write R/P1D', async () => {
    await refused(fixture('13-06-quartz-cron.bpmn'), 'Timer_every_morning', /Quartz cron.*R\/P1D/);
  });

  it("13-06: refuses a method call such as ${execution.getVariable('approver')} at deploy, naming the task", async () => {
    await refused(fixture('13-06-method-call.bpmn'), 'Task_approve', /method calls \(\.getVariable/);
  });
});
