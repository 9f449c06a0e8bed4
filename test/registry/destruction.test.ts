import fs from 'node:fs';
import crypto from 'node:crypto';
import { expect } from 'chai';
import { api } from '../helpers/factories';
import { complete, taskOf } from '../helpers/workflow';
import { testEnv } from '../helpers/env';
import { as } from './helpers';
import { AuditRecord, Blob, Document, ProcessInstance, User } from '../../server/db/models';
import { writeTransaction } from '../../server/lib/transaction';
import { JobScheduler } from '../../server/modules/workflow/scheduler';
import { buddhistYear } from '../../server/lib/thai-date';
import { blobPath } from '../../server/modules/attachments/storage';
import { deleteUnusedBlob, destroyDocuments } from '../../server/modules/retention/destruction';

const YEAR = buddhistYear(new Date());
const pdf = () => Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(256), Buffer.from('\n%%EOF\n')]);
const drain = async () => {
  const s = new JobScheduler(testEnv().ctx.db, testEnv().ctx.runtime);
  for (let i = 0; i < 50 && (await s.runDueJobs(new Date())) > 0; i++);
};

describe('destruction of expired documents (committee review, National Archives approval, destruction)', () => {
  let orgId: number, clerkId: number;
  const committee = { chair: 'director', members: ['sectionhead', 'deputy'] };

  async function expiredDocument(subject: string, files: Buffer[]) {
    const doc = await Document.create({
      organisationId: orgId, direction: 'incoming', type: 'external', status: 'registered', urgency: 'normal', secrecy: 'normal', letterDate: '1998-03-01',
      createdById: clerkId, subject, letterNumber: 'สธ 0201/2541', registerYear: 2541, registerNumber: 1, retentionYears: 10,
    });
    for (const file of files) {
      const res = await api().post(`/api/documents/${doc.id}/attachments`).set((await as('clerk')).auth).field('role', 'main').attach('file', file, 'หนังสือ.pdf');
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
    return doc;
  }
  const hashOf = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
  const approve = async (body: Record<string, unknown>) => api().post('/api/retention/destruction-list/approve').set((await as('clerk')).auth).send(body);

  before(async () => {
    const clerk = await User.findOne({ where: { username: 'clerk' } });
    orgId = clerk!.organisationId;
    clerkId = clerk!.id;
  });

  it('destroys the approved documents after every member approves and the archives agree: status, audit entry, file gone, shared file kept', async () => {
    const own = pdf();
    const shared = pdf();
    const doc = await expiredDocument('หนังสือครบอายุการเก็บ ทำลาย', [own, shared]);
    const live = await Document.create({ organisationId: orgId, direction: 'incoming', type: 'external', status: 'registered', urgency: 'normal', secrecy: 'normal', createdById: clerkId, subject: 'หนังสือที่ยังเก็บอยู่', registerYear: YEAR, registerNumber: 1, retentionYears: 10 });
    expect((await api().post(`/api/documents/${live.id}/attachments`).set((await as('clerk')).auth).field('role', 'main').attach('file', shared, 'สำเนา.pdf')).status).to.equal(201);
    const dataDir = testEnv().ctx.config.dataDir;
    expect(fs.existsSync(blobPath(dataDir, hashOf(own)))).to.equal(true);

    const list = await api().get('/api/retention/destruction-list').query({ year: YEAR }).set((await as('clerk')).auth);
    expect(list.body.items.map((i: { documentId: number }) => i.documentId)).to.include(doc.id);
    const res = await approve({ year: YEAR, documentIds: [doc.id], committee });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const instanceId = res.body.instanceId as number;

    for (const member of ['director', 'sectionhead', 'deputy']) {
      const task = await taskOf(await as(member), instanceId, 'committee_review');
      await complete(await as(member), task.id, { decision: 'approve' });
    }
    expect((await Document.findByPk(doc.id))!.status, 'nothing is destroyed before the archives agree').to.equal('registered');
    const archives = await taskOf(await as('clerk'), instanceId, 'archives_approval');
    await complete(await as('clerk'), archives.id, {}, 422);
    await complete(await as('clerk'), archives.id, { archivesLetterNumber: 'วธ 0404/1234', archivesLetterDate: '2026-10-01' });
    await drain();

    expect((await ProcessInstance.findByPk(instanceId))!.status).to.equal('completed');
    expect((await Document.findByPk(doc.id))!.status).to.equal('destroyed');
    const audit = await AuditRecord.findAll({ where: { organisationId: orgId, entityType: 'document', entityId: String(doc.id), action: 'document.destroyed' } });
    expect(audit).to.have.length(1);
    expect(JSON.parse(audit[0].data)).to.include({ archivesLetterNumber: 'วธ 0404/1234', instanceId });
    expect(fs.existsSync(blobPath(dataDir, hashOf(own))), 'the destroyed document\'s file is deleted').to.equal(false);
    expect(fs.existsSync(blobPath(dataDir, hashOf(shared))), 'a file another document still carries stays').to.equal(true);
    const after = await api().get('/api/retention/destruction-list').query({ year: YEAR }).set((await as('clerk')).auth);
    expect(after.body.items.map((i: { documentId: number }) => i.documentId)).to.not.include(doc.id);

    // A retried job runs the destruction again: nothing changes, no second audit entry.
    await destroyDocuments(testEnv().ctx.db, dataDir, { organisationId: orgId, documentIds: [doc.id], actorId: clerkId, instanceId, archivesLetterNumber: null });
    expect(await AuditRecord.count({ where: { organisationId: orgId, entityType: 'document', entityId: String(doc.id), action: 'document.destroyed' } })).to.equal(1);
  });

  it('leaves the documents untouched when a committee member objects', async () => {
    const file = pdf();
    const doc = await expiredDocument('หนังสือที่กรรมการคัดค้าน', [file]);
    const res = await approve({ year: YEAR, documentIds: [doc.id], committee });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const instanceId = res.body.instanceId as number;
    await complete(await as('director'), (await taskOf(await as('director'), instanceId, 'committee_review')).id, { decision: 'approve' });
    await complete(await as('deputy'), (await taskOf(await as('deputy'), instanceId, 'committee_review')).id, { decision: 'object', reviewNote: 'ยังใช้อ้างอิงคดี' });
    await drain();
    expect((await ProcessInstance.findByPk(instanceId))!.status).to.equal('completed');
    const { items } = (await api().get('/api/tasks').query({ limit: 200 }).set((await as('clerk')).auth)).body as { items: Array<{ instanceId: number }> };
    expect(items.filter((t) => t.instanceId === instanceId), 'no archives task after an objection').to.have.length(0);
    expect((await Document.findByPk(doc.id))!.status).to.equal('registered');
    expect(fs.existsSync(blobPath(testEnv().ctx.config.dataDir, hashOf(file)))).to.equal(true);
    expect(await AuditRecord.count({ where: { entityType: 'document', entityId: String(doc.id), action: 'document.destroyed' } })).to.equal(0);
  });

  it('refuses a committee of two, documents not on the list, a future year, and anyone but a records manager', async () => {
    const doc = await expiredDocument('หนังสือทดสอบคณะกรรมการ', []);
    const two = await approve({ year: YEAR, documentIds: [doc.id], committee: { chair: 'director', members: ['deputy'] } });
    expect(two.status, JSON.stringify(two.body)).to.equal(422);
    const young = await Document.create({ organisationId: orgId, direction: 'incoming', type: 'external', status: 'registered', urgency: 'normal', secrecy: 'normal', createdById: clerkId, subject: 'ยังไม่ครบอายุ', registerYear: YEAR, registerNumber: 2, retentionYears: 10 });
    expect((await approve({ year: YEAR, documentIds: [doc.id, young.id], committee })).status).to.equal(422);
    expect((await approve({ year: YEAR + 1, documentIds: [doc.id], committee })).status).to.equal(422);
    expect((await approve({ year: YEAR, documentIds: [doc.id], committee: { chair: 'director', members: ['deputy', 'nobody-here'] } })).status).to.equal(422);
    const officer = await api().post('/api/retention/destruction-list/approve').set((await as('officer')).auth).send({ year: YEAR, documentIds: [doc.id], committee });
    expect(officer.status).to.equal(403);
    const direct = await api().post('/api/workflow/instances').set((await as('clerk')).auth).send({ processKey: 'document_destruction', variables: { documentIds: [doc.id], committee: ['clerk'] } });
    expect(direct.status, 'the generic start route does not bypass the checks').to.equal(403);
  });

  it('refuses (409) the same document in two destruction runs approved at the same moment, and allows it again once the first run ended', async () => {
    const doc = await expiredDocument('หนังสืออนุมัติซ้ำพร้อมกัน', []);
    const results = await Promise.all([approve({ year: YEAR, documentIds: [doc.id], committee }), approve({ year: YEAR, documentIds: [doc.id], committee })]);
    expect(results.map((r) => r.status).sort(), JSON.stringify(results.map((r) => r.body))).to.deep.equal([201, 409]);
    const refused = results.find((r) => r.status === 409)!;
    expect(refused.body.error.details[0].message).to.contain(String(doc.id));
    const running = results.find((r) => r.status === 201)!.body.instanceId as number;
    expect(await ProcessInstance.count({ where: { processKey: 'document_destruction', status: 'running', businessKey: `destruction-${YEAR}` } })).to.be.greaterThan(0);

    // The committee objects: the run ends, and the document may be put on a new run.
    await complete(await as('director'), (await taskOf(await as('director'), running, 'committee_review')).id, { decision: 'object' });
    expect((await ProcessInstance.findByPk(running))!.status).to.equal('completed');
    const again = await approve({ year: YEAR, documentIds: [doc.id], committee });
    expect(again.status, JSON.stringify(again.body)).to.equal(201);
    await complete(await as('director'), (await taskOf(await as('director'), again.body.instanceId, 'committee_review')).id, { decision: 'object' });
  });

  it('lets go of the documents of a destruction run an administrator cancels (a run stuck on a failed step no longer holds them)', async () => {
    const doc = await expiredDocument('หนังสือในรอบทำลายที่ยกเลิก', []);
    const first = await approve({ year: YEAR, documentIds: [doc.id], committee });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect((await approve({ year: YEAR, documentIds: [doc.id], committee })).status, 'held by the running run').to.equal(409);
    const cancelled = await api().post(`/api/workflow/instances/${first.body.instanceId}/cancel`).set((await as('admin')).auth).send({ reason: 'คณะกรรมการชุดใหม่' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).to.equal(200);
    const again = await approve({ year: YEAR, documentIds: [doc.id], committee });
    expect(again.status, JSON.stringify(again.body)).to.equal(201);
    expect((await Document.findByPk(doc.id))!.status).to.not.equal('destroyed');
    await complete(await as('director'), (await taskOf(await as('director'), again.body.instanceId, 'committee_review')).id, { decision: 'object' });
  });

  it('keeps a file uploaded again while a destruction deletes the same content: the upload waits for the blob lock and puts the file back', async () => {
    const file = pdf();
    const sha = hashOf(file);
    const doc = await expiredDocument('หนังสือที่ถูกทำลายขณะอัปโหลดซ้ำ', [file]);
    await doc.update({ status: 'destroyed' });
    const live = await Document.create({ organisationId: orgId, direction: 'incoming', type: 'external', status: 'registered', urgency: 'normal', secrecy: 'normal', createdById: clerkId, subject: 'หนังสือใหม่ที่แนบไฟล์เดิม', registerYear: YEAR, registerNumber: 3, retentionYears: 10 });
    const dataDir = testEnv().ctx.config.dataDir;
    const target = blobPath(dataDir, sha);
    expect(fs.existsSync(target)).to.equal(true);

    // A destruction in the middle of deleting this content: it holds the blob's lock, has found
    // no live document carrying it, and deletes the file only after the upload has started.
    let locked!: () => void;
    const holding = new Promise<void>((r) => (locked = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const destruction = writeTransaction(testEnv().ctx.db.sequelize, async (t) => {
      await Blob.findByPk(sha, { transaction: t, lock: t.LOCK.UPDATE });
      locked();
      await gate;
      await fs.promises.rm(target, { force: true });
    });
    await holding;
    const upload = api().post(`/api/documents/${live.id}/attachments`).set((await as('clerk')).auth).field('role', 'main').attach('file', file, 'ฉบับใหม่.pdf').then((r) => r);
    await new Promise((r) => setTimeout(r, 700)); // the upload is read, typed and waits for the lock
    release();
    await destruction;
    const res = await upload;
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(fs.existsSync(target), 'the new copy of the file is there').to.equal(true);
    expect(await deleteUnusedBlob(testEnv().ctx.db, dataDir, sha), 'a live document carries it now').to.equal(false);
    expect(fs.existsSync(target)).to.equal(true);
  });
});
