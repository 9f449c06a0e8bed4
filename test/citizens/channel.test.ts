// The citizens' e-channel through the HTTP API: a person writes to the central office with a proof
// of work and a PDF, gets a tracking code (and a mail), the letter waits in the arrivals tray as a
// letter from a citizen, the clerk accepts it (the citizen sees the receive number and the unit),
// links the numbered reply, and the citizen downloads it; a rejection's reason reaches the citizen.
import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import request from 'supertest';
import { CitizenSubmission, MailMessage } from '../../server/db/models';
import { api } from '../helpers/factories';
import { act, as, Cast, numberedLetter, theCast, tray, useTempFiles } from '../deliveries/helpers';
import { citizenApp, form, PDF, solvedProof, submitForm } from './helpers';

type App = ReturnType<typeof citizenApp>;

describe("the citizens' e-channel", () => {
  useTempFiles();
  let c: Cast;
  let app: App;
  before(async function () {
    this.timeout(120000);
    c = await theCast();
    app = citizenApp();
  });
  // The citizens' mails of these tests are not sent to a later test's SMTP server.
  after(() => MailMessage.destroy({ where: { kind: 'citizen' } }));

  const track = (body: Record<string, string>) => request(app).post('/api/public/track').send(body);
  const mailsTo = async (address: string) => (await MailMessage.findAll({ where: { toAddress: address, kind: 'citizen' }, order: [['id', 'ASC']] })).map((m) => m.subject);

  it('takes a request with its file into the tray, lets the clerk accept and answer it, and lets the citizen follow it and download the answer', async function () {
    this.timeout(60000);
    const org = await request(app).get('/api/public/organisations/MOPH-OPS');
    expect(org.status).to.equal(200);
    expect(org.body).to.include({ code: 'MOPH-OPS', nameTh: c.central.nameTh });

    const fields = form({ email: 'Somsri.Path@example.com' });
    const sent = await submitForm(app, 'MOPH-OPS', fields, await solvedProof(app), [[PDF, 'ภาพถ่ายน้ำประปา.pdf']]);
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    expect(sent.body.trackingCode).to.match(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/);
    expect(sent.body.receiptPdf).to.equal('/api/public/track/receipt');
    expect(sent.headers['set-cookie'], 'the public pages set no cookies').to.equal(undefined);
    const code = sent.body.trackingCode as string;
    expect((await mailsTo('somsri.path@example.com'))[0]).to.contain('ได้รับคำร้องของท่านแล้ว').and.contain(code);

    // In the central office's tray, as a letter from a citizen; the clerk sees the contact data, the ID masked.
    const line = (await tray(c.clerk)).find((d) => d.sender.kind === 'citizen' && d.letter.subject === fields.subject)!;
    expect(line.sender).to.deep.equal({ kind: 'citizen', organisationId: null, agencyId: null, name: fields.name, agencyCode: null });
    expect(line.files.map((f: { filename: string; mime: string }) => [f.filename, f.mime])).to.deep.equal([['ภาพถ่ายน้ำประปา.pdf', 'application/pdf']]);
    const view = await api().get('/api/citizens/submissions').query({ deliveryId: line.id }).set(c.clerk.auth);
    expect(view.status).to.equal(200);
    const [s] = view.body.items;
    expect(s).to.include({ name: fields.name, address: fields.address, email: 'somsri.path@example.com', idNumberMasked: `•••••••••${fields.idNumber.slice(-4)}`, status: 'received' });
    expect(JSON.stringify(view.body)).to.not.contain(fields.idNumber);
    const stored = (await CitizenSubmission.findByPk(s.id))!;
    expect(stored.idHash).to.match(/^[0-9a-f]{64}$/).and.not.contain(fields.idNumber);

    // Tracking: with the e-mail or the last 4 digits; nothing internal.
    const received = await track({ code, email: 'SOMSRI.PATH@example.com' });
    expect(received.status, JSON.stringify(received.body)).to.equal(200);
    expect(received.body).to.include({ status: 'received', subject: fields.subject, registered: null, reply: null });
    expect((await track({ code: code.toLowerCase().replace(/-/g, ''), idLast4: fields.idNumber.slice(-4) })).status).to.equal(200);

    // The clerk accepts it from the tray: registered, with the receive number and the unit.
    const accepted = await act(c.clerk, line.id, 'accept');
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    const registered = (await track({ code, email: 'somsri.path@example.com' })).body;
    expect(registered.status).to.equal('registered');
    expect(registered.registered.number).to.equal(accepted.body.entry.number);
    expect(registered.unit).to.equal('กลุ่มงานสารบรรณ');
    expect(JSON.stringify(registered), 'no official is named').to.not.contain('กัญญา');
    expect((await mailsTo('somsri.path@example.com'))[1]).to.contain('ลงทะเบียนรับคำร้องของท่านแล้ว');

    // The PDF receipt: drawn with the current status for the code and its second detail, never the ID number.
    const receipt = await request(app).post('/api/public/track/receipt').send({ code, email: 'somsri.path@example.com' }).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (b: Buffer) => chunks.push(b)).on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(receipt.status, String(receipt.body)).to.equal(200);
    expect(receipt.headers['content-type']).to.equal('application/pdf');
    const receiptText = execFileSync('pdftotext', ['-', '-'], { input: receipt.body as Buffer }).toString();
    expect(receiptText).to.contain(code).and.contain(String(registered.registered.number));
    expect(receiptText).to.not.contain(fields.idNumber).and.not.contain(fields.idNumber.slice(0, 9));
    expect((await request(app).post('/api/public/track/receipt').send({ code, email: 'someone.else@example.com' })).status, 'a wrong detail gets no receipt').to.equal(404);

    // The answer: a numbered outgoing letter with its file, linked to the request.
    const reply = await numberedLetter(c.clerk, { subject: 'แจ้งผลการตรวจสอบคุณภาพน้ำประปา', addressee: fields.name });
    const early = await api().post(`/api/citizens/submissions/${s.id}/reply`).set(c.clerk.auth).send({ documentId: await numberedLetter(c.clerk, {}, 'outgoing', false) });
    expect(early.status, 'a reply without a file is refused').to.equal(422);
    const linked = await api().post(`/api/citizens/submissions/${s.id}/reply`).set(c.clerk.auth).send({ documentId: reply });
    expect(linked.status, JSON.stringify(linked.body)).to.equal(200);
    expect(linked.body).to.include({ status: 'answered', replyDocumentId: reply });
    const answered = (await track({ code, idLast4: fields.idNumber.slice(-4) })).body;
    expect(answered.status).to.equal('answered');
    expect(answered.reply.letterNumber).to.match(/\/\d+$/);
    const file = await request(app).post(`/api/public/track/files/${answered.reply.files[0].id}`).send({ code, email: 'somsri.path@example.com' }).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d)).on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(file.status).to.equal(200);
    expect((file.body as Buffer).equals(PDF)).to.equal(true);
    expect((await request(app).post(`/api/public/track/files/${answered.reply.files[0].id}`).send({ code, email: 'someone@example.com' })).status).to.equal(404);
    expect((await mailsTo('somsri.path@example.com'))[2]).to.contain('มีหนังสือตอบคำร้องของท่านแล้ว');
  });

  it("shows a rejection's reason to the citizen, and a return as wrong recipient as not accepted", async () => {
    const codes: string[] = [];
    for (const email of ['reject.me@example.com', 'return.me@example.com']) {
      const sent = await submitForm(app, 'ชม 0033', form({ email, subject: `เรื่องทดสอบ ${email}` }), await solvedProof(app));
      expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
      codes.push(sent.body.trackingCode);
    }
    const lines = (await tray(c.cmClerk)).filter((d) => d.sender.kind === 'citizen');
    const byEmail = async (email: string) => lines.find((d) => d.letter.subject === `เรื่องทดสอบ ${email}`)!.id;
    expect((await act(c.cmClerk, await byEmail('reject.me@example.com'), 'reject', { reason: 'เรื่องนี้อยู่ในความรับผิดชอบของเทศบาล' })).status).to.equal(200);
    expect((await act(c.cmClerk, await byEmail('return.me@example.com'), 'return')).status).to.equal(200);
    const rejected = (await track({ code: codes[0], email: 'reject.me@example.com' })).body;
    expect(rejected).to.include({ status: 'rejected', reason: 'เรื่องนี้อยู่ในความรับผิดชอบของเทศบาล' });
    expect((await track({ code: codes[1], email: 'return.me@example.com' })).body).to.include({ status: 'rejected', reason: 'ส่งผิดหน่วยงาน' });
    expect((await mailsTo('reject.me@example.com'))[1]).to.contain('ไม่ได้รับการรับเรื่อง');
  });

  it("keeps a citizen's letter out of the sending side: no outgoing line, no withdraw, and the monitor counts it", async () => {
    const sent = await submitForm(app, 'MOPH-OPS', form({ subject: 'ขอข้อมูลสิทธิการรักษาพยาบาล' }), await solvedProof(app));
    const id = (await tray(c.clerk)).find((d) => d.letter.subject === 'ขอข้อมูลสิทธิการรักษาพยาบาล')!.id;
    expect(sent.status).to.equal(201);
    const outgoing = await api().get('/api/deliveries/outgoing').set(c.clerk.auth);
    expect(outgoing.body.items.map((d: { id: number }) => d.id)).to.not.include(id);
    expect((await act(c.clerk, id, 'withdraw')).status).to.equal(404);
    const counts = await api().get('/api/citizens/monitor').set(c.clerk.auth);
    expect(counts.status).to.equal(200);
    expect(counts.body.counts.total).to.be.greaterThan(0);
    expect(counts.body.waitingForAnswer).to.be.greaterThan(0);
    expect(counts.body.hoursToAnswer.answered).to.be.greaterThan(0);
    expect((await api().get('/api/citizens/monitor').set((await as('officer')).auth)).status, 'a staff member without the right').to.equal(403);
  });
});
