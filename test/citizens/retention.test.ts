// The citizen's personal data ends with the letter: when the registered letter is destroyed under
// its retention class, and when a request rejected from the tray outlives its keeping time (90 days
// by default), nothing that names or reaches the person stays anywhere in the database (every table
// is searched), the files go, and the tracking code answers only that the matter is closed.
import fs from 'node:fs';
import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { QueryTypes } from 'sequelize';
import { CitizenSubmission, Delivery, Document, MailMessage } from '../../server/db/models';
import { buddhistYear } from '../../server/lib/thai-date';
import { destroyDocuments } from '../../server/modules/retention/destruction';
import { runRetentionSweep } from '../../server/modules/retention/sweep';
import { blobPath } from '../../server/modules/attachments/storage';
import { testEnv } from '../helpers/env';
import { api, unique } from '../helpers/factories';
import { act, Cast, numberedLetter, theCast, tray, useTempFiles } from '../deliveries/helpers';
import { citizenApp, form, solvedProof, submitForm } from './helpers';

type App = ReturnType<typeof citizenApp>;

/** Every table, every column (binary ones read as text): where any of the needles still is. */
async function whereIs(needles: string[]): Promise<string[]> {
  const { sequelize } = testEnv().ctx.db;
  const tables = (await sequelize.getQueryInterface().showAllTables()).map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName));
  const hits = new Set<string>();
  for (const table of tables) {
    const rows = await sequelize.query<Record<string, unknown>>(`SELECT * FROM ${sequelize.getQueryInterface().quoteIdentifier(table)}`, { type: QueryTypes.SELECT });
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        const text = Buffer.isBuffer(value) ? value.toString('utf8') : value == null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
        for (const n of needles) if (text.toLowerCase().includes(n.toLowerCase())) hits.add(`${table}.${column} has "${n}"`);
      }
    }
  }
  return [...hits];
}

/** A person whose every detail is unique to this test, so a search of the whole database finds only them. */
function person() {
  const tag = unique('pdpa');
  const phone = `08${crypto.randomInt(10_000_000, 99_999_999)}`;
  const email = `${tag}@example.com`;
  const fields = form({
    name: `นายพิทักษ์ ${tag}`, address: `${crypto.randomInt(100, 999)}/${crypto.randomInt(10, 99)} ถนนข้อมูลส่วนบุคคล${tag}`, phone, email,
    subject: `ขอความช่วยเหลือเรื่องที่ดิน ${crypto.randomBytes(3).toString('hex')}`, body: `ข้าพเจ้า นายพิทักษ์ ${tag} ติดต่อกลับได้ที่ ${phone} หรือ ${email}`,
  });
  return { tag, fields, file: Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(64), Buffer.from('\n%%EOF\n')]) };
}

describe("the citizen's personal data under the retention rules", () => {
  useTempFiles();
  let c: Cast;
  let app: App;
  before(async function () {
    this.timeout(120000);
    c = await theCast();
    app = citizenApp();
  });
  after(() => MailMessage.destroy({ where: { kind: 'citizen' } }));

  const track = (body: Record<string, string>) => request(app).post('/api/public/track').send(body);
  const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

  async function submitted(p: ReturnType<typeof person>, org = 'MOPH-OPS', clerk = () => c.clerk) {
    const sent = await submitForm(app, org, p.fields, await solvedProof(app), [[p.file, 'สำเนาบัตรประชาชน.pdf']]);
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    const line = (await tray(clerk())).find((d) => d.letter.subject === p.fields.subject)!;
    const s = (await CitizenSubmission.findOne({ where: { deliveryId: line.id } }))!;
    return { code: sent.body.trackingCode as string, deliveryId: Number(line.id), s };
  }
  const needlesOf = (p: ReturnType<typeof person>, s: CitizenSubmission) => [p.tag, p.fields.name, p.fields.email, p.fields.address, p.fields.phone, p.fields.idNumber, s.idHash];

  it('purges everything personal when the registered letter is destroyed, also from the destroyed reply, and tracking says only "closed"', async function () {
    this.timeout(120000);
    const p = person();
    const { code, deliveryId, s } = await submitted(p);
    const accepted = await act(c.clerk, deliveryId, 'accept');
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    const received = Number(accepted.body.receivedDocumentId);
    const reply = await numberedLetter(c.clerk, { subject: 'แจ้งผลการพิจารณาคำร้องเรื่องที่ดิน', addressee: p.fields.name, salutation: 'เรียน', body: `ตามที่ ${p.fields.name} ได้ยื่นคำร้อง ติดต่อ ${p.fields.phone}` });
    expect((await api().post(`/api/citizens/submissions/${s.id}/reply`).set(c.clerk.auth).send({ documentId: reply })).status).to.equal(200);
    expect((await track({ code, email: p.fields.email })).body.status).to.equal('answered');
    const needles = needlesOf(p, s);
    expect((await whereIs(needles)).length, 'the test finds the data before the purge').to.be.greaterThan(5);
    const dataDir = testEnv().ctx.config.dataDir;
    expect(fs.existsSync(blobPath(dataDir, sha(p.file)))).to.equal(true);

    // Eleven years on: the letter and its reply (ten years each) are destroyed by the destruction process's step.
    const year = buddhistYear(new Date()) - 11;
    await Document.update({ registerYear: year, retentionYears: 10 }, { where: { id: [received, reply] } });
    const result = await destroyDocuments(testEnv().ctx.db, dataDir, { organisationId: c.central.id, documentIds: [received, reply], actorId: null, instanceId: null, archivesLetterNumber: null });
    expect(result.destroyed.sort()).to.deep.equal([received, reply].sort());

    expect(await whereIs(needles), 'no personal field remains anywhere in the database').to.deep.equal([]);
    expect(fs.existsSync(blobPath(dataDir, sha(p.file))), "the citizen's file is deleted").to.equal(false);
    const row = (await CitizenSubmission.findByPk(s.id))!;
    expect(row.purgedAt).to.be.instanceOf(Date);
    expect((await Document.findByPk(s.documentId))!.status, 'the tray copy goes with it').to.equal('destroyed');
    expect((await Document.findByPk(received))!.subject, 'the subject stays as the record of what was destroyed').to.equal(p.fields.subject);

    // Tracking: the code alone opens it now (there is no e-mail or digits left to compare), and says only that it is closed.
    const seconds: Array<Record<string, string>> = [{ email: p.fields.email }, { idLast4: p.fields.idNumber.slice(-4) }, { email: 'anyone@example.com' }];
    for (const second of seconds) {
      const closed = await track({ code, ...second });
      expect(closed.status, JSON.stringify(closed.body)).to.equal(200);
      expect(closed.body).to.include({ closed: true, subject: null, registered: null, unit: null, reason: null, reply: null, statusTh: 'เรื่องนี้ปิดแล้ว' });
      expect(JSON.stringify(closed.body)).to.not.contain(p.tag).and.not.contain(p.fields.subject);
    }
    expect((await request(app).post('/api/public/track/receipt').send({ code, email: p.fields.email })).status, 'no receipt of a purged request').to.equal(410);
    expect((await track({ code: 'ABCD-EFGH-JKMN-0', email: p.fields.email })).status, 'a wrong code is still 404').to.equal(404);
    expect((await api().post(`/api/citizens/submissions/${s.id}/reply`).set(c.clerk.auth).send({ documentId: reply })).status).to.equal(409);

    // Run again (a retried destruction job): nothing changes, nothing fails.
    await destroyDocuments(testEnv().ctx.db, dataDir, { organisationId: c.central.id, documentIds: [received], actorId: null, instanceId: null, archivesLetterNumber: null });
    expect(await whereIs(needles)).to.deep.equal([]);
  });

  it('purges a request rejected from the tray 90 days after the rejection, and keeps a recent rejection and a request still open', async function () {
    this.timeout(120000);
    const [old, recent, open] = [person(), person(), person()];
    const a = await submitted(old, 'ชม 0033', () => c.cmClerk);
    const b = await submitted(recent, 'ชม 0033', () => c.cmClerk);
    const o = await submitted(open, 'ชม 0033', () => c.cmClerk);
    for (const x of [a, b]) expect((await act(c.cmClerk, x.deliveryId, 'reject', { reason: 'เรื่องนี้ไม่อยู่ในอำนาจหน้าที่ของหน่วยงาน' })).status).to.equal(200);
    const day = 86_400_000;
    await CitizenSubmission.update({ statusAt: new Date(Date.now() - 91 * day) }, { where: { id: a.s.id } });
    await CitizenSubmission.update({ statusAt: new Date(Date.now() - 89 * day) }, { where: { id: b.s.id } });
    // Sequelize never writes createdAt on an update: the age is set in SQL.
    await CitizenSubmission.sequelize!.query('UPDATE citizen_submissions SET createdAt = ?, statusAt = ? WHERE id = ?', { replacements: [new Date(Date.now() - 200 * day), new Date(Date.now() - 200 * day), o.s.id] });

    const swept = await runRetentionSweep(testEnv().ctx);
    expect(swept.purged).to.be.at.least(1);
    expect(await whereIs(needlesOf(old, a.s)), 'nothing of the person rejected 91 days ago').to.deep.equal([]);
    expect(fs.existsSync(blobPath(testEnv().ctx.config.dataDir, sha(old.file)))).to.equal(false);
    expect((await track({ code: a.code, email: old.fields.email })).body).to.include({ closed: true, subject: null, reason: null });

    expect((await CitizenSubmission.findByPk(b.s.id))!.purgedAt, 'a rejection 89 days old is kept').to.equal(null);
    expect((await track({ code: b.code, email: recent.fields.email })).body).to.include({ closed: false, status: 'rejected' });
    expect((await CitizenSubmission.findByPk(o.s.id))!.purgedAt, 'a request still in the tray is kept, however old').to.equal(null);
    expect(fs.existsSync(blobPath(testEnv().ctx.config.dataDir, sha(recent.file)))).to.equal(true);
    expect((await Delivery.findByPk(o.deliveryId))!.status).to.equal('delivered');
  });
});
