// Issue 13, items 7 (forms), 8 (messages) and 10 (errors and escalations from people): diagrams
// written the way Camunda Modeler 5 writes them, driven end to end through the HTTP API.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { api, login, Session } from '../helpers/factories';
import { complete, deployXml, startInstance, taskOf } from '../helpers/workflow';
import { HistoryEntry, ProcessInstance, Task } from '../../server/db/models';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/bpmn', name), 'utf8');

describe('Camunda 7 fidelity: what people do (issue 13 items 7, 8, 10)', () => {
  let designer: Session, clerk: Session, officer: Session;
  before(async () => {
    [designer, clerk, officer] = await Promise.all(['designer', 'clerk', 'officer'].map((u) => login(u)));
  });

  const instanceOf = async (id: number) => (await ProcessInstance.findByPk(id, { attributes: { exclude: ['state'] } }))!;
  const elementsOpen = async (instanceId: number) => (await Task.findAll({ where: { instanceId, status: 'open' }, order: [['id', 'ASC']] })).map((t) => t.elementId);

  describe('13-10 BPMN errors and escalations thrown from a user task', () => {
    const key = 'p13_10_task_errors';
    before(async () => {
      await deployXml(designer, fixture('13-10-task-errors.bpmn'));
    });

    it('a BPMN error with a code a boundary on the task catches: the task closes, the boundary path runs with the code and message variables, the instance ends', async () => {
      const { instance } = await startInstance(clerk, key);
      const review = await taskOf(clerk, instance.id, 'Task_review');
      const res = await api().post(`/api/tasks/${review.id}/bpmn-error`).set(clerk.auth).send({ errorCode: 'INVALID', message: 'ไม่มีลายมือชื่อ', variables: { checkedBy: 'clerk' } });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.caughtBy).to.equal('Boundary_invalid');
      expect(res.body.taskEnded).to.equal(true);
      expect(res.body.task.status).to.equal('completed');
      expect(res.body.next.map((t: { elementId: string; name: string }) => [t.elementId, t.name])).to.deep.equal([['Task_fix', 'แก้ไข: ไม่มีลายมือชื่อ (INVALID)']]);
      const row = (await Task.findByPk(review.id))!;
      expect([row.status, row.completedById]).to.deep.equal(['completed', (await HistoryEntry.findOne({ where: { taskId: review.id, event: 'task.bpmn_error' } }))!.userId]);
      const thrown = await HistoryEntry.findOne({ where: { taskId: review.id, event: 'task.bpmn_error' } });
      expect(JSON.parse(thrown!.detail!)).to.include({ errorCode: 'INVALID', message: 'ไม่มีลายมือชื่อ', caughtBy: 'Boundary_invalid' });
      expect(await elementsOpen(instance.id)).to.deep.equal(['Task_fix']);

      await complete(clerk, res.body.next[0].id);
      expect((await instanceOf(instance.id)).status).to.equal('completed');
      const path = (await HistoryEntry.findAll({ where: { instanceId: instance.id, event: 'activity.end' }, order: [['id', 'ASC']] })).map((h) => h.elementId);
      expect(path).to.include.members(['Boundary_invalid', 'Task_fix', 'Sub_end_fixed', 'Sub_check', 'End_done']);
      expect(path).to.not.include.members(['Task_abort']);
    });

    it('an error code only the sub-process around the task catches (a catch-all boundary) takes the sub-process boundary path', async () => {
      const { instance } = await startInstance(clerk, key);
      const review = await taskOf(clerk, instance.id, 'Task_review');
      const res = await api().post(`/api/tasks/${review.id}/bpmn-error`).set(clerk.auth).send({ errorCode: 'WITHDRAWN' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.caughtBy).to.equal('Boundary_any');
      expect(await elementsOpen(instance.id)).to.deep.equal(['Task_abort']);
      expect((await Task.findByPk(review.id))!.status).to.equal('completed');
      await complete(clerk, (await taskOf(clerk, instance.id, 'Task_abort')).id);
      expect((await instanceOf(instance.id)).status).to.equal('completed');
    });

    it('a non-interrupting escalation leaves the task open and starts the escalation path; both end the instance', async () => {
      const { instance } = await startInstance(clerk, key);
      const review = await taskOf(clerk, instance.id, 'Task_review');
      const res = await api().post(`/api/tasks/${review.id}/escalation`).set(clerk.auth).send({ escalationCode: 'LATE' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect([res.body.caughtBy, res.body.taskEnded, res.body.task.status]).to.deep.equal(['Boundary_late', false, 'open']);
      expect(res.body.next.map((t: { name: string }) => t.name)).to.deep.equal(['แจ้งหัวหน้า (LATE)']);
      expect(await HistoryEntry.count({ where: { taskId: review.id, event: 'task.escalation' } })).to.equal(1);
      expect(await elementsOpen(instance.id)).to.deep.equal(['Task_review', 'Task_notify']);
      await complete(clerk, (await taskOf(clerk, instance.id, 'Task_notify')).id);
      expect((await instanceOf(instance.id)).status).to.equal('running');
      await complete(clerk, review.id);
      expect((await instanceOf(instance.id)).status).to.equal('completed');
    });

    it('refuses a code nothing catches (422 listing the codes caught) and someone who may not complete the task (403); nothing changes', async () => {
      const { instance } = await startInstance(clerk, key);
      const review = await taskOf(clerk, instance.id, 'Task_review');
      const version = (await instanceOf(instance.id)).version;
      const uncaught = await api().post(`/api/tasks/${review.id}/escalation`).set(clerk.auth).send({ escalationCode: 'URGENT' });
      expect(uncaught.status, JSON.stringify(uncaught.body)).to.equal(422);
      expect(uncaught.body.error.message).to.contain('URGENT');
      expect(uncaught.body.error.details.map((d: { code: string; elementId: string }) => [d.code, d.elementId])).to.deep.equal([['LATE', 'Boundary_late']]);
      const stranger = await api().post(`/api/tasks/${review.id}/bpmn-error`).set(officer.auth).send({ errorCode: 'INVALID' });
      expect(stranger.status).to.be.oneOf([403, 404]);
      const noCode = await api().post(`/api/tasks/${review.id}/bpmn-error`).set(clerk.auth).send({ message: 'x' });
      expect(noCode.status).to.equal(400);
      expect((await instanceOf(instance.id)).version).to.equal(version);
      expect(await elementsOpen(instance.id)).to.deep.equal(['Task_review']);
      expect((await Task.findByPk(review.id))!.status).to.equal('open');
    });
  });
  describe('13-08 messages correlated by name', () => {
    const key = 'p13_08_message_names';
    before(async () => {
      await deployXml(designer, fixture('13-08-message-names.bpmn'));
    });
    const send = (id: number, body: Record<string, unknown>) => api().post(`/api/workflow/instances/${id}/messages`).set(clerk.auth).send(body);
    const active = async (id: number) => {
      const res = await api().get(`/api/workflow/instances/${id}`).set(clerk.auth);
      expect(res.status).to.equal(200);
      return res.body.activeElementIds as string[];
    };

    it('shows the instance waiting at its message start event, takes the message by name, says what it waits for when asked for another (409), and still takes a message id', async () => {
      const { instance, tasks } = await startInstance(clerk, key);
      expect(tasks).to.deep.equal([]);
      expect(await active(instance.id)).to.deep.equal(['Start_letter_in']);

      const wrong = await send(instance.id, { messageName: 'reply-received' });
      expect(wrong.status).to.equal(409);
      expect(wrong.body.error.message).to.contain('letter-in');
      expect(wrong.body.error.details).to.deep.equal([{ elementId: 'Start_letter_in', messageName: 'letter-in', messageId: 'Message_letter_in' }]);

      expect((await send(instance.id, { messageName: 'letter-in', variables: { source: 'saraban' } })).status).to.equal(200);
      await complete(clerk, (await taskOf(clerk, instance.id, 'Task_register')).id);
      expect(await active(instance.id)).to.deep.equal(['Catch_reply']);
      // The message element's id, as callers wrote before, is still understood.
      const res = await send(instance.id, { messageId: 'Message_reply' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.status).to.equal('completed');
      const received = await HistoryEntry.findAll({ where: { instanceId: instance.id, event: 'message.received' }, order: [['id', 'ASC']] });
      expect(received.map((h) => [h.elementId, JSON.parse(h.detail!).messageName])).to.deep.equal([['Start_letter_in', 'letter-in'], ['Catch_reply', 'reply-received']]);
    });

    it('accepts the name in the messageId field too (what a Camunda caller sends as messageName)', async () => {
      const { instance } = await startInstance(clerk, key);
      expect((await send(instance.id, { messageId: 'letter-in' })).status).to.equal(200);
      expect(await active(instance.id)).to.deep.equal(['Task_register']);
      expect((await send(instance.id, {})).status).to.equal(400);
    });
  });

  describe('13-07 form constraints and start forms', () => {
    const key = 'p13_07_form_constraints';
    before(async () => {
      await deployXml(designer, fixture('13-07-form-constraints.bpmn'));
    });
    const start = (variables: Record<string, unknown>) => api().post('/api/workflow/instances').set(clerk.auth).send({ processKey: key, variables });
    const fieldsOf = (res: { body: { error: { details: Array<{ field: string; message: string }> } } }) => res.body.error.details.map((d) => d.field);

    it('shows the start form, validates the start against it (required, minlength, maxlength, min, max; Thai first) and applies its defaults', async () => {
      const form = await api().get(`/api/workflow/definitions/${key}/start-form`).set(clerk.auth);
      expect(form.status, JSON.stringify(form.body)).to.equal(200);
      expect(form.body.fields.map((f: { id: string }) => f.id)).to.deep.equal(['subject', 'copies', 'urgent']);
      expect(form.body.fields[0]).to.deep.include({ required: true, constraints: { minlength: 5, maxlength: 100 } });
      expect(form.body.fields[1]).to.deep.include({ defaultValue: '1', constraints: { min: 1, max: 10 } });

      for (const [variables, field] of [[{}, 'subject'], [{ subject: 'สั้น' }, 'subject'], [{ subject: 'x'.repeat(101) }, 'subject'], [{ subject: 'ขอสำเนาคำสั่ง', copies: 0 }, 'copies'], [{ subject: 'ขอสำเนาคำสั่ง', copies: 11 }, 'copies'], [{ subject: 'ขอสำเนาคำสั่ง', urgent: 'yes' }, 'urgent']] as const) {
        const res = await start(variables);
        expect(res.status, JSON.stringify(variables)).to.equal(422);
        expect(fieldsOf(res)).to.deep.equal([field]);
        expect(res.body.error.message).to.match(/^แบบฟอร์ม/);
        expect(res.body.error.details[0].message).to.match(/^[\u0E00-\u0E7F]/);
      }
      const ok = await start({ subject: 'ขอสำเนาคำสั่ง' });
      expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
      expect(ok.body.tasks.map((t: { name: string }) => t.name)).to.deep.equal(['ตรวจ: ขอสำเนาคำสั่ง (1 ฉบับ)']);
    });

    it('enforces a task form\'s readonly, maxlength, min and max on completion, takes a required field the instance already has, and applies the defaults of fields left out', async () => {
      const { instance } = await startInstance(clerk, key, { subject: 'ขอสำเนาหนังสือเวียน', copies: 2, urgent: true });
      const review = await taskOf(clerk, instance.id, 'Task_review');
      const detail = await api().get(`/api/tasks/${review.id}`).set(clerk.auth);
      expect(detail.body.formFields.find((f: { id: string }) => f.id === 'requestedBy')).to.deep.include({ defaultValue: '${initiator}', constraints: { readonly: true } });
      for (const [variables, field] of [
        [{ decision: 'approve', requestedBy: 'someone' }, 'requestedBy'],
        [{ decision: 'approve', note: 'x'.repeat(21) }, 'note'],
        [{ decision: 'approve', days: 0 }, 'days'],
        [{ decision: 'approve', days: 31 }, 'days'],
        [{ note: 'ok' }, 'decision'],
        [{ decision: 'approve', subject: '' }, 'subject'],
      ] as const) {
        const res = await api().post(`/api/tasks/${review.id}/complete`).set(clerk.auth).send({ variables });
        expect(res.status, JSON.stringify(variables)).to.equal(422);
        expect(fieldsOf(res)).to.deep.equal([field]);
      }
      expect((await Task.findByPk(review.id))!.status).to.equal('open');
      const done = await complete(clerk, review.id, { decision: 'approve', note: 'ครบถ้วน' });
      // days left out → its default 7 (not above 10: the default flow); requestedBy ← ${initiator}.
      expect(done.next.map((t: { elementId: string; name: string }) => [t.elementId, t.name])).to.deep.equal([['Task_archive', 'เก็บเรื่อง 7 วัน ผู้ขอ clerk ด่วน true']]);
      await complete(clerk, done.next[0].id);
      expect((await instanceOf(instance.id)).status).to.equal('completed');
    });

    it('refuses at deploy a constraint that is a custom validator, naming the element', async () => {
      const res = await api().post('/api/workflow/definitions').set(designer.auth).send({ xml: fixture('13-07-form-custom-validator.bpmn') });
      expect(res.status).to.equal(422);
      const problem = res.body.error.details.find((d: { elementId: string }) => d.elementId === 'Task_review');
      expect(problem, JSON.stringify(res.body)).to.not.equal(undefined);
      expect(problem.message).to.match(/validator/);
    });
  });
});
