import { expect } from 'chai';
import { api } from '../helpers/factories';
import { as, incomingLetter, outgoingLetter, registerOf } from './helpers';

describe('documents', () => {
  it('creates each of the six types, with their sub-types, and refuses a sub-type of another type', async () => {
    const s = await as('officer');
    for (const [type, subType] of [['external', null], ['internal', null], ['sealed', null], ['directive', 'order'], ['public_relations', 'announcement'], ['evidence', 'minutes']] as const) {
      const res = await api().post('/api/documents').set(s.auth).send(outgoingLetter({ type, subType, direction: 'outgoing' }));
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.status).to.equal('draft');
      expect(res.body.version).to.equal(1);
    }
    const wrong = await api().post('/api/documents').set(s.auth).send(outgoingLetter({ type: 'directive', subType: 'news' }));
    expect(wrong.status).to.equal(422);
    expect(wrong.body.error.details[0].field).to.equal('subType');
  });

  it('refuses ลับที่สุด (top secret) with a clear 422: it may not travel electronically', async () => {
    const res = await api().post('/api/documents').set((await as('officer')).auth).send(outgoingLetter({ secrecy: 'top_secret' }));
    expect(res.status).to.equal(422);
    expect(res.body.error.message).to.contain('ลับที่สุด');
    expect(res.body.error.details[0].field).to.equal('secrecy');
  });

  it('needs a deadline for ด่วนภายใน and shows urgency in Thai with its interchange code', async () => {
    const s = await as('officer');
    const missing = await api().post('/api/documents').set(s.auth).send(outgoingLetter({ urgency: 'deadline' }));
    expect(missing.status).to.equal(422);
    expect(missing.body.error.details[0].field).to.equal('urgentBy');
    const ok = await api().post('/api/documents').set(s.auth).send(outgoingLetter({ urgency: 'deadline', urgentBy: '2025-02-14T02:30:00Z' }));
    expect(ok.status).to.equal(201);
    expect(ok.body.urgencyTh).to.equal('ด่วนภายใน 14 กุมภาพันธ์ 2568 เวลา 09.30 น.'); // a deadline in full, as the letter writes it
    const urgent = await api().post('/api/documents').set(s.auth).send(outgoingLetter({ urgency: 'most_urgent', secrecy: 'confidential' }));
    expect(urgent.body).to.include({ urgencyTh: 'ด่วนที่สุด', urgencyCode: '004', secrecyTh: 'ลับ', secrecyCode: '002' });
  });

  it('keeps versions while drafted and freezes the document once numbered (409)', async () => {
    const s = await as('clerk');
    const created = await api().post('/api/documents').set(s.auth).send(outgoingLetter());
    const id = created.body.id;
    const v2 = await api().patch(`/api/documents/${id}`).set(s.auth).send({ version: 1, subject: 'ขอส่งรายงานผลการดำเนินงาน ฉบับแก้ไข' });
    expect(v2.status, JSON.stringify(v2.body)).to.equal(200);
    expect(v2.body.version).to.equal(2);
    const stale = await api().patch(`/api/documents/${id}`).set(s.auth).send({ version: 1, subject: 'ชนกัน' });
    expect(stale.status).to.equal(409);
    const versions = await api().get(`/api/documents/${id}/versions`).set(s.auth);
    expect(versions.body.items.map((v: { version: number }) => v.version)).to.deep.equal([1, 2]);
    expect(versions.body.items[0].content.subject).to.equal('ขอส่งรายงานผลการดำเนินงาน');

    const reg = await api().post(`/api/registers/${await registerOf('clerk', 'outgoing')}/entries`).set(s.auth).send({ documentId: id });
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    const frozen = await api().patch(`/api/documents/${id}`).set(s.auth).send({ subject: 'แก้หลังออกเลข' });
    expect(frozen.status).to.equal(409);
    expect(frozen.body.error.message).to.contain('frozen');
  });

  it('keeps urgency and secrecy when an edit does not mention them', async () => {
    const s = await as('clerk');
    const created = await api().post('/api/documents').set(s.auth).send(outgoingLetter({ secrecy: 'secret', urgency: 'very_urgent' }));
    const edited = await api().patch(`/api/documents/${created.body.id}`).set(s.auth).send({ subject: 'แก้ไขเรื่องเท่านั้น' });
    expect(edited.status).to.equal(200);
    expect(edited.body).to.include({ secrecy: 'secret', urgency: 'very_urgent', subject: 'แก้ไขเรื่องเท่านั้น' });
    const topSecret = await api().patch(`/api/documents/${created.body.id}`).set(s.auth).send({ secrecy: 'top_secret' });
    expect(topSecret.status).to.equal(422);
  });

  it('lets only a registry clerk enter an incoming letter', async () => {
    const res = await api().post('/api/documents').set((await as('officer')).auth).send(incomingLetter());
    expect(res.status).to.equal(422);
  });
});
