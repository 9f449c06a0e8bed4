// Issue 13, items 2, 3 and 7 (data mappings): variables follow Camunda 7's scopes and mappings.
// Each diagram under test/fixtures/bpmn/ is written the way Camunda Modeler 5 writes it, deployed
// and driven end to end through the HTTP API by the people its tasks name.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { api, login, Session } from '../helpers/factories';
import { complete, deployXml, inbox, startInstance } from '../helpers/workflow';
import { testEnv } from '../helpers/env';
import { ProcessInstance, Task, User, WorkflowJob } from '../../server/db/models';
import { JobScheduler } from '../../server/modules/workflow/scheduler';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'bpmn', name), 'utf8');

type Bag = Record<string, unknown>;

/** The process instance's own variables (the root scope), as the engine state stores them. */
async function instanceVariables(instanceId: number, processKey: string): Promise<Bag> {
  const instance = await ProcessInstance.findByPk(instanceId);
  const state = JSON.parse(instance!.state) as { definitions: Array<{ execution: { processes: Array<{ id: string; environment: { variables: Bag } }> } }> };
  const main = state.definitions[0].execution.processes.find((p) => p.id === processKey);
  return main!.environment.variables;
}

async function statusOf(instanceId: number) {
  return (await ProcessInstance.findByPk(instanceId))!.status;
}

/** The open task of an element in an instance, as its performer sees it in the inbox. */
async function openTask(session: Session, instanceId: number, elementId: string) {
  const { items } = await inbox(session, { limit: 200 });
  const found = items.filter((t) => t.instanceId === instanceId && t.elementId === elementId);
  expect(found, `one open ${elementId} in the inbox`).to.have.length(1);
  return found[0];
}

/** Drops the engines kept in memory: the next command rebuilds the instance from its saved state. */
const rehydrate = () => testEnv().ctx.runtime.close();

/** Runs the instance's pending service jobs (other tests' jobs share the database: only these). */
async function runServices(instanceId: number) {
  const scheduler = new JobScheduler(testEnv().ctx.db, testEnv().ctx.runtime);
  for (let i = 0; i < 20 && (await WorkflowJob.count({ where: { instanceId, status: 'pending' } })) > 0; i++) await scheduler.runDueJobs(new Date(Date.now() + 60e3));
}

const openElements = async (instanceId: number) => (await Task.findAll({ where: { instanceId, status: 'open' }, order: [['id', 'ASC']] })).map((t) => t.elementId);

describe('Camunda fidelity: variable scopes and data mappings (issue 13 items 2, 3, 7)', () => {
  let designer: Session, clerk: Session, director: Session, sectionhead: Session;
  before(async () => {
    [designer, clerk, director, sectionhead] = await Promise.all(['designer', 'clerk', 'director', 'sectionhead'].map((u) => login(u)));
  });

  it('13-02: a sub-process sees what a parallel task sets after it started, its tasks set process variables the gateway after it reads, and its locals stay inside', async () => {
    const { key } = await deployXml(designer, fixture('13-02-subprocess-scope.bpmn'));
    const { instance } = await startInstance(clerk, key);
    expect(await openElements(instance.id)).to.have.members(['prepare', 'check']);
    expect((await openTask(clerk, instance.id, 'check')).name).to.equal('Check (round 1)');

    // The sub-process has started: `amount` (a task) and `stampedAmount` (a service) are set on
    // the process instance after that.
    await complete(clerk, (await openTask(clerk, instance.id, 'prepare')).id, { amount: 5000 });
    rehydrate();
    await runServices(instance.id);
    expect(await WorkflowJob.count({ where: { instanceId: instance.id, status: 'done' } })).to.equal(1);
    rehydrate();
    // `reviewRound` exists in the sub-process (its input parameter): set there, not on the instance.
    await complete(clerk, (await openTask(clerk, instance.id, 'check')).id, { decision: 'approve', reviewRound: 2 });
    // The gateway inside the sub-process saw both: the large-amount path.
    expect(await openElements(instance.id)).to.deep.equal(['executiveCheck']);
    expect((await openTask(director, instance.id, 'executiveCheck')).name).to.equal('Executive check (round 2)');

    await complete(director, (await openTask(director, instance.id, 'executiveCheck')).id, { executiveOk: true });
    // The gateway after the sub-process reads what its tasks set.
    expect(await openElements(instance.id)).to.deep.equal(['archive']);
    const variables = await instanceVariables(instance.id, key);
    // The sub-process's output parameter took its local up when it completed.
    expect(variables).to.include({ amount: 5000, stampedAmount: 5000, decision: 'approve', executiveOk: true, reviewedRounds: 2 });
    expect(variables).to.not.have.property('reviewRound');

    await complete(clerk, (await openTask(clerk, instance.id, 'archive')).id);
    expect(await statusOf(instance.id)).to.equal('completed');
  });

  it('13-03: the element variable and loop counter are set in each iteration of parallel and sequential multi-instance sub-processes, and a bare collection name works', async () => {
    const { key } = await deployXml(designer, fixture('13-03-multi-instance-subprocess.bpmn'));
    const { instance } = await startInstance(clerk, key, { reviewers: ['director', 'sectionhead'], sectionList: ['background', 'summary', 'proposal'] });

    // Parallel, over camunda:collection="reviewers": one opinion each, assigned by the element variable.
    const tasks = await Task.findAll({ where: { instanceId: instance.id, status: 'open' }, order: [['name', 'ASC']] });
    const [directorId, sectionheadId] = await Promise.all(['director', 'sectionhead'].map(async (u) => (await User.findOne({ where: { username: u } }))!.id));
    expect(tasks.map((t) => [t.elementId, t.name, t.assigneeUserId])).to.deep.equal([
      ['giveOpinion', 'Opinion of director (0)', directorId],
      ['giveOpinion', 'Opinion of sectionhead (1)', sectionheadId],
    ]);
    await complete(sectionhead, (await openTask(sectionhead, instance.id, 'giveOpinion')).id, { opinionOfSectionhead: 'ok' });
    rehydrate();
    await complete(director, (await openTask(director, instance.id, 'giveOpinion')).id, { opinionOfDirector: 'ok' });

    // Sequential, over ${sectionList}: the gateway inside reads the element variable.
    const names: string[] = [];
    for (const [who, element] of [[clerk, 'writeSection'], [director, 'writeSummary'], [clerk, 'writeSection']] as const) {
      const task = await openTask(who, instance.id, element);
      names.push(task.name);
      await complete(who, task.id);
      rehydrate();
    }
    expect(names).to.deep.equal(['Write background', 'Summary by the director', 'Write proposal']);

    // A multi-instance user task: the element variable and loopCounter are each iteration's locals,
    // so a completion variable of that name changes the iteration, not the instance.
    const signatures = await Task.findAll({ where: { instanceId: instance.id, elementId: 'sign', status: 'open' }, order: [['name', 'ASC']] });
    expect(signatures.map((t) => [t.name, t.assigneeUserId])).to.deep.equal([['Signature 0 by director', directorId], ['Signature 1 by sectionhead', sectionheadId]]);
    await complete(director, (await openTask(director, instance.id, 'sign')).id, { signer: 'someone else', signedByDirector: true });
    rehydrate();
    await complete(sectionhead, (await openTask(sectionhead, instance.id, 'sign')).id);
    expect(await statusOf(instance.id)).to.equal('completed');

    // The iterations' locals never reached the instance; what their tasks set did.
    const variables = await instanceVariables(instance.id, key);
    expect(variables).to.include({ opinionOfSectionhead: 'ok', opinionOfDirector: 'ok', signedByDirector: true });
    for (const local of ['reviewer', 'section', 'signer', 'loopCounter', '_taskLocals']) expect(variables).to.not.have.property(local);
  });

  it('13-07: input parameters (expression, list, map) are the task\'s locals — its assignee, name and priority use them — and output parameters set process variables on completion', async () => {
    const { key } = await deployXml(designer, fixture('13-07-input-output.bpmn'));
    const directorId = (await User.findOne({ where: { username: 'director' } }))!.id;
    const { instance } = await startInstance(clerk, key, { amount: 5000, topic: 'training' });
    rehydrate();

    const row = (await Task.findOne({ where: { instanceId: instance.id, elementId: 'approve' } }))!;
    expect(row.assigneeUserId).to.equal(directorId);
    expect(row.name).to.equal('Approve memo of 5000 (training)');
    expect(row.priority).to.equal(80);

    // `note` exists nowhere: it is set on the process instance, and the outputs read it.
    await complete(director, (await openTask(director, instance.id, 'approve')).id, { answer: 'yes', note: 'see budget' });
    expect((await openTask(clerk, instance.id, 'file')).name).to.equal('File (director)');
    const variables = await instanceVariables(instance.id, key);
    expect(variables).to.include({ approvedBy: 'director', verdict: 'approved', answer: 'yes', note: 'see budget' });
    expect(variables.record).to.deep.equal({ items: ['budget', 'memo'], note: 'see budget' });
    for (const local of ['approver', 'checklist', 'meta', 'priority', '_taskLocals']) expect(variables).to.not.have.property(local);

    await complete(clerk, (await openTask(clerk, instance.id, 'file')).id);
    expect(await statusOf(instance.id)).to.equal('completed');
  });

  it('13-07: a call activity passes only what camunda:in maps (source, sourceExpression, all, local) and takes back only what camunda:out maps', async () => {
    const { key } = await deployXml(designer, fixture('13-07-call-activity-mappings.bpmn'));
    const { instance } = await startInstance(clerk, key, { amount: 100, secret: 'top' });

    // Mapped: childAmount, doubled and (all, local) the call activity's own input `note`; not `secret`.
    const first = await openTask(clerk, instance.id, 'work');
    expect(first.name).to.equal('Work 100/200//from-call');
    rehydrate();
    await complete(clerk, first.id, { childResult: 'ok', childOnly: 'kept inside' });
    let variables = await instanceVariables(instance.id, key);
    expect(variables).to.include({ result: 'ok', shout: 'ok!' });
    for (const name of ['childResult', 'childOnly', 'childAmount', 'doubled', 'note']) expect(variables).to.not.have.property(name);

    // variables="all" both ways.
    const second = await openTask(clerk, instance.id, 'work');
    expect(second.name).to.equal('Work //top/');
    await complete(clerk, second.id, { childResult: 'fine' });
    variables = await instanceVariables(instance.id, key);
    expect(variables).to.include({ amount: 100, secret: 'top', result: 'ok', childResult: 'fine' });

    const file = await openTask(clerk, instance.id, 'file');
    expect(file.name).to.equal('File ok!');
    await complete(clerk, file.id);
    expect(await statusOf(instance.id)).to.equal('completed');
  });

  it('13-07: refuses at deploy what the runtime would not apply — a camunda:in businessKey, input/output on an intermediate event, a collection that is no expression nor variable name — naming the elements', async () => {
    const res = await api().post('/api/workflow/definitions').set(designer.auth).send({ xml: fixture('13-07-refused-mappings.bpmn') });
    expect(res.status, JSON.stringify(res.body)).to.equal(422);
    const details = res.body.error.details as Array<{ elementId: string; message: string }>;
    expect(details.map((d) => d.elementId)).to.have.members(['keyCall', 'pause', 'badLoop']);
    expect(details.find((d) => d.elementId === 'badLoop')!.message).to.match(/camunda:collection/);
    expect(details.find((d) => d.elementId === 'keyCall')!.message).to.match(/businessKey/);
    expect(details.find((d) => d.elementId === 'pause')!.message).to.match(/user task, service task, sub-process or call activity/);
  });
});
