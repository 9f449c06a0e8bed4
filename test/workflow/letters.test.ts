// A registered incoming letter starts its routing, and shows where it is and who holds it.
import { expect } from 'chai';
import { api, login, Session } from '../helpers/factories';
import { complete, taskOf } from '../helpers/workflow';
import { incomingLetter, outgoingLetter, registerOf, registerSecret } from '../registry/helpers';
import { ProcessInstance, Unit, User } from '../../server/db/models';

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

  it('writes each step’s summary or endorsement into the letter’s chain (เกษียน), signed in the step’s position, in order', async () => {
    const doc = await api().post('/api/documents').set(clerk.auth).send(incomingLetter({ subject: 'ขอเชิญประชุมคณะทำงานเกษียนหนังสือ' }));
    const reg = await api().post(`/api/registers/${await registerOf('clerk', 'incoming')}/entries`).set(clerk.auth).send({ documentId: doc.body.id });
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    const instanceId = Number((await ProcessInstance.findOne({ where: { documentId: doc.body.id } }))!.id);
    const [sectionhead, director] = await Promise.all([login('sectionhead'), login('director')]);
    await complete(clerk, (await taskOf(clerk, instanceId, 'screen')).id, { summary: 'เชิญประชุม 5 ธ.ค.', recommendation: 'เห็นควรเสนอ ผอ.' });
    await complete(sectionhead, (await taskOf(sectionhead, instanceId, 'present')).id, { decision: 'forward', endorsement: 'เรียน ผอ. เพื่อโปรดพิจารณา' });
    await complete(director, (await taskOf(director, instanceId, 'present')).id, { decision: 'acknowledge', endorsement: 'ทราบ' });

    const chain = await api().get(`/api/documents/${doc.body.id}/endorsements`).set(clerk.auth);
    expect(chain.status, JSON.stringify(chain.body)).to.equal(200);
    const items = chain.body.items as Array<{ seq: number; text: string; decision: string | null; positionTitle: string | null; authorId: number }>;
    expect(items.map((e) => e.seq)).to.deep.equal([1, 2, 3]);
    expect(items[0].text).to.equal('สรุปเรื่อง: เชิญประชุม 5 ธ.ค.\nข้อเสนอ: เห็นควรเสนอ ผอ.');
    const idOf = async (username: string) => Number((await User.findOne({ where: { username } }))!.id);
    expect(items[0].authorId).to.equal(await idOf('clerk'));
    expect([items[1].text, items[1].decision]).to.deep.equal(['เรียน ผอ. เพื่อโปรดพิจารณา', null]);
    expect([items[2].text, items[2].decision, items[2].authorId]).to.deep.equal(['ทราบ', 'acknowledge', await idOf('director')]);
    expect(items[2].positionTitle).to.be.a('string').and.not.equal('');
  });

  it('keeps a secret letter’s subject out of its tasks', async () => {
    const doc = await api().post('/api/documents').set(clerk.auth).send(incomingLetter({ secrecy: 'confidential', subject: 'เรื่องลับเฉพาะ' }));
    expect(doc.status, JSON.stringify(doc.body)).to.equal(201);
    const reg = await registerSecret(doc.body.id);
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    const instance = await ProcessInstance.findOne({ where: { documentId: doc.body.id } });
    const { items } = (await api().get('/api/tasks').query({ limit: 200 }).set(clerk.auth)).body as { items: Array<{ instanceId: number; title: string | null }> };
    const task = items.find((t) => t.instanceId === Number(instance!.id));
    expect(task!.title).to.not.include('เรื่องลับเฉพาะ');
  });

  it('circulates a registered circular (ว) to units and tracks which have acknowledged', async () => {
    const doc = await api().post('/api/documents').set(clerk.auth).send(outgoingLetter({ subject: 'แจ้งเวียนแนวปฏิบัติการรับส่งหนังสือทางอิเล็กทรอนิกส์' }));
    expect(doc.status, JSON.stringify(doc.body)).to.equal(201);
    // Only a registered letter circulates.
    const [saraban, ict] = await Promise.all(['กลุ่มงานสารบรรณ', 'ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร'].map((nameTh) => Unit.findOne({ where: { nameTh } })));
    const early = await api().post(`/api/documents/${doc.body.id}/circulate`).set(clerk.auth).send({ unitIds: [saraban!.id] });
    expect(early.status).to.equal(409);
    const reg = await api().post(`/api/registers/${await registerOf('clerk', 'circular')}/entries`).set(clerk.auth).send({ documentId: doc.body.id });
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    expect(reg.body.entry.letterNumber).to.match(/\/ว /);

    const foreign = await api().post(`/api/documents/${doc.body.id}/circulate`).set(clerk.auth).send({ unitIds: [saraban!.id, 99999] });
    expect(foreign.status).to.equal(422);
    expect((await api().post(`/api/documents/${doc.body.id}/circulate`).set((await login('officer')).auth).send({ unitIds: [saraban!.id] })).status).to.equal(403);

    const res = await api().post(`/api/documents/${doc.body.id}/circulate`).set(clerk.auth).send({ unitIds: [saraban!.id, ict!.id] });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const route = await api().get(`/api/documents/${doc.body.id}/route`).set(clerk.auth);
    const waiting = route.body.current.filter((s: { instanceId: number }) => s.instanceId === res.body.instanceId);
    expect(waiting.map((s: { holders: Array<{ name: string }> }) => s.holders[0].name).sort()).to.deep.equal(['กลุ่มงานสารบรรณ', 'ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร'].sort());

    const officer = await login('officer');
    await complete(officer, (await taskOf(officer, res.body.instanceId, 'acknowledge')).id);
    const after = await api().get(`/api/documents/${doc.body.id}/route`).set(clerk.auth);
    expect(after.body.current.filter((s: { instanceId: number }) => s.instanceId === res.body.instanceId).map((s: { holders: Array<{ name: string }> }) => s.holders[0].name)).to.deep.equal(['ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร']);
    const admin = await login('admin');
    await complete(admin, (await taskOf(admin, res.body.instanceId, 'acknowledge')).id);
    expect((await ProcessInstance.findByPk(res.body.instanceId))!.status).to.equal('completed');
  });
});
