// The secret register (ทะเบียนหนังสือลับ): secret letters received and sent take their numbers in
// one gap-free series of the organisation's secret register, kept by the secrets custodian; the
// ordinary books never carry them, and nobody else learns that the book exists.
import crypto from 'node:crypto';
import { expect } from 'chai';
import { api, buildOrganisation, buildUser, login, Session } from '../helpers/factories';
import { buddhistYear } from '../../server/lib/thai-date';
import { Document, Organisation, RegisterCounter, RegisterEntry } from '../../server/db/models';
import { custodian as centralCustodian, incomingLetter, outgoingLetter, registerOf } from './helpers';

type Book = { id: number; kind: string; unitId: number | null };

describe('the secret register (ทะเบียนหนังสือลับ)', () => {
  let org: Organisation;
  let clerk: Session, custodian: Session, officer: Session;
  let secretBook: number, incomingBook: number, outgoingBook: number;
  const year = buddhistYear(new Date());
  const books = async (s: Session) => (await api().get('/api/registers').set(s.auth)).body.items as Book[];
  const draft = async (s: Session, body: Record<string, unknown>) => {
    const res = await api().post('/api/documents').set(s.auth).send(body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.id as number;
  };
  const take = (s: Session, reg: number, body: Record<string, unknown> = {}) => api().post(`/api/registers/${reg}/entries`).set(s.auth).send(body);
  const numbers = async (s: Session, reg: number) =>
    (await api().get(`/api/registers/${reg}/entries`).query({ year, limit: 1000 }).set(s.auth)).body.items as Array<{ number: number; documentId: number | null; direction: string; subject: string | null; row: Record<string, string> }>;

  before(async () => {
    org = await buildOrganisation();
    [clerk, custodian, officer] = await Promise.all(
      (['registry_clerk', 'secrets_custodian', 'staff'] as const).map(async (role) => login((await buildUser(org.id, { roles: [...new Set([role, 'staff'] as const)] })).username)),
    );
    const kept = await books(custodian);
    secretBook = kept.find((r) => r.kind === 'secret')!.id;
    incomingBook = kept.find((r) => r.kind === 'incoming')!.id;
    outgoingBook = kept.find((r) => r.kind === 'outgoing')!.id;
  });

  it('is listed for the custodian only, once per organisation; anyone else gets 404 for it', async () => {
    expect((await books(custodian)).filter((r) => r.kind === 'secret')).to.have.length(1);
    for (const s of [clerk, officer, await centralCustodian()]) {
      expect((await books(s)).map((r) => r.id)).to.not.include(secretBook);
      for (const path of [`/api/registers/${secretBook}/entries`, `/api/registers/${secretBook}/export.csv?year=${year}`, `/api/registers/${secretBook}/export.html?year=${year}`]) {
        const res = await api().get(path).set(s.auth);
        expect(res.status, path).to.equal(404);
        expect(res.body.error.code).to.equal('not_found');
      }
      expect((await take(s, secretBook)).status).to.equal(404);
    }
  });

  it('numbers a secret letter received or sent in the secret register and never in an ordinary one', async () => {
    const received = await draft(clerk, incomingLetter({ secrecy: 'confidential', subject: 'แจ้งผลการสอบสวนเป็นการลับ' }));
    const refused = await take(clerk, incomingBook, { documentId: received });
    expect(refused.status).to.equal(422);
    expect(refused.body.error.message).to.contain('secret register');
    const normal = await take(clerk, incomingBook, { documentId: await draft(clerk, incomingLetter()) });
    expect(normal.body.entry.number, 'the refusal took no ordinary number').to.equal(1);

    const inSecret = await take(custodian, secretBook, { documentId: received });
    expect(inSecret.status, JSON.stringify(inSecret.body)).to.equal(201);
    expect(inSecret.body.entry).to.include({ number: 1, direction: 'incoming', registerId: secretBook });
    expect(inSecret.body.document.registration).to.include({ kind: 'secret', number: 1 });
    expect(inSecret.body.document.letterNumber).to.equal('นร 0105/123'); // the sender's number stays

    const sent = await take(custodian, secretBook, { documentId: await draft(officer, outgoingLetter({ secrecy: 'secret' })) });
    expect(sent.body.entry).to.include({ number: 2, direction: 'outgoing' });
    expect(sent.body.document.letterNumber).to.equal(`${org.agencyCode}/ลับ 2`);
    const ordinary = await take(clerk, outgoingBook, { documentId: await draft(officer, outgoingLetter()) });
    expect(ordinary.body.document.letterNumber, 'the ordinary series is apart').to.equal(`${org.agencyCode}/1`);

    const notSecret = await take(custodian, secretBook, { documentId: await draft(officer, outgoingLetter()) });
    expect(notSecret.status).to.equal(422);
    expect(notSecret.body.error.message).to.contain('only secret letters');

    const listed = await numbers(custodian, secretBook);
    expect(listed.map((e) => [e.number, e.direction, e.row.direction, e.row.secrecy])).to.deep.equal([[1, 'incoming', 'รับ', 'ลับ'], [2, 'outgoing', 'ส่ง', 'ลับมาก']]);
    expect(listed[0].subject).to.contain('สอบสวน');
    for (const reg of [incomingBook, outgoingBook]) {
      const lines = await numbers(clerk, reg);
      expect(lines.map((e) => e.documentId), 'no secret letter in an ordinary book').to.not.include.members([received, sent.body.document.id]);
    }
  });

  it('keeps one gap-free series for both ways under parallel registrations, apart from the ordinary books', async function () {
    this.timeout(60000);
    const secretBefore = (await numbers(custodian, secretBook)).length;
    const outgoingBefore = (await numbers(clerk, outgoingBook)).length;
    const secret = await Promise.all(Array.from({ length: 12 }, (_, i) => draft(i % 2 ? officer : clerk, i % 2 ? outgoingLetter({ secrecy: 'confidential' }) : incomingLetter({ secrecy: 'secret' }))));
    const normal = await Promise.all(Array.from({ length: 6 }, () => draft(officer, outgoingLetter())));
    const results = await Promise.all([
      ...secret.map((documentId) => take(custodian, secretBook, { documentId, idempotencyKey: crypto.randomUUID() })),
      ...normal.map((documentId) => take(clerk, outgoingBook, { documentId })),
      take(custodian, secretBook, { direction: 'outgoing', note: 'จองเลขหนังสือลับ' }),
    ]);
    expect(results.filter((r) => r.status !== 201).map((r) => r.body)).to.deep.equal([]);
    const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
    expect((await numbers(custodian, secretBook)).map((e) => e.number)).to.deep.equal(range(1, secretBefore + 13));
    expect((await numbers(clerk, outgoingBook)).map((e) => e.number)).to.deep.equal(range(1, outgoingBefore + 6));
    expect((await RegisterCounter.findOne({ where: { registerId: secretBook, year } }))!.lastNumber).to.equal(secretBefore + 13);
  });

  it("never shows the secret register's letters to others: not in registers, exports or search", async () => {
    const subject = 'แผนรักษาความปลอดภัยสถานที่ราชการ';
    const id = await draft(custodian, outgoingLetter({ secrecy: 'confidential', subject }));
    expect((await take(custodian, secretBook, { documentId: id })).status).to.equal(201);
    for (const reg of (await books(clerk)).map((r) => r.id)) {
      const csv = await api().get(`/api/registers/${reg}/export.csv`).query({ year }).set(clerk.auth);
      expect(csv.status).to.equal(200);
      expect(csv.text).to.not.contain(subject);
    }
    const search = (s: Session, query: Record<string, unknown>) => api().get('/api/search/documents').query(query).set(s.auth);
    for (const query of [{ q: 'รักษาความปลอดภัย' }, { registerId: secretBook }, { secrecy: 'confidential' }]) {
      const res = await search(clerk, query);
      expect(res.status).to.equal(200);
      expect(res.body.items.map((d: { id: number }) => d.id), JSON.stringify(query)).to.not.include(id);
    }
    expect((await search(custodian, { registerId: secretBook })).body.items.map((d: { id: number }) => d.id)).to.include(id);
    const csv = await api().get(`/api/registers/${secretBook}/export.csv`).query({ year }).set(custodian.auth);
    expect(csv.text.replace(/^\uFEFF/, '').split('\n')[0]).to.equal('เลขทะเบียน,รับ/ส่ง,วันที่ลงทะเบียน,เวลา,ชั้นความลับ,ที่,ลงวันที่,จาก,ถึง,เรื่อง,การปฏิบัติ,หมายเหตุ');
    expect(csv.text).to.contain(subject);
  });

  it('lets only the custodian void a secret number, and refuses a direction where the book or letter decides it', async () => {
    const taken = await take(custodian, secretBook, { direction: 'incoming' });
    expect(taken.status, JSON.stringify(taken.body)).to.equal(201);
    expect(taken.body.entry).to.include({ direction: 'incoming', letterNumber: null, status: 'reserved' });
    const entry = taken.body.entry.id;
    expect((await api().get(`/api/register-entries/${entry}`).set(clerk.auth)).status).to.equal(404);
    expect((await api().post(`/api/register-entries/${entry}/void`).set(clerk.auth).send({ reason: 'ลงผิดเล่ม' })).status).to.equal(404);
    expect((await api().post(`/api/register-entries/${entry}/void`).set(custodian.auth).send({ reason: 'ลงผิดเล่ม' })).body.status).to.equal('voided');

    expect((await take(clerk, outgoingBook, { direction: 'incoming' })).status).to.equal(422);
    const withDoc = await take(custodian, secretBook, { documentId: await draft(officer, outgoingLetter({ secrecy: 'secret' })), direction: 'outgoing' });
    expect(withDoc.status).to.equal(422);
    expect(withDoc.body.error.details[0].field).to.equal('direction');
    const bad = await take(custodian, secretBook, { direction: 'sideways' });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).to.include('direction');
    expect((await take(custodian, outgoingBook, {})).status, 'the custodian is no registry clerk').to.equal(403);
  });

  it('keeps a secret letter numbered in an ordinary book before the secret register there with its number, shown only to its readers', async () => {
    // As the data of an earlier version left it: the line and the letter written as it wrote them.
    const id = await draft(officer, outgoingLetter({ secrecy: 'confidential', subject: 'รายงานลับฉบับเก่า' }));
    const counter = await RegisterCounter.findOne({ where: { registerId: outgoingBook, year } });
    const number = counter!.lastNumber + 1;
    await counter!.update({ lastNumber: number });
    const letterNumber = `${org.agencyCode}/${number}`;
    await RegisterEntry.create({ registerId: outgoingBook, year, number, direction: 'outgoing', documentId: id, status: 'registered', letterNumber, registeredAt: new Date() });
    await Document.update({ status: 'registered', registerId: outgoingBook, registerYear: year, registerNumber: number, registeredAt: new Date(), letterNumber }, { where: { id } });

    const line = async (s: Session) => (await numbers(s, outgoingBook)).find((e) => e.number === number)!;
    expect((await line(clerk)).row).to.include({ number, letterNumber: '', from: '', to: '', subject: '(ลับ)', remarks: 'ลับ' });
    expect((await line(custodian)).row).to.include({ letterNumber, subject: 'รายงานลับฉบับเก่า' });
    expect((await line(officer)).row, 'its author reads it').to.include({ subject: 'รายงานลับฉบับเก่า' });
    const doc = await api().get(`/api/documents/${id}`).set(officer.auth);
    expect(doc.body.registration).to.include({ registerId: outgoingBook, number });
    expect(doc.body.letterNumber).to.equal(letterNumber);
    expect(await registerOf(clerk, 'outgoing')).to.equal(outgoingBook);
  });
});
