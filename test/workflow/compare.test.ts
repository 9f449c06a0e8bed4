// Comparing two deployed versions of a process (the modeler's "compare versions").
import { expect } from 'chai';
import { api, login } from '../helpers/factories';
import { bpmn, deployXml } from '../helpers/workflow';

const v1 = bpmn('leave_request', `
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="review" />
  <bpmn:userTask id="review" name="ตรวจสอบใบลา" camunda:candidateGroups="registry_clerk" camunda:dueDate="P3D" />
  <bpmn:boundaryEvent id="late" attachedToRef="review" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>P3D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
  <bpmn:sequenceFlow id="f_late" sourceRef="late" targetRef="late_end" />
  <bpmn:endEvent id="late_end" />
  <bpmn:sequenceFlow id="f1" sourceRef="review" targetRef="ok" />
  <bpmn:exclusiveGateway id="ok" default="f_no" />
  <bpmn:sequenceFlow id="f_yes" sourceRef="ok" targetRef="archive"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${approved}</bpmn:conditionExpression></bpmn:sequenceFlow>
  <bpmn:sequenceFlow id="f_no" sourceRef="ok" targetRef="end" />
  <bpmn:userTask id="archive" name="เก็บเข้าแฟ้ม" camunda:candidateGroups="registry_clerk" />
  <bpmn:sequenceFlow id="f2" sourceRef="archive" targetRef="end" />
  <bpmn:endEvent id="end" />`);

const v2 = v1
  .replace('name="ตรวจสอบใบลา" camunda:candidateGroups="registry_clerk" camunda:dueDate="P3D"', 'name="ตรวจสอบและเสนอใบลา" camunda:candidateGroups="supervisor" camunda:dueDate="P3D"')
  .replace('<bpmn:timeDuration>P3D</bpmn:timeDuration>', '<bpmn:timeDuration>PT8H</bpmn:timeDuration>')
  .replace('${approved}', "${decision == 'approve'}")
  .replace('<bpmn:userTask id="archive" name="เก็บเข้าแฟ้ม" camunda:candidateGroups="registry_clerk" />', '<bpmn:userTask id="notify" name="แจ้งผู้ขอลา" camunda:assignee="initiator" />')
  .replace('sourceRef="ok" targetRef="archive"', 'sourceRef="ok" targetRef="notify"')
  .replace('<bpmn:sequenceFlow id="f2" sourceRef="archive" targetRef="end" />', '<bpmn:sequenceFlow id="f3" sourceRef="notify" targetRef="end" />');

describe('comparing two versions of a process', () => {
  it('lists the elements added, removed and changed: names, performers, conditions, timers, flow ends', async () => {
    const designer = await login('designer');
    const a = await deployXml(designer, v1);
    const b = await deployXml(designer, v2);
    const res = await api().get('/api/workflow/definitions/leave_request/compare').query({ from: a.version, to: b.version }).set(designer.auth);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.added.map((e: { id: string }) => e.id).sort()).to.deep.equal(['f3', 'notify']);
    expect(res.body.removed.map((e: { id: string }) => e.id).sort()).to.deep.equal(['archive', 'f2']);
    const changed = Object.fromEntries(res.body.changed.map((c: { id: string; changes: Array<{ field: string; from: string | null; to: string | null }> }) => [c.id, c.changes]));
    expect(Object.keys(changed).sort()).to.deep.equal(['f_yes', 'late', 'review']);
    expect(changed.review).to.deep.equal([
      { field: 'name', from: 'ตรวจสอบใบลา', to: 'ตรวจสอบและเสนอใบลา' },
      { field: 'candidateGroups', from: 'registry_clerk', to: 'supervisor' },
    ]);
    expect(changed.late).to.deep.equal([{ field: 'timer', from: 'P3D', to: 'PT8H' }]);
    expect(changed.f_yes).to.deep.include.members([{ field: 'condition', from: '${approved}', to: "${decision == 'approve'}" }, { field: 'target', from: 'archive', to: 'notify' }]);

    const same = await api().get('/api/workflow/definitions/leave_request/compare').query({ from: b.version, to: b.version }).set(designer.auth);
    expect(same.body).to.deep.include({ added: [], removed: [], changed: [] });
  });

  it('answers 404 for a version or process that does not exist, and 400 without from/to', async () => {
    const designer = await login('designer');
    expect((await api().get('/api/workflow/definitions/leave_request/compare').query({ from: 1, to: 99 }).set(designer.auth)).status).to.equal(404);
    expect((await api().get('/api/workflow/definitions/leave_request/compare').query({ from: 1 }).set(designer.auth)).status).to.equal(400);
    expect((await api().get('/api/workflow/definitions/no_such_process/compare').query({ from: 1, to: 2 }).set(designer.auth)).status).to.equal(404);
  });
});
