// The inbox's server side beyond the basics: bulk claim, saved filters, the letter's route with
// step names from the definition, and completing a step with an endorsement on the letter.
import { expect } from 'chai';
import { api, buildUser, login, orgByCode, Session } from '../helpers/factories';
import { complete, startInstance, taskOf } from '../helpers/workflow';
import { incomingLetter, registerOf } from '../registry/helpers';
import { Endorsement, ProcessInstance, SavedFilter, Task } from '../../server/db/models';

async function registeredLetter(clerk: Session, subject: string) {
  const doc = await api().post('/api/documents').set(clerk.auth).send(incomingLetter({ subject }));
  expect(doc.status, JSON.stringify(doc.body)).to.equal(201);
  const reg = await api().post(`/api/registers/${await registerOf('clerk', 'incoming')}/entries`).set(clerk.auth).send({ documentId: doc.body.id });
  expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
  const instance = await ProcessInstance.findOne({ where: { documentId: doc.body.id } });
  return { documentId: Number(doc.body.id), instanceId: Number(instance!.id) };
}

describe('bulk claim (POST /tasks/claim)', () => {
  let clerk: Session, other: Session, cmClerk: Session;
  before(async () => {
    [clerk, cmClerk] = await Promise.all([login('clerk'), login('cm.clerk')]);
    const central = await orgByCode('สธ 02');
    other = await login((await buildUser(central.id, { roles: ['registry_clerk'] })).username);
  });

  it('claims each task on its own and says which were taken by someone else meanwhile', async () => {
    const started = await Promise.all([1, 2, 3].map(() => startInstance(clerk, 'incoming_letter', { document: { subject: 'เรื่องรับงานหลายรายการ', urgency: 1 } })));
    const [a, b, c] = await Promise.all(started.map((s) => taskOf(clerk, s.instance.id, 'screen')));
    expect((await api().post(`/api/tasks/${b.id}/claim`).set(other.auth)).status).to.equal(200);
    const foreign = await startInstance(cmClerk, 'incoming_letter', { document: { subject: 'ของจังหวัด', urgency: 1 } });
    const foreignTask = await taskOf(cmClerk, foreign.instance.id, 'screen');

    const res = await api().post('/api/tasks/claim').set(clerk.auth).send({ ids: [a.id, b.id, c.id, foreignTask.id, 99999999] });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const outcome = Object.fromEntries(res.body.results.map((r: { id: number; outcome: string }) => [r.id, r.outcome]));
    expect(outcome).to.deep.equal({ [a.id]: 'claimed', [b.id]: 'taken', [c.id]: 'claimed', [foreignTask.id]: 'refused', 99999999: 'not_found' });
    const me = res.body.results.find((r: { id: number }) => r.id === a.id).task.assigneeUserId;
    expect((await Task.findByPk(a.id))!.assigneeUserId).to.equal(me);
    expect((await Task.findByPk(c.id))!.assigneeUserId).to.equal(me);
    expect((await Task.findByPk(b.id))!.assigneeUserId).to.not.equal(me);
    expect((await Task.findByPk(foreignTask.id))!.assigneeUserId).to.equal(null);
  });

  it('refuses an empty or oversized list with a 4xx that names the field', async () => {
    const empty = await api().post('/api/tasks/claim').set(clerk.auth).send({ ids: [] });
    expect(empty.status).to.be.within(400, 499);
    expect(JSON.stringify(empty.body.error.details)).to.include('ids');
    const big = await api().post('/api/tasks/claim').set(clerk.auth).send({ ids: Array.from({ length: 101 }, (_, i) => i + 1) });
    expect(big.status).to.be.within(400, 499);
  });
});

describe('saved inbox filters (/me/saved-filters)', () => {
  let clerk: Session, officer: Session;
  before(async () => {
    [clerk, officer] = await Promise.all([login('clerk'), login('officer')]);
    await SavedFilter.destroy({ where: {} });
  });

  it('saves a named filter set, lists it for its owner only, refuses a second use of the name, and deletes it', async () => {
    const filters = { tab: 'group', q: 'ประชุม', urgency: 3, overdue: true, sort: 'due', scope: 'group:4' };
    const created = await api().post('/api/me/saved-filters').set(clerk.auth).send({ name: 'ด่วนมากของกลุ่ม', filters });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.filters).to.deep.equal(filters);

    const mine = await api().get('/api/me/saved-filters').set(clerk.auth);
    expect(mine.body.items.map((f: { name: string }) => f.name)).to.deep.equal(['ด่วนมากของกลุ่ม']);
    expect((await api().get('/api/me/saved-filters').set(officer.auth)).body.items).to.deep.equal([]);

    const twice = await api().post('/api/me/saved-filters').set(clerk.auth).send({ name: 'ด่วนมากของกลุ่ม', filters: { tab: 'mine' } });
    expect(twice.status).to.equal(409);
    expect((await api().delete(`/api/me/saved-filters/${created.body.id}`).set(officer.auth)).status).to.equal(404);
    expect((await api().delete(`/api/me/saved-filters/${created.body.id}`).set(clerk.auth)).status).to.equal(204);
    expect((await api().get('/api/me/saved-filters').set(clerk.auth)).body.items).to.deep.equal([]);
  });

  it('refuses filters it does not know with a 4xx naming the field, and writes nothing', async () => {
    const res = await api().post('/api/me/saved-filters').set(clerk.auth).send({ name: 'แปลก', filters: { tab: 'mine', urgency: 9 } });
    expect(res.status).to.be.within(400, 499);
    expect(JSON.stringify(res.body.error.details)).to.include('urgency');
    const unknown = await api().post('/api/me/saved-filters').set(clerk.auth).send({ name: 'แปลก', filters: { tab: 'mine', where: '1=1' } });
    expect(unknown.status).to.be.within(400, 499);
    expect(await SavedFilter.count({ where: { name: 'แปลก' } })).to.equal(0);
  });
});

describe("a letter's route and endorsed completion", () => {
  let clerk: Session, sectionhead: Session;
  before(async () => {
    [clerk, sectionhead] = await Promise.all([login('clerk'), login('sectionhead')]);
  });

  it('names each step as the process definition does, with who did it and what they wrote', async () => {
    const { documentId, instanceId } = await registeredLetter(clerk, 'ขอรายงานสถิติผู้ป่วย');
    const screen = await taskOf(clerk, instanceId, 'screen');
    await complete(clerk, screen.id, { summary: 'ขอข้อมูลภายใน 7 วัน' });
    // The name comes from the deployed definition, not from the task row.
    await Task.update({ name: 'screen' }, { where: { id: screen.id } });
    const route = await api().get(`/api/documents/${documentId}/route`).set(clerk.auth);
    expect(route.status, JSON.stringify(route.body)).to.equal(200);
    expect(route.body.done).to.have.length(1);
    expect(route.body.done[0]).to.include({ elementId: 'screen', name: 'ตรวจและสรุปเรื่อง', note: 'ขอข้อมูลภายใน 7 วัน' });
    expect(route.body.done[0].completedByName).to.include('กัญญา');
    expect(route.body.current.map((s: { name: string }) => s.name)).to.deep.equal(['เสนอผู้บังคับบัญชา']);
    // The instance history names its steps the same way.
    const history = await api().get(`/api/workflow/instances/${instanceId}/history`).set(clerk.auth);
    expect(history.status, JSON.stringify(history.body)).to.equal(200);
    expect(history.body.items.find((h: { event: string }) => h.event === 'task.completed')).to.include({ elementId: 'screen', name: 'ตรวจและสรุปเรื่อง' });
  });

  it("completes a step and appends its decision and endorsement to the letter's chain, in one transaction with the completion", async () => {
    const { documentId, instanceId } = await registeredLetter(clerk, 'ขอเชิญประชุมเชิงปฏิบัติการ');
    await complete(clerk, (await taskOf(clerk, instanceId, 'screen')).id, { summary: 'เชิญประชุม' });
    const present = await taskOf(sectionhead, instanceId, 'present');
    const before = await Endorsement.count({ where: { documentId } });

    // The form is checked first: a refusal leaves no endorsement behind.
    const bad = await api().post(`/api/tasks/${present.id}/complete`).set(sectionhead.auth).send({ variables: { decision: 'no-such-decision', endorsement: 'เรียน ผอ.' } });
    expect(bad.status).to.equal(422);
    expect(await Endorsement.count({ where: { documentId } })).to.equal(before);

    const res = await api().post(`/api/tasks/${present.id}/complete`).set(sectionhead.auth).send({ variables: { decision: 'acknowledge', endorsement: 'ทราบ' } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.task.status).to.equal('completed');
    const chain = await api().get(`/api/documents/${documentId}/endorsements`).set(clerk.auth);
    expect(chain.body.items.at(-1)).to.include({ seq: before + 1, text: 'ทราบ', decision: 'acknowledge', capacity: 'self' });

    const again = await api().post(`/api/tasks/${present.id}/complete`).set(sectionhead.auth).send({ variables: { decision: 'acknowledge', endorsement: 'ซ้ำ' } });
    expect(again.status).to.equal(409);
    expect(await Endorsement.count({ where: { documentId } })).to.equal(before + 1);
  });
});
