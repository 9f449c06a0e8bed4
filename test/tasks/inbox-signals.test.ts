// The inbox as an office works it (issue 17): a ด่วนภายใน letter sorts by its own deadline among the
// ด่วนมาก ones and carries that deadline, across pages; the tasks that reached me through a
// position I act for say so and can be listed alone; and เรื่องที่ดำเนินการแล้ว lists what I
// completed, the latest first, page by page, to me only.
import { expect } from 'chai';
import { api, login, Session } from '../helpers/factories';
import { complete, startInstance, taskOf } from '../helpers/workflow';
import { incomingLetter, registerOf } from '../registry/helpers';
import { ProcessInstance } from '../../server/db/models';

type Listed = { id: number; instanceId: number; elementId: string; urgency: number; urgentBy: string | null; actingForPositionId: number | null; title: string | null; completedAt: string | null };

async function list(session: Session, path: string, query: Record<string, string | number> = {}) {
  const res = await api().get(`/api${path}`).query(query).set(session.auth);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body as { items: Listed[]; total: number };
}

/** A letter registered by the clerk: its screening step waits in the clerk's inbox. */
async function registered(clerk: Session, fields: Record<string, unknown>) {
  const doc = await api().post('/api/documents').set(clerk.auth).send(incomingLetter(fields));
  expect(doc.status, JSON.stringify(doc.body)).to.equal(201);
  const reg = await api().post(`/api/registers/${await registerOf('clerk', 'incoming')}/entries`).set(clerk.auth).send({ documentId: doc.body.id });
  expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
  return Number((await ProcessInstance.findOne({ where: { documentId: doc.body.id } }))!.id);
}

describe('the inbox order with ด่วนภายใน, acting-for and the done folder', () => {
  let clerk: Session, sectionhead: Session, director: Session, officer: Session;
  before(async () => {
    [clerk, sectionhead, director, officer] = await Promise.all(['clerk', 'sectionhead', 'director', 'officer'].map((u) => login(u)));
  });

  it('sorts a ด่วนภายใน letter by its own deadline among the ด่วนมาก ones, shows that deadline, and pages the order on the server', async () => {
    const mark = `ภายในกำหนด${Date.now()}`;
    // Nearer than the 4 hours the process gives a ด่วนมาก letter's screening.
    const by = new Date(Date.now() + 3_600_000);
    by.setUTCSeconds(0, 0);
    // Arrival order: ปกติ, ด่วนมาก (no deadline), ด่วนภายใน, ด่วนที่สุด.
    await registered(clerk, { subject: `${mark} ปกติ`, urgency: 'normal' });
    await registered(clerk, { subject: `${mark} ด่วนมาก`, urgency: 'very_urgent' });
    await registered(clerk, { subject: `${mark} ด่วนภายใน`, urgency: 'deadline', urgentBy: by.toISOString() });
    await registered(clerk, { subject: `${mark} ด่วนที่สุด`, urgency: 'most_urgent' });

    const { items, total } = await list(clerk, '/tasks', { q: mark });
    expect(total).to.equal(4);
    expect(items.map((t) => t.title!.replace(`${mark} `, ''))).to.deep.equal(['ด่วนที่สุด', 'ด่วนภายใน', 'ด่วนมาก', 'ปกติ']);
    expect(items[1].urgentBy).to.equal(by.toISOString());
    expect(items.filter((t) => t.urgentBy).length).to.equal(1);

    // Page by page the server keeps the same order.
    const paged: string[] = [];
    for (let offset = 0; offset < 4; offset += 1) paged.push(...(await list(clerk, '/tasks', { q: mark, limit: 1, offset })).items.map((t) => t.title!.replace(`${mark} `, '')));
    expect(paged).to.deep.equal(['ด่วนที่สุด', 'ด่วนภายใน', 'ด่วนมาก', 'ปกติ']);
    // Nearest deadline first also counts the letter's own deadline.
    expect((await list(clerk, '/tasks', { q: mark, sort: 'due' })).items[0].urgentBy).to.equal(by.toISOString());
    // The task's own page carries it too.
    const detail = await api().get(`/api/tasks/${items[1].id}`).set(clerk.auth);
    expect(detail.body.urgentBy).to.equal(by.toISOString());
  });

  it('marks the tasks that reached the director through the deputy\'s position, lists them alone on request, and refuses a position he does not act for', async () => {
    const subject = `ถึงรองปลัด${Date.now()}`;
    const { instance } = await startInstance(clerk, 'incoming_letter', { document: { subject, urgency: 1 } });
    await complete(clerk, (await taskOf(clerk, instance.id, 'screen')).id, { summary: 'สรุป' });
    await complete(sectionhead, (await taskOf(sectionhead, instance.id, 'present')).id, { decision: 'forward', endorsement: 'เรียน ผอ.' });
    const own = (await list(director, '/tasks', { q: subject })).items;
    expect(own).to.have.length(1);
    expect(own[0].actingForPositionId).to.equal(null);
    await complete(director, own[0].id, { decision: 'forward', endorsement: 'เรียน รองปลัดฯ' });

    const me = await api().get('/api/me').set(director.auth);
    const deputy = (me.body.capacities as Array<{ positionId: number; capacity: string }>).find((c) => c.capacity !== 'self')!;
    const [acting] = (await list(director, '/tasks', { q: subject })).items;
    expect(acting.actingForPositionId).to.equal(deputy.positionId);
    const only = await list(director, '/tasks', { actingFor: deputy.positionId, limit: 200 });
    expect(only.items.map((t) => t.id)).to.include(acting.id);
    expect(only.items.every((t) => t.actingForPositionId === deputy.positionId)).to.equal(true);
    await complete(director, acting.id, { decision: 'acknowledge', endorsement: 'ทราบ' });

    const ownPosition = (me.body.capacities as Array<{ positionId: number; capacity: string }>).find((c) => c.capacity === 'self')!.positionId;
    const refused = await api().get('/api/tasks').query({ actingFor: ownPosition }).set(director.auth);
    expect(refused.status).to.equal(422);
    expect(refused.body.error.message).to.match(/[\u0E00-\u0E7F]/);
    expect((await api().get('/api/tasks').query({ actingFor: 'x' }).set(director.auth)).status).to.equal(400);
  });

  it('lists เรื่องที่ดำเนินการแล้ว: what I completed, the latest first, page by page, with the capacity, and to me only', async () => {
    const mark = `เสร็จแล้ว${Date.now()}`;
    const started: number[] = [];
    for (const n of [1, 2, 3]) started.push((await startInstance(clerk, 'incoming_letter', { document: { subject: `${mark} ${n}`, urgency: 1 } })).instance.id);
    for (const id of started) await complete(clerk, (await taskOf(clerk, id, 'screen')).id, { summary: 'สรุป' });

    const first = await list(clerk, '/tasks/done', { limit: 2 });
    expect(first.total).to.be.at.least(3);
    expect(first.items.map((t) => t.instanceId)).to.deep.equal([started[2], started[1]]);
    expect(first.items.every((t) => t.completedAt && t.title?.startsWith(mark))).to.equal(true);
    const second = await list(clerk, '/tasks/done', { limit: 2, offset: 2 });
    expect(second.items[0].instanceId).to.equal(started[0]);
    expect(first.items[0].actingForPositionId).to.equal(null);

    // Someone else's done folder does not hold them; the director's holds his acting-for step with its capacity.
    const others = await list(officer, '/tasks/done', { limit: 200 });
    expect(others.items.some((t) => started.includes(t.instanceId))).to.equal(false);
    const directors = await list(director, '/tasks/done', { limit: 200 });
    expect(directors.items.some((t) => t.actingForPositionId != null)).to.equal(true);

    expect((await api().get('/api/tasks/done').query({ limit: 0 }).set(clerk.auth)).status).to.equal(400);
    expect((await api().get('/api/tasks/done').query({ offset: -1 }).set(clerk.auth)).status).to.equal(400);
  });
});
