import { expect } from 'chai';
import { api, buildOrganisation, buildUser, login } from '../helpers/factories';
import { buddhistYear, thaiDateFull } from '../../server/lib/thai-date';
import { incomingLetter } from './helpers';
import { PassThrough } from 'node:stream';
import { Register } from '../../server/db/models';
import { loadActor } from '../../server/modules/auth/actor';
import { streamCsv } from '../../server/modules/registers/export';

describe('registers as documents', () => {
  let auth: { Authorization: string };
  let registerId: number;
  let clerkId: number;
  const year = buddhistYear(new Date());
  before(async () => {
    const org = await buildOrganisation();
    const clerk = await buildUser(org.id, { roles: ['registry_clerk', 'staff'] });
    auth = (await login(clerk.username)).auth;
    clerkId = clerk.id;
    registerId = (await api().get('/api/registers').set(auth)).body.items.find((r: { kind: string }) => r.kind === 'incoming').id;
    for (const subject of ['ขอเชิญประชุมคณะทำงาน', 'ขอความอนุเคราะห์ข้อมูลสถิติ']) {
      const doc = await api().post('/api/documents').set(auth).send(incomingLetter({ subject }));
      await api().post(`/api/registers/${registerId}/entries`).set(auth).send({ documentId: doc.body.id });
      // The order on the first letter: the register's การปฏิบัติ writes its words, not only ทราบ.
      if (subject === 'ขอเชิญประชุมคณะทำงาน') expect((await api().post(`/api/documents/${doc.body.id}/endorsements`).set(auth).send({ decision: 'acknowledge', text: 'ให้กองกลางเตรียมห้องประชุม' })).status).to.equal(201);
    }
    const voided = await api().post(`/api/registers/${registerId}/entries`).set(auth).send({ note: 'สำรองไว้' });
    await api().post(`/api/register-entries/${voided.body.entry.id}/void`).set(auth).send({ reason: 'ลงซ้ำ' });
  });

  it("exports a year's register as CSV with the regulation's columns and Thai dates", async () => {
    const res = await api().get(`/api/registers/${registerId}/export.csv`).query({ year }).set(auth);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/csv; charset=utf-8/);
    const lines = res.text.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).to.equal('เลขทะเบียนรับ,วันที่รับ,เวลา,ที่,ลงวันที่,จาก,ถึง,เรื่อง,การปฏิบัติ,หมายเหตุ');
    expect(lines).to.have.length(4);
    // The book writes its dates in full (14 กุมภาพันธ์ 2568); the list on screen keeps them short.
    expect(lines[1]).to.match(new RegExp(`^1,${thaiDateFull(new Date())},\\d{2}\\.\\d{2} น\\.,นร 0105/123,10 กุมภาพันธ์ 2568,สำนักเลขาธิการนายกรัฐมนตรี,ปลัดกระทรวงสาธารณสุข,ขอเชิญประชุมคณะทำงาน,ทราบ — ให้กองกลางเตรียมห้องประชุม,$`));
    expect(lines[3]).to.match(/^3,.*ยกเลิกเลข: ลงซ้ำ$/);
  });

  it('streams the CSV in batches of entries that join into the same file as one batch', async () => {
    const whole = (await api().get(`/api/registers/${registerId}/export.csv`).query({ year }).set(auth)).text;
    const actor = (await loadActor(clerkId))!;
    const reg = (await Register.findByPk(registerId))!;
    for (const batch of [1, 2, 3]) {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      const batches: number[] = [];
      await streamCsv(actor, reg, year, out, { batch, shown: async (docs) => void batches.push(docs.length) });
      expect(Buffer.concat(chunks).toString('utf8'), `batch ${batch}`).to.equal(whole);
      expect(batches, `batch ${batch}`).to.have.length(Math.ceil(3 / batch));
    }
  });

  it('renders a printable page with the same rows, escaped', async () => {
    const res = await api().get(`/api/registers/${registerId}/export.html`).query({ year }).set(auth);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/html/);
    expect(res.text).to.contain(`พ.ศ. ${year}`);
    expect(res.text).to.contain('<th>เลขทะเบียนรับ</th>');
    expect(res.text).to.contain('ขอความอนุเคราะห์ข้อมูลสถิติ');
    expect(res.text).to.contain('class="void"');
    expect(res.text).to.match(/font-family: [^;]*'Laksaman'/); // a Thai official face where TH Sarabun is not installed
  });

  it("lists a page of entries with the same regulation's columns as the export", async () => {
    const res = await api().get(`/api/registers/${registerId}/entries`).query({ year, offset: 1, limit: 2 }).set(auth);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const [second, third] = res.body.items as Array<{ number: number; row: Record<string, string | number> }>;
    expect(second.row).to.include({ number: 2, letterNumber: 'นร 0105/123', letterDate: '10 ก.พ. 68', from: 'สำนักเลขาธิการนายกรัฐมนตรี', to: 'ปลัดกระทรวงสาธารณสุข', subject: 'ขอความอนุเคราะห์ข้อมูลสถิติ' });
    expect(third.row).to.include({ number: 3, remarks: 'ยกเลิกเลข: ลงซ้ำ' });
  });

  it('needs a year and refuses another organisation', async () => {
    expect((await api().get(`/api/registers/${registerId}/export.csv`).set(auth)).status).to.equal(400);
    const other = await login('cm.clerk');
    expect((await api().get(`/api/registers/${registerId}/export.csv`).query({ year }).set(other.auth)).status).to.equal(404);
  });
});

describe('register listing', () => {
  it('pages by running number', async () => {
    const org = await buildOrganisation();
    const clerk = await buildUser(org.id, { roles: ['registry_clerk', 'staff'] });
    const auth = (await login(clerk.username)).auth;
    const reg = (await api().get('/api/registers').set(auth)).body.items.find((r: { kind: string }) => r.kind === 'outgoing').id;
    for (let i = 0; i < 7; i++) await api().post(`/api/registers/${reg}/entries`).set(auth).send({});
    const page = await api().get(`/api/registers/${reg}/entries`).query({ fromNumber: 3, limit: 3 }).set(auth);
    expect(page.body.items.map((e: { number: number }) => e.number)).to.deep.equal([3, 4, 5]);
  });
});
