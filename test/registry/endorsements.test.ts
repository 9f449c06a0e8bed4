import { expect } from 'chai';
import { api } from '../helpers/factories';
import { Position } from '../../server/db/models';
import { as, outgoingLetter } from './helpers';

describe('endorsements (เกษียน)', () => {
  let documentId: number;
  before(async () => {
    documentId = (await api().post('/api/documents').set((await as('officer')).auth).send(outgoingLetter({ direction: 'internal', type: 'internal' }))).body.id;
  });

  it('appends endorsements in order with decision, typed name, position and capacity', async () => {
    const officer = await api().post(`/api/documents/${documentId}/endorsements`).set((await as('officer')).auth)
      .send({ text: 'เรื่องนี้ขอรับการสนับสนุนข้อมูล เห็นควรแจ้งกองยุทธศาสตร์ฯ ดำเนินการ' });
    expect(officer.status, JSON.stringify(officer.body)).to.equal(201);
    expect(officer.body).to.include({ seq: 1, capacity: 'self', decision: null, positionTitle: 'นักจัดการงานทั่วไป' });

    const deputy = await Position.findOne({ where: { titleTh: 'รองปลัดกระทรวงสาธารณสุข' } });
    const director = await api().post(`/api/documents/${documentId}/endorsements`).set((await as('director')).auth)
      .send({ decision: 'assign', assignTo: 'กองยุทธศาสตร์และแผนงาน', text: 'ดำเนินการ', capacity: 'acting_for', positionId: deputy!.id });
    expect(director.status, JSON.stringify(director.body)).to.equal(201);
    expect(director.body.decisionTh).to.equal('มอบ กองยุทธศาสตร์และแผนงาน');
    expect(director.body.signatureBlock).to.equal('นายวิชัย ทองดี\nปฏิบัติราชการแทนรองปลัดกระทรวงสาธารณสุข');

    const chain = await api().get(`/api/documents/${documentId}/endorsements`).set((await as('sectionhead')).auth);
    expect(chain.body.items.map((e: { seq: number }) => e.seq)).to.deep.equal([1, 2]);
    expect(chain.body.items[1].capacity).to.equal('acting_for');
  });

  it('refuses a capacity the actor does not hold today (422)', async () => {
    const deputy = await Position.findOne({ where: { titleTh: 'รองปลัดกระทรวงสาธารณสุข' } });
    const res = await api().post(`/api/documents/${documentId}/endorsements`).set((await as('officer')).auth)
      .send({ decision: 'approve', capacity: 'acting_in_post', positionId: deputy!.id });
    expect(res.status).to.equal(422);
    expect(res.body.error.details[0].field).to.equal('capacity');
    const notMine = await api().post(`/api/documents/${documentId}/endorsements`).set((await as('officer')).auth).send({ decision: 'approve', positionId: deputy!.id });
    expect(notMine.status).to.equal(422);
  });

  it('has no route that edits or deletes an endorsement', async () => {
    const chain = await api().get(`/api/documents/${documentId}/endorsements`).set((await as('officer')).auth);
    const id = chain.body.items[0].id;
    for (const method of ['patch', 'put', 'delete'] as const) {
      const res = await api()[method](`/api/documents/${documentId}/endorsements/${id}`).set((await as('admin')).auth).send({ text: 'แก้' });
      expect(res.status).to.equal(404);
      expect(res.body.error.code).to.equal('route_not_found');
    }
    const after = await api().get(`/api/documents/${documentId}/endorsements`).set((await as('officer')).auth);
    expect(after.body.items[0].text).to.equal(chain.body.items[0].text);
  });

  it('needs a text or a decision, and assign needs to whom', async () => {
    const s = (await as('director')).auth;
    expect((await api().post(`/api/documents/${documentId}/endorsements`).set(s).send({})).status).to.equal(400);
    expect((await api().post(`/api/documents/${documentId}/endorsements`).set(s).send({ decision: 'assign' })).status).to.equal(400);
  });
});
