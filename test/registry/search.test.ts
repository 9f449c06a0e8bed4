import { expect } from 'chai';
import { api, buildUser, login, orgByCode } from '../helpers/factories';
import { tokenize } from '../../server/modules/search/tokens';
import { thaiDateFull, thaiDateShort, thaiTime, buddhistYear } from '../../server/lib/thai-date';
import { letterNumberKey, formatLetterNumber } from '../../server/lib/letter-number';
import { as, incomingLetter, outgoingLetter, registerOf } from './helpers';

describe('Thai dates and letter numbers', () => {
  it('formats full, short and time forms in Bangkok time with B.E. years', () => {
    const d = new Date('2025-02-14T02:30:00Z'); // 09.30 in Bangkok
    expect(thaiDateFull(d)).to.equal('14 กุมภาพันธ์ 2568');
    expect(thaiDateShort(d)).to.equal('14 ก.พ. 68');
    expect(thaiTime(d)).to.equal('09.30 น.');
    expect(buddhistYear(new Date('2025-12-31T16:59:59Z'))).to.equal(2568);
    expect(buddhistYear(new Date('2025-12-31T17:00:00Z'))).to.equal(2569);
  });

  it('formats letter numbers and matches them whatever the spacing and digits', () => {
    expect(formatLetterNumber('outgoing', 'นร 0105', 123, 2568)).to.equal('นร 0105/123');
    expect(formatLetterNumber('circular', 'มท 0201.2', 15, 2568)).to.equal('มท 0201.2/ว 15');
    expect(formatLetterNumber('order', 'มท 0201.2', 15, 2568)).to.equal('15/2568');
    const key = letterNumberKey('นร 0105/123');
    expect(letterNumberKey('นร0105/123')).to.equal(key);
    expect(letterNumberKey('นร ๐๑๐๕/๑๒๓')).to.equal(key);
    expect(tokenize('นร0105/123')).to.deep.equal(tokenize('นร ๐๑๐๕/๑๒๓'));
  });

  it('segments unspaced Thai into words', () => {
    expect(tokenize('ขอเชิญประชุมคณะกรรมการ')).to.include.members(['ขอ', 'เชิญ', 'ประชุม']);
  });
});

describe('search', () => {
  let incomingId: number;
  let secretId: number;
  before(async () => {
    const clerk = (await as('clerk')).auth;
    const doc = await api().post('/api/documents').set(clerk).send(incomingLetter({ subject: 'ขอเชิญประชุมเชิงปฏิบัติการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์', letterNumber: 'นร ๐๑๐๕/๑๒๓๔', urgency: 'urgent' }));
    incomingId = doc.body.id;
    await api().post(`/api/registers/${await registerOf('clerk', 'incoming')}/entries`).set(clerk).send({ documentId: incomingId });
    // A second letter about a meeting, so that paging has two pages when this suite runs on its own.
    const second = await api().post('/api/documents').set(clerk).send(incomingLetter({ subject: 'ขอเชิญประชุมคณะทำงานจัดทำแผนปฏิบัติราชการ', letterNumber: 'นร 0105/5678' }));
    await api().post(`/api/registers/${await registerOf('clerk', 'incoming')}/entries`).set(clerk).send({ documentId: second.body.id });
    secretId = (await api().post('/api/documents').set(clerk).send(outgoingLetter({ subject: 'ผลการประชุมเชิงปฏิบัติการลับเฉพาะ', secrecy: 'confidential' }))).body.id;
  });

  it('finds a word inside unspaced Thai text in subject and body', async () => {
    const res = await api().get('/api/search/documents').query({ q: 'ปฏิบัติการ สารบรรณ' }).set((await as('officer')).auth);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.items.map((d: { id: number }) => d.id)).to.include(incomingId);
  });

  it('tells Thai words apart that differ only in a tone mark (ขอ, ข้อ): a letter may hold both, and each finds only its own', async () => {
    const clerk = (await as('clerk')).auth;
    const both = await api().post('/api/documents').set(clerk).send(incomingLetter({ subject: 'ขอความเห็นต่อข้อเสนอโครงการ', letterNumber: 'นร 0105/7001' }));
    expect(both.status, JSON.stringify(both.body)).to.equal(201);
    const clause = await api().post('/api/documents').set(clerk).send(incomingLetter({ subject: 'แก้ไขข้อบังคับว่าด้วยการประชุม', letterNumber: 'นร 0105/7002' }));
    expect(clause.status, JSON.stringify(clause.body)).to.equal(201);
    expect(tokenize('ขอความเห็นต่อข้อเสนอโครงการ')).to.include.members(['ขอ', 'ข้อ']);
    const found = async (q: string) => (await api().get('/api/search/documents').query({ q, limit: 100 }).set(clerk)).body.items.map((d: { id: number }) => d.id);
    expect(await found('ขอ')).to.include(both.body.id).and.not.include(clause.body.id);
    expect(await found('ข้อ')).to.include.members([both.body.id, clause.body.id]);
  });

  it('finds a letter number typed with other spacing and Arabic digits', async () => {
    const s = (await as('officer')).auth;
    for (const q of ['นร0105/1234', 'นร 0105/1234']) {
      const res = await api().get('/api/search/documents').query({ q }).set(s);
      expect(res.body.items.map((d: { id: number }) => d.id), q).to.include(incomingId);
    }
    const exact = await api().get('/api/search/documents').query({ letterNumber: 'นร0105/1234' }).set(s);
    expect(exact.body.items.map((d: { id: number }) => d.id)).to.deep.equal([incomingId]);
  });

  it('filters by type, direction, urgency, year, register and date range, and pages', async () => {
    const s = (await as('officer')).auth;
    const year = buddhistYear(new Date());
    const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
    const hit = await api().get('/api/search/documents').query({ q: 'ประชุม', direction: 'incoming', urgency: 'urgent', year, from: today, to: today, registerId: await registerOf('clerk', 'incoming') }).set(s);
    expect(hit.body.items.map((d: { id: number }) => d.id)).to.include(incomingId);
    const miss = await api().get('/api/search/documents').query({ q: 'ประชุม', urgency: 'most_urgent', direction: 'incoming' }).set(s);
    expect(miss.body.items.map((d: { id: number }) => d.id)).to.not.include(incomingId);
    const old = await api().get('/api/search/documents').query({ q: 'ประชุม', to: '2020-01-01' }).set(s);
    expect(old.body.items).to.deep.equal([]);
    const page1 = await api().get('/api/search/documents').query({ q: 'ประชุม', limit: 1 }).set(s);
    const page2 = await api().get('/api/search/documents').query({ q: 'ประชุม', limit: 1, offset: 1 }).set(s);
    expect(page1.body.items).to.have.length(1);
    expect(page1.body.hasMore).to.equal(true);
    expect(page2.body.items[0].id).to.not.equal(page1.body.items[0].id);
  });

  it('never returns documents the searcher may not read', async () => {
    const officer = await api().get('/api/search/documents').query({ q: 'ลับเฉพาะ' }).set((await as('officer')).auth);
    expect(officer.body.items).to.deep.equal([]);
    const author = await api().get('/api/search/documents').query({ q: 'ลับเฉพาะ' }).set((await as('clerk')).auth);
    expect(author.body.items.map((d: { id: number }) => d.id)).to.include(secretId); // other suites may add the clerk's own secret letters
    const otherOrg = await api().get('/api/search/documents').query({ q: 'ประชุม' }).set((await as('cm.clerk')).auth);
    expect(otherOrg.body.items.map((d: { id: number }) => d.id)).to.not.include(incomingId);
    const stranger = await buildUser((await orgByCode('ขก 0033')).id);
    const strangerRes = await api().get('/api/search/documents').query({ letterNumber: 'นร 0105/1234' }).set((await login(stranger.username)).auth);
    expect(strangerRes.body.items).to.deep.equal([]);
  });
});
