// A registered incoming letter starts its routing, and shows where it is and who holds it.
import { expect } from 'chai';
import { api, login, Session } from '../helpers/factories';
import { complete, taskOf } from '../helpers/workflow';
import { incomingLetter, registerOf } from '../registry/helpers';
import { ProcessInstance } from '../../server/db/models';

describe('registering an incoming letter routes it', () => {
  let clerk: Session;
  before(async () => {
    clerk = await login('clerk');
  });

  it('starts the routing process in the same step as registration, and the letter shows who holds it now', async () => {
    const doc = await api().post('/api/documents').set(clerk.auth).send(incomingLetter({ urgency: 'very_urgent', subject: 'ขอความร่วมมือสำรวจข้อมูลบุคลากร' }));
    expect(doc.status, JSON.stringify(doc.body)).to.equal(201);
    const reg = await api().post(`/api/registers/${await registerOf('clerk', 'incoming')}/entries`).set(clerk.auth).send({ documentId: doc.body.id });
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);

    const instance = await ProcessInstance.findOne({ where: { documentId: doc.body.id } });
    expect(instance!.processKey).to.equal('incoming_letter');
    const screen = await taskOf(clerk, Number(instance!.id), 'screen');
    expect(screen.urgency).to.equal(3);
    expect(screen.name).to.equal('ตรวจและสรุปเรื่อง');

    const route = await api().get(`/api/documents/${doc.body.id}/route`).set(clerk.auth);
    expect(route.status, JSON.stringify(route.body)).to.equal(200);
    expect(route.body.current.map((s: { name: string }) => s.name)).to.deep.equal(['ตรวจและสรุปเรื่อง']);
    expect(route.body.current[0].holders.map((h: { name: string }) => h.name)).to.deep.equal(['เจ้าหน้าที่สารบรรณ']);

    await complete(clerk, screen.id, { summary: 'ขอข้อมูลภายใน 7 วัน' });
    const moved = await api().get(`/api/documents/${doc.body.id}/route`).set(clerk.auth);
    expect(moved.body.current[0].holders.map((h: { name: string }) => h.name)).to.deep.equal(['หัวหน้ากลุ่มงานสารบรรณ']);
    expect(moved.body.done.map((s: { name: string }) => s.name)).to.deep.equal(['ตรวจและสรุปเรื่อง']);

    const outsider = await api().get(`/api/documents/${doc.body.id}/route`).set((await login('cm.clerk')).auth);
    expect(outsider.status).to.be.oneOf([403, 404]);
  });

  it('keeps a secret letter’s subject out of its tasks', async () => {
    const doc = await api().post('/api/documents').set(clerk.auth).send(incomingLetter({ secrecy: 'confidential', subject: 'เรื่องลับเฉพาะ' }));
    expect(doc.status, JSON.stringify(doc.body)).to.equal(201);
    const reg = await api().post(`/api/registers/${await registerOf('clerk', 'incoming')}/entries`).set(clerk.auth).send({ documentId: doc.body.id });
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    const instance = await ProcessInstance.findOne({ where: { documentId: doc.body.id } });
    const { items } = (await api().get('/api/tasks').query({ limit: 200 }).set(clerk.auth)).body as { items: Array<{ instanceId: number; title: string | null }> };
    const task = items.find((t) => t.instanceId === Number(instance!.id));
    expect(task!.title).to.not.include('เรื่องลับเฉพาะ');
  });
});
