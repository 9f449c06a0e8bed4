// The มอบหมาย (assign to a unit) decision of an incoming letter: a unit left out, a name typed where
// a unit belongs, a unit that does not exist or is another ministry's is the executive's mistake:
// 422 with a Thai message tied to the assignUnitId field, the task stays open, nothing moves on.
import { expect } from 'chai';
import { api, buildOrganisation, buildUnit, login, type Session } from '../helpers/factories';
import { complete, startInstance, taskOf } from '../helpers/workflow';
import { Task, Unit } from '../../server/db/models';

describe('the มอบหมาย decision names a unit', () => {
  let clerk: Session, sectionhead: Session;
  before(async () => {
    [clerk, sectionhead] = await Promise.all(['clerk', 'sectionhead'].map((u) => login(u)));
  });

  async function presented() {
    const { instance } = await startInstance(clerk, 'incoming_letter', { document: { subject: 'ขอความร่วมมือปลูกป่าชายเลน', urgency: 1 } });
    await complete(clerk, (await taskOf(clerk, instance.id, 'screen')).id, { summary: 'ขอความร่วมมือ' });
    return { instanceId: instance.id, task: await taskOf(sectionhead, instance.id, 'present') };
  }
  const decide = (taskId: number, variables: Record<string, unknown>) =>
    api().post(`/api/tasks/${taskId}/complete`).set(sectionhead.auth).set('accept-language', 'th').send({ variables: { decision: 'assign', endorsement: 'มอบดำเนินการ', ...variables } });

  it('answers 422 with a Thai message on assignUnitId, not 500, when the unit is left out, and keeps the task open', async () => {
    const { task } = await presented();
    const res = await decide(task.id, {});
    expect(res.status, JSON.stringify(res.body)).to.equal(422);
    expect(res.body.error.message).to.contain('ยังไม่ได้เลือกหน่วยงาน');
    expect(res.body.error.message).to.contain('ดำเนินการตามที่ได้รับมอบหมาย'); // the step by its name, not its id
    expect(res.body.error.details[0].field).to.equal('assignUnitId');
    expect((await Task.findByPk(task.id))!.status).to.equal('open');
  });

  it('answers 422 in Thai for a unit name typed where its id belongs, a unit that does not exist and another ministry\'s unit', async () => {
    const { task } = await presented();
    const typed = await decide(task.id, { assignUnitId: 'กลุ่มงานสารบรรณ' });
    expect(typed.status).to.equal(422);
    expect(typed.body.error.details[0].field).to.equal('assignUnitId');
    expect(typed.body.error.details[0].message).to.contain('ต้องเป็นตัวเลข');

    const missing = await decide(task.id, { assignUnitId: 99999999 });
    expect(missing.status).to.equal(422);
    expect(missing.body.error.message).to.contain('ไม่มีหน่วยงานรหัส 99999999');

    const foreign = await buildUnit((await buildOrganisation()).id);
    const other = await decide(task.id, { assignUnitId: foreign.id });
    expect(other.status).to.equal(422);
    expect(other.body.error.details[0].field).to.equal('assignUnitId');
    expect((await Task.findByPk(task.id))!.status).to.equal('open');

    const saraban = await Unit.findOne({ where: { nameTh: 'กลุ่มงานสารบรรณ' } });
    expect((await decide(task.id, { assignUnitId: saraban!.id })).status).to.equal(200);
  });
});
