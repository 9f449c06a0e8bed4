// The `destroy-documents` topic destroys documents: it runs only in the destruction process the
// product ships and deploys itself (committee review, National Archives approval), and only on
// the documents of the list approved for that instance. Refused at deploy, checked again at run time.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import Serializer from 'moddle-context-serializer';
import { api } from '../helpers/factories';
import { bpmn, complete, taskOf } from '../helpers/workflow';
import { testEnv } from '../helpers/env';
import { as } from '../registry/helpers';
import { Document, ProcessDefinition, User, WorkflowJob } from '../../server/db/models';
import { JobScheduler } from '../../server/modules/workflow/scheduler';
import { readBpmn, typeResolver } from '../../server/modules/workflow/bpmn';
import { activeDefinition, deployShippedProcesses } from '../../server/modules/workflow/definitions';
import { isShipped } from '../../server/modules/workflow/services';
import { buddhistYear } from '../../server/lib/thai-date';

const YEAR = buddhistYear(new Date());
const shippedXml = fs.readFileSync(path.join(__dirname, '../../processes/destruction.bpmn'), 'utf8');
const destroyStep = (key: string) => bpmn(key, `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="purge" />
  <bpmn:serviceTask id="purge" camunda:type="external" camunda:topic="destroy-documents" />
  <bpmn:sequenceFlow id="f2" sourceRef="purge" targetRef="e" /><bpmn:endEvent id="e" />`);
const runJobs = async (at = new Date()) => {
  const s = new JobScheduler(testEnv().ctx.db, testEnv().ctx.runtime);
  for (let i = 0; i < 50 && (await s.runDueJobs(at)) > 0; i++);
};

describe('deploying BPMN: the destroy-documents topic is bound to the shipped destruction process', () => {
  let orgId: number, clerkId: number;
  const expired = (subject: string) => Document.create({
    organisationId: orgId, direction: 'incoming', type: 'external', status: 'registered', urgency: 'normal', secrecy: 'normal', letterDate: '1998-03-01',
    createdById: clerkId, subject, letterNumber: 'สธ 0201/2541', registerYear: 2541, registerNumber: 1, retentionYears: 10,
  });
  const refusal = async (xml: string, elementId: string) => {
    const before = await ProcessDefinition.count();
    for (const route of ['/api/workflow/definitions', '/api/workflow/definitions/validate']) {
      const res = await api().post(route).set((await as('designer')).auth).send({ xml });
      expect(res.status, JSON.stringify(res.body)).to.equal(422);
      const problem = res.body.error.details.find((d: { elementId: string | null }) => d.elementId === elementId);
      expect(problem, JSON.stringify(res.body.error.details)).to.not.equal(undefined);
      expect(problem.message).to.match(/destroy-documents runs only in the process the product ships/);
    }
    expect(await ProcessDefinition.count()).to.equal(before);
  };

  before(async () => {
    const clerk = await User.findOne({ where: { username: 'clerk' } });
    orgId = clerk!.organisationId;
    clerkId = clerk!.id;
  });

  it("refuses a designer's process that uses destroy-documents, naming the service task", async () => {
    await refusal(destroyStep('quick_cleanup'), 'purge');
  });

  it("refuses a designer's own document_destruction using the topic: the shipped file sent again, and one without the committee", async () => {
    await refusal(shippedXml, 'destroy');
    await refusal(destroyStep('document_destruction'), 'purge');
  });

  it('destroys nothing in a version the product did not deploy (one that reached the database another way)', async () => {
    const key = `legacy_purge_${Date.now()}`;
    const xml = destroyStep(key);
    const sourceContext = Serializer((await readBpmn(xml)) as never, typeResolver()).serialize();
    await ProcessDefinition.create({ organisationId: orgId, key, name: null, version: 1, isActive: true, xml, sourceContext, deployedById: null });
    const doc = await expired('หนังสือครบอายุ กระบวนงานที่ไม่ได้ติดตั้งมากับระบบ');
    // Requests may not set documentIds (the API refuses them, documents/policy); only the runtime's own callers can.
    expect((await api().post('/api/workflow/instances').set((await as('clerk')).auth).send({ processKey: key, variables: { documentIds: [doc.id] } })).status).to.equal(422);
    const started = await testEnv().ctx.runtime.start({ definition: await activeDefinition(orgId, key), organisationId: orgId, starter: null, variables: { documentIds: [doc.id] } });
    await runJobs();
    expect((await Document.findByPk(doc.id))!.status).to.equal('registered');
    const job = await WorkflowJob.findOne({ where: { instanceId: started.instance.id, elementId: 'purge' } });
    expect(job!.lastError).to.match(/runs only in the process the product ships/);
  });

  it('destroys only documents of the list approved for the instance: documents added to the variables later stop the step, nothing destroyed', async () => {
    const approvedDoc = await expired('หนังสือในบัญชีที่อนุมัติ');
    const otherDoc = await expired('หนังสือที่ไม่อยู่ในบัญชี');
    const res = await api().post('/api/retention/destruction-list/approve').set((await as('clerk')).auth)
      .send({ year: YEAR, documentIds: [approvedDoc.id], committee: { chair: 'director', members: ['sectionhead', 'deputy'] } });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const instanceId = res.body.instanceId as number;
    for (const member of ['director', 'sectionhead', 'deputy']) await complete(await as(member), (await taskOf(await as(member), instanceId, 'committee_review')).id, { decision: 'approve' });
    // A correction through the API is refused outright; the run-time check guards any other way in.
    const patched = await api().patch(`/api/workflow/instances/${instanceId}/variables`).set((await as('admin')).auth).send({ variables: { documentIds: [approvedDoc.id, otherDoc.id] } });
    expect(patched.status, JSON.stringify(patched.body)).to.equal(422);
    const setDocumentIds = (ids: number[]) => testEnv().ctx.runtime.command(instanceId, (host) => void Object.assign(host.variables(), { documentIds: ids }));
    await setDocumentIds([approvedDoc.id, otherDoc.id]);
    await complete(await as('clerk'), (await taskOf(await as('clerk'), instanceId, 'archives_approval')).id, { archivesLetterNumber: 'วธ 0404/5678' });
    await runJobs();
    expect((await Document.findByPk(otherDoc.id))!.status).to.equal('registered');
    expect((await Document.findByPk(approvedDoc.id))!.status, 'nothing is destroyed when the step is refused').to.equal('registered');
    const job = await WorkflowJob.findOne({ where: { instanceId, elementId: 'destroy' } });
    expect(job!.lastError).to.match(new RegExp(`Documents ${otherDoc.id} are not on the destruction list`));

    // Corrected back to the approved list, the retried step destroys the approved document.
    await setDocumentIds([approvedDoc.id]);
    await runJobs(new Date(Date.now() + 60_000));
    expect((await Document.findByPk(approvedDoc.id))!.status).to.equal('destroyed');
  });

  it('marks, at start-up, the destruction versions an earlier release seeded (the shipped XML, deployed by no one), so their runs still destroy', async () => {
    const seeded = await ProcessDefinition.findAll({ where: { key: 'document_destruction', deployedById: null } });
    expect(seeded.length).to.be.greaterThan(0);
    for (const row of seeded) {
      expect(isShipped(row.sourceContext)).to.equal(true);
      const { sarabanShipped, ...unmarked } = JSON.parse(row.sourceContext);
      expect(sarabanShipped).to.equal(true);
      await row.update({ sourceContext: JSON.stringify(unmarked) });
    }
    await deployShippedProcesses(testEnv().ctx.db);
    for (const row of seeded) expect(isShipped((await ProcessDefinition.findByPk(row.id))!.sourceContext)).to.equal(true);
  });
});
