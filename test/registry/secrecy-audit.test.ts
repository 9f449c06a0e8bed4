import { expect } from 'chai';
import { api, orgByCode } from '../helpers/factories';
import { testEnv } from '../helpers/env';
import { AuditRecord, User } from '../../server/db/models';
import { as, custodian, outgoingLetter, registerOf, registerSecret } from './helpers';

describe('secrecy and access', () => {
  let secretId: number;
  let normalId: number;
  let custodianAuth: { Authorization: string };
  before(async () => {
    custodianAuth = (await custodian()).auth;
    const sectionhead = await User.findOne({ where: { username: 'sectionhead' } });
    const secret = await api().post('/api/documents').set((await as('clerk')).auth)
      .send(outgoingLetter({ secrecy: 'secret', subject: 'รายงานการสอบสวนข้อเท็จจริงกรณีพิเศษ', recipientUserIds: [sectionhead!.id] }));
    expect(secret.status, JSON.stringify(secret.body)).to.equal(201);
    secretId = secret.body.id;
    normalId = (await api().post('/api/documents').set((await as('clerk')).auth).send(outgoingLetter())).body.id;
  });

  it('shows a secret document only to its named recipients, its author and the secrets custodian', async () => {
    expect((await api().get(`/api/documents/${secretId}`).set((await as('sectionhead')).auth)).status).to.equal(200);
    expect((await api().get(`/api/documents/${secretId}`).set((await as('clerk')).auth)).status).to.equal(200);
    expect((await api().get(`/api/documents/${secretId}`).set(custodianAuth)).status).to.equal(200);
    for (const user of ['officer', 'director', 'admin']) {
      const res = await api().get(`/api/documents/${secretId}`).set((await as(user)).auth);
      expect(res.status, user).to.equal(404);
      expect(JSON.stringify(res.body)).to.not.contain('สอบสวน');
      expect((await api().get(`/api/documents/${secretId}/endorsements`).set((await as(user)).auth)).status).to.equal(404);
    }
  });

  it('logs every read of a secret document, and not of a normal one', async () => {
    const before = await AuditRecord.count({ where: { entityType: 'document', entityId: String(secretId), action: 'document.read' } });
    await api().get(`/api/documents/${secretId}`).set((await as('sectionhead')).auth);
    await api().get(`/api/documents/${secretId}/versions`).set(custodianAuth);
    const reads = await AuditRecord.findAll({ where: { entityType: 'document', entityId: String(secretId), action: 'document.read' }, order: [['seq', 'ASC']] });
    expect(reads.length - before).to.equal(2);
    expect(reads[reads.length - 2].actorId).to.equal((await User.findOne({ where: { username: 'sectionhead' } }))!.id);
    await api().get(`/api/documents/${normalId}`).set((await as('officer')).auth);
    expect(await AuditRecord.count({ where: { entityId: String(normalId), action: 'document.read' } })).to.equal(0);
  });

  it("never shows another organisation's documents", async () => {
    const res = await api().get(`/api/documents/${normalId}`).set((await as('cm.clerk')).auth);
    expect(res.status).to.equal(404);
    expect((await api().post(`/api/documents/${normalId}/endorsements`).set((await as('cm.chief')).auth).send({ decision: 'acknowledge' })).status).to.equal(404);
  });

  it('numbers a secret letter in the secret register, where only the custodian sees its subject (an audited read)', async () => {
    const ordinary = await api().post(`/api/registers/${await registerOf('clerk', 'outgoing')}/entries`).set((await as('clerk')).auth).send({ documentId: secretId });
    expect(ordinary.status, 'not in an ordinary register').to.equal(422);
    const taken = await registerSecret(secretId);
    expect(taken.status, JSON.stringify(taken.body)).to.equal(201);
    const reg = taken.body.entry.registerId;
    expect((await api().get(`/api/registers/${reg}/entries`).set((await as('officer')).auth)).status).to.equal(404);
    const reads = () => AuditRecord.count({ where: { entityType: 'document', entityId: String(secretId), action: 'document.read' } });
    const before = await reads();
    const asCustodian = await api().get(`/api/registers/${reg}/entries`).set(custodianAuth).query({ limit: 1000 });
    expect(asCustodian.body.items.find((e: { documentId: number }) => e.documentId === secretId).subject).to.contain('สอบสวน');
    // Seeing the subject in the book is a read of the letter: audited, as search and the export are.
    expect(await reads()).to.equal(before + 1);
  });
});

describe('audit trail', () => {
  it('verifies the hash chain, and reports the first broken link after a row is altered in the database', async () => {
    const admin = (await as('admin')).auth;
    const ok = await api().get('/api/audit/verify').set(admin);
    expect(ok.status).to.equal(200);
    expect(ok.body.ok, JSON.stringify(ok.body)).to.equal(true);
    expect(ok.body.checked).to.be.greaterThan(5);

    const central = await orgByCode('สธ 02');
    const { sequelize } = testEnv().ctx.db;
    const [rows] = (await sequelize.query('SELECT id, data FROM audit_log WHERE organisationId = ? AND seq = 3', { replacements: [central.id] })) as [Array<{ id: number; data: string }>, unknown];
    await sequelize.query('UPDATE audit_log SET data = ? WHERE id = ?', { replacements: ['{"tampered":true}', rows[0].id] });
    try {
      const broken = await api().get('/api/audit/verify').set(admin);
      expect(broken.body.ok).to.equal(false);
      expect(broken.body.firstBroken).to.include({ seq: 3, id: Number(rows[0].id) });
      expect(broken.body.checked).to.equal(2);
    } finally {
      await sequelize.query('UPDATE audit_log SET data = ? WHERE id = ?', { replacements: [rows[0].data, rows[0].id] });
    }
    expect((await api().get('/api/audit/verify').set(admin)).body.ok).to.equal(true);
  });

  it('records changes to documents, registers and endorsements in the chain', async () => {
    // This suite makes each kind of change itself, so it holds when run on its own.
    const clerk = (await as('clerk')).auth;
    const draft = await api().post('/api/documents').set(clerk).send(outgoingLetter());
    expect((await api().patch(`/api/documents/${draft.body.id}`).set(clerk).send({ version: 1, subject: 'ขอส่งรายงานผลการดำเนินงาน ฉบับแก้ไข' })).status).to.equal(200);
    const reserved = await api().post(`/api/registers/${await registerOf('clerk', 'outgoing')}/entries`).set(clerk).send({ note: 'จองเลขสำหรับหนังสือด่วน' });
    expect(reserved.status, JSON.stringify(reserved.body)).to.equal(201);
    expect((await api().post(`/api/register-entries/${reserved.body.entry.id}/void`).set(clerk).send({ reason: 'ไม่ได้ใช้เลขที่จองไว้' })).status).to.equal(200);
    expect((await api().post(`/api/documents/${draft.body.id}/endorsements`).set(clerk).send({ text: 'เสนอเพื่อโปรดพิจารณา' })).status).to.equal(201);
    const actions = (await AuditRecord.findAll({ attributes: ['action'], group: ['action'], raw: true })).map((r) => r.action);
    expect(actions).to.include.members(['document.created', 'document.updated', 'register.created', 'register.entry.registered', 'register.entry.reserved', 'register.entry.voided', 'endorsement.added']);
  });

  it('lets only an administrator or the secrets custodian verify', async () => {
    expect((await api().get('/api/audit/verify').set((await as('officer')).auth)).status).to.equal(403);
  });
});
