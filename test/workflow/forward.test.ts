// Forwarding a letter outside a process step: a real task for the recipient, in their inbox and
// in the letter's route, audited, inside the organisation, and secret letters only to a person.
import { expect } from 'chai';
import { api, buildUser, login, orgByCode, Session } from '../helpers/factories';
import { complete, inbox } from '../helpers/workflow';
import { incomingLetter, registerOf, registerSecret } from '../registry/helpers';
import { AuditRecord, Position, Unit, User } from '../../server/db/models';

describe('forwarding a letter to a person, unit or position', () => {
  let clerk: Session, officer: Session, director: Session, admin: Session;
  before(async () => {
    [clerk, officer, director, admin] = await Promise.all(['clerk', 'officer', 'director', 'admin'].map((u) => login(u)));
  });

  async function registered(extra: Record<string, unknown> = {}) {
    const doc = await api().post('/api/documents').set(clerk.auth).send(incomingLetter(extra));
    expect(doc.status, JSON.stringify(doc.body)).to.equal(201);
    // A secret letter is numbered in the secret register, by the secrets custodian.
    const reg = extra.secrecy
      ? await registerSecret(doc.body.id)
      : await api().post(`/api/registers/${await registerOf('clerk', 'incoming')}/entries`).set(clerk.auth).send({ documentId: doc.body.id });
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    return doc.body.id as number;
  }
  const forward = (s: Session, id: number, body: Record<string, unknown>) => api().post(`/api/documents/${id}/forward`).set(s.auth).send(body);
  const userId = async (username: string) => (await User.findOne({ where: { username } }))!.id;

  it('gives a unit a task "พิจารณา/ดำเนินการ" that its members see in their inbox, shows it in the route with the note on the task, and audits it', async () => {
    const id = await registered({ subject: 'ขอให้ตรวจสอบระบบเครือข่ายของกระทรวง' });
    const ict = await Unit.findOne({ where: { nameTh: 'ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร' } });
    const res = await forward(clerk, id, { toUnitId: ict!.id, note: 'โปรดตรวจสอบและรายงานภายใน 3 วัน' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.to).to.deep.equal({ kind: 'unit', id: ict!.id, name: 'ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร' });

    const task = (await inbox(admin, { limit: 200 })).items.find((t) => t.instanceId === res.body.instanceId);
    expect(task, 'in the ICT centre member\'s inbox').to.not.equal(undefined);
    expect(task!.name).to.equal('พิจารณา/ดำเนินการ');
    expect((await inbox(officer, { limit: 200 })).items.some((t) => t.instanceId === res.body.instanceId), 'not in another unit\'s inbox').to.equal(false);

    const route = await api().get(`/api/documents/${id}/route`).set(clerk.auth);
    const step = route.body.current.find((s: { instanceId: number }) => s.instanceId === res.body.instanceId);
    expect(step.name).to.equal('พิจารณา/ดำเนินการ');
    expect(step.holders).to.deep.equal([{ kind: 'unit', id: ict!.id, name: 'ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร' }]);

    const audit = await AuditRecord.findAll({ where: { entityType: 'document', entityId: String(id), action: 'document.forwarded' } });
    expect(audit).to.have.length(1);
    expect(JSON.parse(audit[0].data)).to.deep.include({ to: { kind: 'unit', id: ict!.id }, instanceId: res.body.instanceId, note: 'โปรดตรวจสอบและรายงานภายใน 3 วัน' });

    const comments = await api().get(`/api/tasks/${task!.id}/comments`).set(admin.auth);
    expect(comments.status).to.equal(200);
    expect(comments.body.items.map((c: { userId: number; text: string }) => [c.userId, c.text])).to.deep.equal([[await userId('clerk'), 'โปรดตรวจสอบและรายงานภายใน 3 วัน']]);
    await complete(admin, task!.id, { result: 'ตรวจสอบแล้ว ปกติ' });
    const after = await api().get(`/api/documents/${id}/route`).set(clerk.auth);
    expect(after.body.done.map((s: { name: string }) => s.name)).to.include('พิจารณา/ดำเนินการ');
  });

  it('lets someone holding an open task on the letter forward it on (to a position), and refuses anyone else (403)', async () => {
    const id = await registered({ subject: 'ขอรายชื่อผู้เข้าอบรม' });
    expect((await forward(officer, id, { toUserId: await userId('sectionhead') })).status, 'the officer holds nothing yet').to.equal(403);
    const toOfficer = await forward(clerk, id, { toUserId: await userId('officer') });
    expect(toOfficer.status, JSON.stringify(toOfficer.body)).to.equal(201);

    const directorPost = await Position.findOne({ where: { titleTh: 'ผู้อำนวยการกองกลาง' } });
    const on = await forward(officer, id, { toPositionId: directorPost!.id, note: 'เสนอเพื่อโปรดพิจารณา' });
    expect(on.status, JSON.stringify(on.body)).to.equal(201);
    expect((await inbox(director, { limit: 200 })).items.some((t) => t.instanceId === on.body.instanceId && t.name === 'พิจารณา/ดำเนินการ')).to.equal(true);
    const audit = await AuditRecord.findOne({ where: { entityType: 'document', entityId: String(id), action: 'document.forwarded', actorId: await userId('officer') } });
    expect(JSON.parse(audit!.data).to).to.deep.equal({ kind: 'position', id: directorPost!.id });
  });

  it('never forwards to another organisation (422), and another organisation cannot forward it (404)', async () => {
    const id = await registered({ subject: 'เรื่องภายในส่วนกลาง' });
    const cmClerk = await User.findOne({ where: { username: 'cm.clerk' } });
    const toOther = await forward(clerk, id, { toUserId: cmClerk!.id });
    expect(toOther.status).to.equal(422);
    expect(toOther.body.error.message).to.contain('inside its own organisation');
    const cmUnit = await Unit.findOne({ where: { organisationId: cmClerk!.organisationId } });
    expect((await forward(clerk, id, { toUnitId: cmUnit!.id })).status).to.equal(422);
    expect((await forward(clerk, id, { toUnitId: 999999 })).status).to.equal(422);
    expect((await forward(await login('cm.clerk'), id, { toUserId: cmClerk!.id })).status).to.equal(404);
    expect(await AuditRecord.count({ where: { entityType: 'document', entityId: String(id), action: 'document.forwarded' } })).to.equal(0);
  });

  it('forwards a secret letter only to a person, who becomes a named recipient and may then read it', async () => {
    const id = await registered({ secrecy: 'confidential', subject: 'เรื่องลับการสอบสวนวินัย' });
    const saraban = await Unit.findOne({ where: { nameTh: 'กลุ่มงานสารบรรณ' } });
    const toUnit = await forward(clerk, id, { toUnitId: saraban!.id });
    expect(toUnit.status).to.equal(422);
    expect(toUnit.body.error.message).to.contain('named person');
    expect((await api().get(`/api/documents/${id}`).set(officer.auth)).status, 'not readable before').to.equal(404);

    const res = await forward(clerk, id, { toUserId: await userId('officer'), note: 'รายละเอียดลับ' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect((await api().get(`/api/documents/${id}`).set(officer.auth)).status, 'readable as a named recipient').to.equal(200);
    const task = (await inbox(officer, { limit: 200 })).items.find((t) => t.instanceId === res.body.instanceId) as unknown as { title: string };
    expect(task.title).to.not.contain('การสอบสวนวินัย');
    const audit = await AuditRecord.findOne({ where: { entityType: 'document', entityId: String(id), action: 'document.forwarded' } });
    expect(JSON.parse(audit!.data)).to.deep.include({ namedRecipient: true, note: null });
  });

  it('lets the secrets custodian take a named reader off a secret letter (and name one again), audited; nobody else', async () => {
    const id = await registered({ secrecy: 'secret', subject: 'เรื่องลับมากการตรวจสอบพิเศษ' });
    expect((await forward(clerk, id, { toUserId: await userId('officer') })).status).to.equal(201);
    const custodian = await login((await buildUser((await orgByCode('สธ 02')).id, { roles: ['secrets_custodian', 'staff'] })).username);
    const readers = async (s: Session) => api().get(`/api/documents/${id}/readers`).set(s.auth);
    expect((await readers(custodian)).body.items.map((r: { userId: number }) => r.userId)).to.deep.equal([await userId('officer')]);
    expect((await readers(clerk)).status, 'the author may see who reads it').to.equal(200);
    expect((await readers(officer)).status, 'a named reader may not').to.equal(403);

    const reader = (s: Session, method: 'put' | 'delete', who: number) => api()[method](`/api/documents/${id}/readers/${who}`).set(s.auth);
    expect((await reader(clerk, 'delete', await userId('officer'))).status, 'only the custodian').to.equal(403);
    expect((await reader(custodian, 'delete', await userId('officer'))).status).to.equal(204);
    expect((await api().get(`/api/documents/${id}`).set(officer.auth)).status, 'no longer readable').to.equal(404);
    expect((await reader(custodian, 'put', await userId('cm.clerk'))).status, 'not of another organisation').to.equal(422);
    expect((await reader(custodian, 'put', await userId('officer'))).status).to.equal(204);
    expect((await api().get(`/api/documents/${id}`).set(officer.auth)).status, 'readable again').to.equal(200);
    const audit = await AuditRecord.findAll({ where: { entityType: 'document', entityId: String(id), action: ['document.reader.removed', 'document.reader.named'] }, order: [['seq', 'ASC']] });
    expect(audit.map((a) => a.action)).to.deep.equal(['document.reader.removed', 'document.reader.named']);

    const normal = await registered();
    expect((await api().put(`/api/documents/${normal}/readers/${await userId('officer')}`).set(custodian.auth)).status, 'a normal letter has no named readers').to.equal(422);
  });

  it('refuses a body with no or two recipients (400), a letter that is not registered (409), and a start that skips the checks (403)', async () => {
    const id = await registered();
    expect((await forward(clerk, id, {})).status).to.equal(400);
    expect((await forward(clerk, id, { toUserId: await userId('officer'), toUnitId: 1 })).status).to.equal(400);
    const draft = await api().post('/api/documents').set(clerk.auth).send(incomingLetter());
    expect((await forward(clerk, draft.body.id, { toUserId: await userId('officer') })).status).to.equal(409);
    const direct = await api().post('/api/workflow/instances').set(clerk.auth).send({ processKey: 'forward_letter', documentId: id, variables: { recipient: 'user:1' } });
    expect(direct.status, 'the generic start route does not bypass the checks').to.equal(403);
  });
});
