import { expect } from 'chai';
import { api, buildUser, login, orgByCode, Session } from '../helpers/factories';
import { bpmn, complete, deployXml, inbox, startInstance, taskOf, threeStepXml } from '../helpers/workflow';
import { HistoryEntry, ProcessInstance, Task, User, Group, GroupMember } from '../../server/db/models';

describe('the task API', () => {
  let designer: Session, clerk: Session, officer: Session, sectionhead: Session, admin: Session, cmClerk: Session;
  const key = `team_flow_${Date.now()}`;
  before(async () => {
    [designer, clerk, officer, sectionhead, admin, cmClerk] = await Promise.all(['designer', 'clerk', 'officer', 'sectionhead', 'admin', 'cm.clerk'].map((u) => login(u)));
    await deployXml(designer, threeStepXml(key, 'registry_clerk'));
  });

  it('puts a group task in every member inbox; claiming takes it out of the others, unclaiming puts it back', async () => {
    const central = await orgByCode('สธ 02');
    const other = await buildUser(central.id, { roles: ['registry_clerk'] });
    const second = await login(other.username);
    const { instance } = await startInstance(clerk, key);
    const task = await taskOf(clerk, instance.id, 'a');
    await taskOf(second, instance.id, 'a');
    expect((await inbox(officer)).items.some((t) => t.id === task.id)).to.equal(false);

    const claimed = await api().post(`/api/tasks/${task.id}/claim`).set(second.auth);
    expect(claimed.status).to.equal(200);
    expect(claimed.body.assigneeUserId).to.equal(other.id);
    expect((await inbox(clerk)).items.some((t) => t.id === task.id)).to.equal(false);
    expect((await api().post(`/api/tasks/${task.id}/claim`).set(clerk.auth)).status).to.equal(409);
    expect((await api().post(`/api/tasks/${task.id}/complete`).set(clerk.auth).send({})).status).to.equal(403);

    expect((await api().post(`/api/tasks/${task.id}/unclaim`).set(second.auth)).status).to.equal(200);
    await taskOf(clerk, instance.id, 'a');
  });

  it('refuses to complete a task of someone else (403) or one that is done (409), and leaves the instance untouched', async () => {
    const { instance } = await startInstance(clerk, key);
    const task = await taskOf(clerk, instance.id, 'a');
    const before = (await ProcessInstance.findByPk(instance.id))!.version;
    const stranger = await api().post(`/api/tasks/${task.id}/complete`).set(cmClerk.auth).send({});
    expect(stranger.status).to.equal(403);
    expect((await ProcessInstance.findByPk(instance.id))!.version).to.equal(before);
    await complete(clerk, task.id);
    const again = await api().post(`/api/tasks/${task.id}/complete`).set(clerk.auth).send({});
    expect(again.status).to.equal(409);
    expect((await ProcessInstance.findByPk(instance.id))!.version).to.equal(before + 1);
    expect(await Task.count({ where: { instanceId: instance.id } })).to.equal(2);
  });

  it('lets exactly one of two concurrent completions of one task succeed', async () => {
    const { instance } = await startInstance(clerk, key);
    const task = await taskOf(clerk, instance.id, 'a');
    const results = await Promise.all([0, 1, 2, 3].map(() => api().post(`/api/tasks/${task.id}/complete`).set(clerk.auth).send({ variables: {} })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).to.deep.equal([200, 409, 409, 409]);
    expect((await ProcessInstance.findByPk(instance.id))!.version).to.equal(2);
    expect(await Task.count({ where: { instanceId: instance.id, elementId: 'b' } })).to.equal(1);
    expect(await HistoryEntry.count({ where: { instanceId: instance.id, event: 'task.completed' } })).to.equal(1);
  });

  it('validates completion variables against the declared form fields (422, nothing changes)', async () => {
    const formKey = `form_${Date.now()}`;
    await deployXml(designer, bpmn(formKey, `
      <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t" />
      <bpmn:userTask id="t" camunda:candidateGroups="registry_clerk"><bpmn:extensionElements><camunda:formData>
        <camunda:formField id="decision" type="enum"><camunda:value id="approve" /><camunda:value id="reject" /><camunda:validation><camunda:constraint name="required" /></camunda:validation></camunda:formField>
        <camunda:formField id="amount" type="long" />
        <camunda:formField id="urgent" type="boolean" />
      </camunda:formData></bpmn:extensionElements></bpmn:userTask>
      <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e" /><bpmn:endEvent id="e" />`));
    const { instance } = await startInstance(clerk, formKey);
    const task = await taskOf(clerk, instance.id, 't');
    const detail = await api().get(`/api/tasks/${task.id}`).set(clerk.auth);
    expect(detail.body.formFields.map((f: { id: string }) => f.id)).to.deep.equal(['decision', 'amount', 'urgent']);
    expect(detail.body.may.complete).to.equal(true);
    for (const variables of [{}, { decision: 'maybe' }, { decision: 'approve', amount: 'lots' }, { decision: 'approve', urgent: 'yes' }]) {
      const res = await api().post(`/api/tasks/${task.id}/complete`).set(clerk.auth).send({ variables });
      expect(res.status, JSON.stringify(variables)).to.equal(422);
      expect(res.body.error.details[0]).to.have.property('field');
    }
    expect((await Task.findByPk(task.id))!.status).to.equal('open');
    await complete(clerk, task.id, { decision: 'approve', amount: 1500, urgent: true });
  });

  it('delegates a task: the delegate works on it, the owner keeps seeing it; history records both', async () => {
    const { instance } = await startInstance(clerk, key);
    const task = await taskOf(clerk, instance.id, 'a');
    await api().post(`/api/tasks/${task.id}/claim`).set(clerk.auth);
    const officerUser = await User.findOne({ where: { username: 'officer' } });
    const res = await api().post(`/api/tasks/${task.id}/delegate`).set(clerk.auth).send({ userId: officerUser!.id });
    expect(res.status).to.equal(200);
    expect(res.body.assigneeUserId).to.equal(officerUser!.id);
    await taskOf(officer, instance.id, 'a');
    await taskOf(clerk, instance.id, 'a');
    await complete(officer, task.id);
    const events = (await HistoryEntry.findAll({ where: { taskId: task.id }, order: [['id', 'ASC']] })).map((h) => h.event);
    expect(events).to.deep.equal(['task.created', 'task.claimed', 'task.delegated', 'task.completed']);
  });

  it("lets a supervisor reassign a subordinate's task, and nobody else", async () => {
    const { instance } = await startInstance(clerk, key);
    const task = await taskOf(clerk, instance.id, 'a');
    await api().post(`/api/tasks/${task.id}/claim`).set(clerk.auth);
    const officerUser = await User.findOne({ where: { username: 'officer' } });
    expect((await api().post(`/api/tasks/${task.id}/reassign`).set(officer.auth).send({ userId: officerUser!.id })).status).to.equal(403);
    const res = await api().post(`/api/tasks/${task.id}/reassign`).set(sectionhead.auth).send({ userId: officerUser!.id });
    expect(res.status).to.equal(200);
    expect(res.body.assigneeUserId).to.equal(officerUser!.id);
    expect((await api().post(`/api/tasks/${task.id}/reassign`).set(admin.auth).send({ userId: 999999 })).status).to.equal(422);
  });

  it('keeps comments on a task', async () => {
    const { instance } = await startInstance(clerk, key);
    const task = await taskOf(clerk, instance.id, 'a');
    expect((await api().post(`/api/tasks/${task.id}/comments`).set(clerk.auth).send({ text: 'รอเอกสารเพิ่มเติม' })).status).to.equal(204);
    const res = await api().get(`/api/tasks/${task.id}/comments`).set(clerk.auth);
    expect(res.body.items.map((c: { text: string }) => c.text)).to.deep.equal(['รอเอกสารเพิ่มเติม']);
    expect((await api().post(`/api/tasks/${task.id}/comments`).set(cmClerk.auth).send({ text: 'x' })).status).to.equal(403);
  });

  it('filters, sorts and pages the inbox', async () => {
    const k = `inbox_${Date.now()}`;
    await deployXml(designer, bpmn(k, `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t" />
      <bpmn:userTask id="t" name="\${document.subject}" camunda:candidateGroups="registry_clerk" camunda:priority="\${prio}" camunda:dueDate="\${due}" />
      <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e" /><bpmn:endEvent id="e" />`));
    const day = 86400e3;
    const specs = [
      { subject: 'ขอความอนุเคราะห์ข้อมูลสถิติ', urgency: 1, prio: 20, due: new Date(Date.now() + 5 * day).toISOString() },
      { subject: 'แจ้งเวียนคำสั่งแต่งตั้ง', urgency: 4, prio: 90, due: new Date(Date.now() - day).toISOString() },
      { subject: 'เชิญประชุมคณะทำงาน', urgency: 2, prio: 50, due: new Date(Date.now() + 2 * day).toISOString() },
    ];
    for (const s of specs) await startInstance(clerk, k, { document: { subject: s.subject, urgency: s.urgency }, prio: s.prio, due: s.due });
    const byPriority = await inbox(clerk, { processKey: k });
    expect(byPriority.total).to.equal(3);
    expect(byPriority.items.map((t) => t.priority)).to.deep.equal([90, 50, 20]);
    const byDue = await inbox(clerk, { processKey: k, sort: 'due' });
    expect(byDue.items.map((t) => t.urgency)).to.deep.equal([4, 2, 1]);
    const overdue = await inbox(clerk, { processKey: k, overdue: 'true' });
    expect(overdue.items.map((t) => t.urgency)).to.deep.equal([4]);
    expect(overdue.items[0].overdue).to.equal(true);
    expect((await inbox(clerk, { processKey: k, urgency: 2 })).total).to.equal(1);
    expect((await inbox(clerk, { processKey: k, q: 'ประชุม' })).items.map((t) => t.urgency)).to.deep.equal([2]);
    expect((await inbox(clerk, { processKey: k, dueBefore: new Date(Date.now() + 3 * day).toISOString() })).total).to.equal(2);
    const page2 = await inbox(clerk, { processKey: k, limit: 2, offset: 2 });
    expect(page2.total).to.equal(3);
    expect(page2.items).to.have.length(1);
    const bad = await api().get('/api/tasks').query({ sort: 'random', limit: 1000 }).set(clerk.auth);
    expect(bad.status).to.equal(400);
  });

  it('shows the group inbox only to members of the group', async () => {
    const central = await orgByCode('สธ 02');
    const group = await Group.findOne({ where: { organisationId: central.id, key: 'registry_clerk' } });
    const res = await api().get('/api/tasks/group').query({ kind: 'group', id: group!.id }).set(clerk.auth);
    expect(res.status).to.equal(200);
    expect(res.body.total).to.be.greaterThan(0);
    expect((await api().get('/api/tasks/group').query({ kind: 'group', id: group!.id }).set(officer.auth)).status).to.equal(403);
    void GroupMember;
  });
});
