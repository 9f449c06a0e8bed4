// The citizens' e-channel under attack: no, a forged, an expired or a replayed proof of work; bursts
// from one address and from one ID number; oversized, too many and mistyped files; HTML and script
// in every field; guessed tracking codes (no enumeration); another organisation's staff.
import { expect } from 'chai';
import request from 'supertest';
import { CitizenSubmission, Delivery, Document, MailMessage } from '../../server/db/models';
import { api } from '../helpers/factories';
import { as, Cast, theCast, tray, useTempFiles } from '../deliveries/helpers';
import { citizenApp, form, PDF, solvedProof, submitForm } from './helpers';

describe("the citizens' e-channel against hostile use", () => {
  useTempFiles();
  let c: Cast;
  let app: ReturnType<typeof citizenApp>;
  before(async function () {
    this.timeout(120000);
    c = await theCast();
    app = citizenApp();
  });
  // The citizens' mails of these tests are not sent to a later test's SMTP server.
  after(() => MailMessage.destroy({ where: { kind: 'citizen' } }));

  const stored = async () => [await CitizenSubmission.count(), await Document.count(), await Delivery.count()];

  it('stores nothing without a valid proof of work: none (403), forged (403), expired (403), used twice (409)', async () => {
    const before = await stored();
    const none = await submitForm(app, 'MOPH-OPS', form());
    expect(none.status).to.equal(403);
    expect(none.body.error.code).to.equal('proof_of_work_failed');
    expect((await submitForm(app, 'MOPH-OPS', form(), 'bm90IGEgcHJvb2Y=')).status).to.equal(403);
    const good = JSON.parse(Buffer.from(await solvedProof(app), 'base64').toString());
    const forged = { ...good, solution: { ...good.solution, derivedKey: 'ab'.repeat(32) } };
    expect((await submitForm(app, 'MOPH-OPS', form(), Buffer.from(JSON.stringify(forged)).toString('base64'))).status).to.equal(403);
    const resigned = { ...good, challenge: { ...good.challenge, parameters: { ...good.challenge.parameters, cost: 1, expiresAt: good.challenge.parameters.expiresAt + 3600 } } };
    expect((await submitForm(app, 'MOPH-OPS', form(), Buffer.from(JSON.stringify(resigned)).toString('base64'))).status, 'a longer life is not signed').to.equal(403);
    const expiredApp = citizenApp({ powTtlSeconds: -60 });
    const expired = await submitForm(expiredApp, 'MOPH-OPS', form(), await solvedProof(expiredApp));
    expect(expired.status).to.equal(403);
    expect(expired.body.error.message).to.contain('expired');
    expect(await stored()).to.deep.equal(before);

    const proof = await solvedProof(app);
    expect((await submitForm(app, 'MOPH-OPS', form(), proof)).status).to.equal(201);
    const replay = await submitForm(app, 'MOPH-OPS', form(), proof);
    expect(replay.status).to.equal(409);
    expect(replay.body.error.code).to.equal('proof_of_work_used');
  });

  it('answers a burst from one address with 429, and more requests from one ID number in a day with 429', async () => {
    const burst = citizenApp({ submitPerAddress: { max: 2, windowMs: 60_000 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await submitForm(burst, 'MOPH-OPS', form(), await solvedProof(burst))).status);
    expect(statuses).to.deep.equal([201, 201, 429]);

    const perId = citizenApp({ perIdPerDay: 2 });
    const same = form().idNumber;
    const again = [];
    for (let i = 0; i < 3; i++) {
      const res = await submitForm(perId, 'MOPH-OPS', form({ idNumber: same.replace(/^(\d)(\d{4})/, '$1-$2-') }), await solvedProof(perId));
      again.push(res.status);
      if (res.status === 429) expect(res.body.error.code).to.equal('too_many_requests');
    }
    expect(again, 'the same number, however typed').to.deep.equal([201, 201, 429]);
  });

  it('refuses oversized (413), too many (413) and mistyped (415) files and a wrong ID check digit (422), storing nothing', async () => {
    const small = citizenApp({ fileMaxBytes: 1024, maxFiles: 2 });
    const before = await stored();
    const big = await submitForm(small, 'MOPH-OPS', form(), await solvedProof(small), [[Buffer.concat([PDF, Buffer.alloc(4096, 32)]), 'ใหญ่.pdf']]);
    expect(big.status).to.equal(413);
    const many = await submitForm(small, 'MOPH-OPS', form(), await solvedProof(small), [[PDF, 'a.pdf'], [PDF, 'b.pdf'], [PDF, 'c.pdf']]);
    expect(many.status).to.equal(413);
    const html = await submitForm(small, 'MOPH-OPS', form(), await solvedProof(small), [[Buffer.from('<html><script>alert(1)</script></html>'), 'รูป.pdf']]);
    expect(html.status).to.equal(415);
    expect(html.body.error.code).to.equal('unsupported_file_type');
    const id = form().idNumber;
    const wrongDigit = `${id.slice(0, 12)}${(Number(id[12]) + 1) % 10}`;
    const badId = await submitForm(small, 'MOPH-OPS', form({ idNumber: wrongDigit }), await solvedProof(small));
    expect(badId.status).to.equal(422);
    expect((await submitForm(small, 'MOPH-OPS', form({ email: 'not-an-address' }), await solvedProof(small))).status).to.equal(400);
    expect((await submitForm(small, 'NO-SUCH-OFFICE', form(), await solvedProof(small))).status).to.equal(404);
    expect((await request(small).post('/api/public/organisations/MOPH-OPS/submissions').send({ name: 'x' })).status, 'JSON is not the form').to.equal(415);
    expect(await stored()).to.deep.equal(before);
  });

  it('keeps HTML and script in every field as plain text, in the tray and on the tracking page', async () => {
    const evil = '<img src=x onerror=alert(1)><script>alert("x")</script>';
    const fields = form({ name: evil, address: evil, subject: `ขอข้อมูล ${evil}`, body: evil, email: 'evil@example.com' });
    const sent = await submitForm(app, 'MOPH-OPS', fields, await solvedProof(app));
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    expect(sent.headers['content-type']).to.match(/^application\/json/);
    const line = (await tray(c.clerk)).find((d) => d.letter.subject === `ขอข้อมูล ${evil}`)!;
    expect(line.sender.name).to.equal(evil);
    const tracked = await request(app).post('/api/public/track').send({ code: sent.body.trackingCode, email: 'evil@example.com' });
    expect(tracked.headers['content-type']).to.match(/^application\/json/);
    expect(tracked.body.subject).to.equal(`ขอข้อมูล ${evil}`);
  });

  it('gives a guessed code, a wrong e-mail and wrong digits the same 404, and never says which was wrong', async () => {
    const fields = form({ email: 'owner@example.com' });
    const { trackingCode } = (await submitForm(app, 'MOPH-OPS', fields, await solvedProof(app))).body;
    const other = trackingCode.slice(0, -1) + (trackingCode.endsWith('0') ? '1' : '0');
    const answers = [
      await request(app).post('/api/public/track').send({ code: trackingCode, email: 'someone@example.com' }),
      await request(app).post('/api/public/track').send({ code: trackingCode, idLast4: fields.idNumber.slice(-4) === '0000' ? '1111' : '0000' }),
      await request(app).post('/api/public/track').send({ code: other, email: 'owner@example.com' }),
      await request(app).post('/api/public/track').send({ code: 'AAAA-BBBB-CCCC-D', email: 'owner@example.com' }),
    ];
    expect(answers.map((a) => a.status)).to.deep.equal([404, 404, 404, 404]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size, 'one answer for all').to.equal(1);
    expect((await request(app).post('/api/public/track').send({ code: trackingCode })).status, 'a second detail is required').to.equal(400);
    const limited = citizenApp({ trackPerAddress: { max: 2, windowMs: 60_000 } });
    const tries = [];
    for (let i = 0; i < 3; i++) tries.push((await request(limited).post('/api/public/track').send({ code: trackingCode, email: 'x@example.com' })).status);
    expect(tries).to.deep.equal([404, 404, 429]);
  });

  it("shows another organisation's staff none of it (0 leaks)", async () => {
    const fields = form({ email: 'private@example.com', subject: 'เรื่องส่วนตัวของผู้ร้อง' });
    expect((await submitForm(app, 'MOPH-OPS', fields, await solvedProof(app))).status).to.equal(201);
    const s = (await CitizenSubmission.findOne({ where: { email: 'private@example.com' } }))!;
    for (const who of [c.cmClerk, c.thirdClerk]) {
      expect((await tray(who)).map((d) => d.letter.subject)).to.not.include('เรื่องส่วนตัวของผู้ร้อง');
      const list = await api().get('/api/citizens/submissions').set(who.auth);
      expect(JSON.stringify(list.body)).to.not.contain('private@example.com');
      expect((await api().get(`/api/citizens/submissions/${s.id}`).set(who.auth)).status).to.be.oneOf([403, 404]);
      expect((await api().get(`/api/deliveries/${s.deliveryId}`).set(who.auth)).status).to.equal(404);
      expect((await api().post(`/api/deliveries/${s.deliveryId}/accept`).set(who.auth)).status).to.equal(404);
    }
    const officer = await as('officer');
    expect((await api().get(`/api/citizens/submissions/${s.id}`).set(officer.auth)).status, 'staff who are not clerks').to.equal(403);
    expect((await api().get('/api/citizens/submissions').set(officer.auth)).status).to.equal(403);
    // The letter itself, held for the tray: its clerks open it, other staff of the organisation do not (yet).
    expect((await api().get(`/api/documents/${s.documentId}`).set(officer.auth)).status, 'staff who are not clerks, before acceptance').to.equal(404);
    expect((await api().get(`/api/documents/${s.documentId}`).set(c.clerk.auth)).status, 'the clerk who works the tray').to.equal(200);
  });
});
