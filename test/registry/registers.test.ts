import crypto from 'node:crypto';
import { expect } from 'chai';
import { api, buildOrganisation, buildUser, login, orgByCode } from '../helpers/factories';
import { testEnv } from '../helpers/env';
import { loadActor } from '../../server/modules/auth/actor';
import { register } from '../../server/modules/registers/service';
import { OutboxEvent, ProcessInstance, Task, Unit, User } from '../../server/db/models';
import { as, incomingLetter, outgoingLetter, registerOf } from './helpers';

describe('registers and running numbers', () => {
  it('gives 200 parallel registrations against one register exactly the numbers 1..200', async function () {
    this.timeout(120000);
    const org = await buildOrganisation();
    const clerk = await buildUser(org.id, { roles: ['registry_clerk', 'staff'] });
    const s = await login(clerk.username);
    const regs = await api().get('/api/registers').set(s.auth);
    const outgoing = regs.body.items.find((r: { kind: string }) => r.kind === 'outgoing').id;
    const results = await Promise.all(
      Array.from({ length: 200 }, () => api().post(`/api/registers/${outgoing}/entries`).set(s.auth).send({ idempotencyKey: crypto.randomUUID() })),
    );
    const failures = results.filter((r) => r.status !== 201);
    expect(failures.map((r) => r.body), 'failed registrations').to.deep.equal([]);
    const numbers = results.map((r) => r.body.entry.number).sort((a, b) => a - b);
    expect(numbers).to.deep.equal(Array.from({ length: 200 }, (_, i) => i + 1));
    const listed = await api().get(`/api/registers/${outgoing}/entries`).query({ limit: 1000 }).set(s.auth);
    expect(listed.body.items.map((e: { number: number }) => e.number)).to.deep.equal(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('registers 200 incoming letters in parallel, each starting its routing, with exactly the numbers 1..200 and no 5xx', async function () {
    this.timeout(180000);
    // An office below the demo ministry: it routes letters with the ministry's incoming_letter process.
    const org = await buildOrganisation({ parentId: (await orgByCode('สธ')).id });
    const clerk = await buildUser(org.id, { roles: ['registry_clerk', 'staff'] });
    const s = await login(clerk.username);
    const regs = await api().get('/api/registers').set(s.auth);
    const incoming = regs.body.items.find((r: { kind: string; unitId: number | null }) => r.kind === 'incoming' && r.unitId === null).id;
    const docs: number[] = [];
    for (let i = 0; i < 200; i += 20) {
      const made = await Promise.all(Array.from({ length: 20 }, (_, j) => api().post('/api/documents').set(s.auth).send(incomingLetter({ letterNumber: `นร 0105/${i + j + 1}` }))));
      docs.push(...made.map((r) => { expect(r.status, JSON.stringify(r.body)).to.equal(201); return r.body.id as number; }));
    }
    const stray = testEnv().ctx.db.strayQueries;
    Object.assign(stray, { count: 0, samples: [] });
    const results = await Promise.all(docs.map((documentId) => api().post(`/api/registers/${incoming}/entries`).set(s.auth).send({ documentId })));
    // A query outside the registration's transaction is what starved MariaDB's pool.
    expect(stray.samples, 'queries outside the registration transaction').to.deep.equal([]);
    expect(results.filter((r) => r.status !== 201).map((r) => `${r.status} ${JSON.stringify(r.body)}`), 'failed registrations').to.deep.equal([]);
    expect(results.map((r) => r.body.entry.number).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 200 }, (_, i) => i + 1));
    // Each letter's routing started with its registration: one instance per letter, each waiting at screening.
    const instances = await ProcessInstance.findAll({ where: { documentId: docs, processKey: 'incoming_letter' } });
    expect(instances.map((i) => Number(i.documentId)).sort((a, b) => a - b)).to.deep.equal([...docs].sort((a, b) => a - b));
    expect(await Task.count({ where: { documentId: docs, elementId: 'screen', status: 'open' } })).to.equal(200);
  });

  it('returns the same number when a client retries with the same idempotency key', async () => {
    const s = await as('clerk');
    const reg = await registerOf('clerk', 'circular');
    const key = crypto.randomUUID();
    const first = await api().post(`/api/registers/${reg}/entries`).set(s.auth).send({ idempotencyKey: key });
    const again = await api().post(`/api/registers/${reg}/entries`).set(s.auth).send({ idempotencyKey: key });
    expect(first.status).to.equal(201);
    expect(again.status).to.equal(201);
    expect(again.headers['idempotent-replayed']).to.equal('true');
    expect(again.body.replayed).to.equal(true);
    expect(again.body.entry.number).to.equal(first.body.entry.number);
    const next = await api().post(`/api/registers/${reg}/entries`).set(s.auth).send({ idempotencyKey: crypto.randomUUID() });
    expect(next.body.entry.number).to.equal(first.body.entry.number + 1);
  });

  it('gives ten simultaneous retries with one idempotency key one number and one line', async () => {
    const s = await as('clerk');
    const reg = await registerOf('clerk', 'circular');
    const key = crypto.randomUUID();
    const all = await Promise.all(Array.from({ length: 10 }, () => api().post(`/api/registers/${reg}/entries`).set(s.auth).send({ idempotencyKey: key })));
    expect(all.map((r) => r.status)).to.deep.equal(Array(10).fill(201));
    expect(new Set(all.map((r) => r.body.entry.number)).size).to.equal(1);
    expect(all.filter((r) => !r.body.replayed)).to.have.length(1);
  });

  it('keeps a voided number in the register as voided and never gives it out again', async () => {
    const s = await as('clerk');
    const reg = await registerOf('clerk', 'circular');
    const taken = await api().post(`/api/registers/${reg}/entries`).set(s.auth).send({});
    const voided = await api().post(`/api/register-entries/${taken.body.entry.id}/void`).set(s.auth).send({ reason: 'ออกเลขซ้ำซ้อน' });
    expect(voided.status).to.equal(200);
    expect(voided.body.status).to.equal('voided');
    const next = await api().post(`/api/registers/${reg}/entries`).set(s.auth).send({});
    expect(next.body.entry.number).to.equal(taken.body.entry.number + 1);
    const listed = await api().get(`/api/registers/${reg}/entries`).set(s.auth);
    expect(listed.body.items.find((e: { number: number }) => e.number === taken.body.entry.number).status).to.equal('voided');
  });

  it('voids a numbered letter: the line stays voided, the letter can be numbered again with the next number', async () => {
    const s = await as('clerk');
    const reg = await registerOf('clerk', 'outgoing');
    const doc = await api().post('/api/documents').set(s.auth).send(outgoingLetter());
    const first = await api().post(`/api/registers/${reg}/entries`).set(s.auth).send({ documentId: doc.body.id });
    await api().post(`/api/register-entries/${first.body.entry.id}/void`).set(s.auth).send({ reason: 'ลงเลขผิดฉบับ' });
    const again = await api().post(`/api/registers/${reg}/entries`).set(s.auth).send({ documentId: doc.body.id });
    expect(again.status, JSON.stringify(again.body)).to.equal(201);
    expect(again.body.entry.number).to.be.greaterThan(first.body.entry.number);
    expect(again.body.document.letterNumber).to.equal(`สธ 0201.1/${again.body.entry.number}`);
    const old = await api().get(`/api/register-entries/${first.body.entry.id}`).set(s.auth);
    expect(old.body).to.include({ status: 'voided', documentId: doc.body.id, voidReason: 'ลงเลขผิดฉบับ' });
  });

  it('restarts at 1 on 1 January, Bangkok time (B.E. = C.E. + 543)', async () => {
    const org = await buildOrganisation();
    const clerk = await buildUser(org.id, { roles: ['registry_clerk'] });
    const actor = (await loadActor(clerk.id))!;
    const s = await login(clerk.username);
    const reg = (await api().get('/api/registers').set(s.auth)).body.items.find((r: { kind: string }) => r.kind === 'incoming').id;
    const { sequelize } = testEnv().ctx.db;
    const late = await register(sequelize, actor, reg, { now: new Date('2025-12-31T16:59:59Z') }); // 23:59:59 on 31 Dec 2568 in Bangkok
    const later = await register(sequelize, actor, reg, { now: new Date('2025-12-31T16:59:59.500Z') });
    const newYear = await register(sequelize, actor, reg, { now: new Date('2025-12-31T17:00:00Z') }); // 00:00 on 1 Jan 2569
    expect([late.entry.year, late.entry.number]).to.deep.equal([2568, 1]);
    expect([later.entry.year, later.entry.number]).to.deep.equal([2568, 2]);
    expect([newYear.entry.year, newYear.entry.number]).to.deep.equal([2569, 1]);
  });

  it('dates an outgoing letter numbered just after midnight in Bangkok with the Bangkok day', async () => {
    const clerk = (await User.findOne({ where: { username: 'clerk' } }))!;
    const actor = (await loadActor(clerk.id))!;
    const doc = await api().post('/api/documents').set((await as('clerk')).auth).send(outgoingLetter());
    const reg = await registerOf('clerk', 'circular', (await Unit.findOne({ where: { nameTh: 'กองกลาง' } }))!.id);
    const result = await register(testEnv().ctx.db.sequelize, actor, reg, { documentId: doc.body.id, now: new Date('2026-03-01T17:30:00Z') }); // 00.30 on 2 March in Bangkok
    expect(result.document!.letterDate).to.equal('2026-03-02');
    expect(result.entry.year).to.equal(2569);
  });

  it('stamps an incoming letter with receive number, date and time, and records letter.received', async () => {
    const s = await as('clerk');
    const doc = await api().post('/api/documents').set(s.auth).send(incomingLetter());
    expect(doc.status, JSON.stringify(doc.body)).to.equal(201);
    const res = await api().post(`/api/registers/${await registerOf('clerk', 'incoming')}/entries`).set(s.auth).send({ documentId: doc.body.id });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const stamp = res.body.document.registration;
    expect(stamp.kind).to.equal('incoming');
    expect(stamp.number).to.equal(res.body.entry.number);
    expect(stamp.dateTh).to.match(/^\d{1,2} [ก-๙.]+ \d{2}$/);
    expect(stamp.timeTh).to.match(/^\d{2}\.\d{2} น\.$/);
    expect(res.body.document.letterNumber).to.equal('นร 0105/123'); // the sender's number stays
    const event = await OutboxEvent.findOne({ where: { type: 'letter.received', subjectId: String(doc.body.id) } });
    expect(event).to.not.equal(null);
  });

  it('numbers outgoing letters from the unit code, circulars with ว and orders as N/B.E.-year', async () => {
    const s = await as('clerk');
    const clerk = (await User.findOne({ where: { username: 'clerk' } }))!;
    void clerk;
    const out = await api().post('/api/documents').set(s.auth).send(outgoingLetter());
    const outReg = await api().post(`/api/registers/${await registerOf('clerk', 'outgoing')}/entries`).set(s.auth).send({ documentId: out.body.id });
    expect(outReg.body.document.letterNumber).to.equal(`สธ 0201.1/${outReg.body.entry.number}`);

    const circ = await api().post('/api/documents').set(s.auth).send(outgoingLetter());
    const circReg = await api().post(`/api/registers/${await registerOf('clerk', 'circular')}/entries`).set(s.auth).send({ documentId: circ.body.id });
    expect(circReg.body.document.letterNumber).to.equal(`สธ 0201.1/ว ${circReg.body.entry.number}`);

    const order = await api().post('/api/documents').set(s.auth).send(outgoingLetter({ type: 'directive', subType: 'order', direction: 'internal' }));
    const orderReg = await api().post(`/api/registers/${await registerOf('clerk', 'order')}/entries`).set(s.auth).send({ documentId: order.body.id });
    expect(orderReg.body.document.letterNumber).to.equal(`${orderReg.body.entry.number}/${orderReg.body.entry.year}`);

    const notOrder = await api().post('/api/documents').set(s.auth).send(outgoingLetter());
    const refused = await api().post(`/api/registers/${await registerOf('clerk', 'order')}/entries`).set(s.auth).send({ documentId: notOrder.body.id });
    expect(refused.status).to.equal(422);
  });

  it('gives a unit that keeps its own book its own registers and numbers', async () => {
    const s = await as('clerk');
    const regs = (await api().get('/api/registers').set(s.auth)).body.items as Array<{ kind: string; unitId: number | null; id: number }>;
    const unitBooks = regs.filter((r) => r.unitId !== null);
    expect(unitBooks.map((r) => r.kind).sort()).to.deep.equal(['circular', 'incoming', 'order', 'outgoing']);
    const res = await api().post(`/api/registers/${unitBooks.find((r) => r.kind === 'outgoing')!.id}/entries`).set(s.auth).send({});
    expect(res.body.entry.number).to.equal(1);
  });

  it('lets only a registry clerk take numbers, and never in another organisation', async () => {
    const reg = await registerOf('clerk', 'outgoing');
    expect((await api().post(`/api/registers/${reg}/entries`).set((await as('officer')).auth).send({})).status).to.equal(403);
    expect((await api().post(`/api/registers/${reg}/entries`).set((await as('cm.clerk')).auth).send({})).status).to.equal(404);
  });
});
