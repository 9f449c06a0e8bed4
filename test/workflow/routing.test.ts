import { expect } from 'chai';
import { api, login, Session } from '../helpers/factories';
import { complete, inbox, startInstance, taskOf } from '../helpers/workflow';
import { HistoryEntry, ProcessInstance, Unit, User, Position } from '../../server/db/models';

describe('routing an incoming letter up the chain of command (processes/incoming-letter.bpmn)', () => {
  let clerk: Session, sectionhead: Session, director: Session, officer: Session, permsec: Session;
  before(async () => {
    [clerk, sectionhead, director, officer, permsec] = await Promise.all(['clerk', 'sectionhead', 'director', 'officer', 'permsec'].map((u) => login(u)));
  });

  it('walks screen → present (section head → director → deputy, taken by the director acting for the deputy) → assign to a unit → done', async () => {
    const started = await startInstance(clerk, 'incoming_letter', { document: { subject: 'ขอเชิญประชุมคณะกรรมการ', urgency: 2 } });
    const id = started.instance.id;
    expect(started.tasks.map((t) => t.elementId)).to.deep.equal(['screen']);

    const screen = await taskOf(clerk, id, 'screen');
    expect((await inbox(sectionhead)).items.some((t) => t.id === screen.id)).to.equal(false);
    await complete(clerk, screen.id, { summary: 'เชิญประชุม 1 ธ.ค.', recommendation: 'เห็นควรทราบ' });

    // The clerk's supervisor is the section head.
    const present1 = await taskOf(sectionhead, id, 'present');
    expect((await inbox(clerk)).items.some((t) => t.id === present1.id)).to.equal(false);
    await complete(sectionhead, present1.id, { decision: 'forward', endorsement: 'เรียน ผอ. เพื่อโปรดพิจารณา' });

    const present2 = await taskOf(director, id, 'present');
    await complete(director, present2.id, { decision: 'forward', endorsement: 'เรียน รองปลัดฯ' });

    // Up to the deputy's position: the director acts for the deputy (ปฏิบัติราชการแทน) and sees it.
    const present3 = await taskOf(director, id, 'present');
    const saraban = await Unit.findOne({ where: { nameTh: 'กลุ่มงานสารบรรณ' } });
    await complete(director, present3.id, { decision: 'assign', endorsement: 'มอบกลุ่มงานสารบรรณดำเนินการ', assignUnitId: saraban!.id });

    const deputyPosition = await Position.findOne({ where: { titleTh: 'รองปลัดกระทรวงสาธารณสุข' } });
    const directorUser = await User.findOne({ where: { username: 'director' } });
    const acted = await HistoryEntry.findOne({ where: { instanceId: id, taskId: present3.id, event: 'task.completed' } });
    expect(acted!.userId).to.equal(directorUser!.id);
    expect(acted!.capacity).to.equal('acting_for');
    expect(acted!.forPositionId).to.equal(deputyPosition!.id);

    // Assigned to the unit: anyone in it sees the task.
    const assign = await taskOf(officer, id, 'assign');
    await complete(officer, assign.id, { result: 'แจ้งเวียนแล้ว' });
    expect((await ProcessInstance.findByPk(id))!.status).to.equal('completed');

    const history = await api().get(`/api/workflow/instances/${id}/history`).set(permsec.auth);
    expect(history.status).to.equal(200);
    const completed = history.body.items.filter((h: { event: string }) => h.event === 'task.completed');
    expect(completed).to.have.length(5);
    expect(completed.map((h: { elementId: string }) => h.elementId)).to.deep.equal(['screen', 'present', 'present', 'present', 'assign']);
    expect(history.body.items.some((h: { event: string; elementId: string }) => h.event === 'activity.end' && h.elementId === 'decision')).to.equal(true);
    expect(history.body.items.at(-1).event).to.equal('instance.ended');
  });

  it('returns the letter for screening again when the decision is ส่งคืน', async () => {
    const { instance } = await startInstance(clerk, 'incoming_letter', { document: { subject: 'ส่งคืน', urgency: 1 } });
    await complete(clerk, (await taskOf(clerk, instance.id, 'screen')).id, { summary: 'x' });
    await complete(sectionhead, (await taskOf(sectionhead, instance.id, 'present')).id, { decision: 'return', endorsement: 'ข้อมูลไม่ครบ' });
    await taskOf(clerk, instance.id, 'screen');
  });

  it('shows overdue urgent work: due dates come from the urgency of the letter', async () => {
    const { instance } = await startInstance(clerk, 'incoming_letter', { document: { subject: 'ด่วนที่สุด', urgency: 4 } });
    const task = await taskOf(clerk, instance.id, 'screen');
    expect(task.urgency).to.equal(4);
    const due = new Date(task.dueAt!).getTime();
    expect(due - Date.now()).to.be.within(3.9 * 3600e3, 4.1 * 3600e3);
  });
});
