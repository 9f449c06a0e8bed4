// Every path into a letter goes through the documents policy: a document id given to any route
// or command is checked for read and secrecy like reading the letter itself (404 when missing or
// not the caller's to read), and nothing is written — no instance, endorsement, history or
// register line — for someone who may not read it.
import { expect } from 'chai';
import { api, buildUser, login, orgByCode, Session } from '../helpers/factories';
import { complete, taskOf } from '../helpers/workflow';
import { incomingLetter, registerOf, registerSecret } from './helpers';
import { DestructionItem, Document, Endorsement, HistoryEntry, ProcessInstance, Task, User } from '../../server/db/models';
import { buddhistYear } from '../../server/lib/thai-date';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('every path into a letter checks that the caller may read it', () => {
  let clerk: Session, cmClerk: Session, otherClerk: Session;
  let normalId: number, secretId: number;

  async function registered(extra: Record<string, unknown> = {}) {
    const doc = await api().post('/api/documents').set(clerk.auth).send(incomingLetter(extra));
    expect(doc.status, JSON.stringify(doc.body)).to.equal(201);
    const reg = extra.secrecy
      ? await registerSecret(doc.body.id)
      : await api().post(`/api/registers/${await registerOf(clerk, 'incoming')}/entries`).set(clerk.auth).send({ documentId: doc.body.id });
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    return doc.body.id as number;
  }

  /** What a write into the letter would leave behind. */
  async function traces(documentId: number) {
    const instances = await ProcessInstance.findAll({ where: { documentId }, attributes: ['id'] });
    const ids = instances.map((i) => Number(i.id));
    return {
      instances: ids.length,
      endorsements: await Endorsement.count({ where: { documentId } }),
      history: ids.length ? await HistoryEntry.count({ where: { instanceId: ids } }) : 0,
      completed: await Task.count({ where: { documentId, status: 'completed' } }),
    };
  }

  before(async () => {
    [clerk, cmClerk] = await Promise.all([login('clerk'), login('cm.clerk')]);
    // A registry clerk of the same office who is not named on the secret letter.
    otherClerk = await login((await buildUser((await orgByCode('สธ 02')).id, { roles: ['registry_clerk', 'staff'] })).username);
    normalId = await registered({ subject: 'ขอเชิญประชุมเรื่องงบประมาณประจำปี' });
    secretId = await registered({ secrecy: 'confidential', subject: 'ผลการสอบสวนทางวินัยเป็นการลับ' });
  });

  it('refuses to start a process for, forward, circulate, endorse, attach to or route another organisation’s letter, a secret letter the caller may not read, or a missing one (404, nothing written)', async () => {
    for (const [who, id] of [[cmClerk, normalId], [cmClerk, secretId], [otherClerk, secretId], [clerk, 2_000_000_000]] as const) {
      const before = await traces(id);
      const res = await api().post('/api/workflow/instances').set(who.auth).send({ processKey: 'incoming_letter', documentId: id });
      expect(res.status, JSON.stringify(res.body)).to.equal(404);
      expect(res.body.error.code).to.equal('not_found');
      expect(await traces(id)).to.deep.equal(before);
    }
    // The other ways into a letter answer the same.
    for (const [who, id] of [[cmClerk, normalId], [otherClerk, secretId]] as const) {
      const before = await traces(id);
      const calls = {
        forward: api().post(`/api/documents/${id}/forward`).set(who.auth).send({ toUserId: 1 }),
        circulate: api().post(`/api/documents/${id}/circulate`).set(who.auth).send({ unitIds: [1] }),
        endorse: api().post(`/api/documents/${id}/endorsements`).set(who.auth).send({ text: 'อนุมัติ', decision: 'approve', capacity: 'self' }),
        attach: api().post(`/api/documents/${id}/attachments`).set(who.auth).field('role', 'enclosure').attach('file', PDF, 'a.pdf'),
        route: api().get(`/api/documents/${id}/route`).set(who.auth),
      };
      for (const [name, call] of Object.entries(calls)) {
        const res = await call;
        expect(res.status, `${name}: ${JSON.stringify(res.body)}`).to.equal(404);
      }
      expect(await traces(id)).to.deep.equal(before);
    }
  });

  it('starts a process for a letter its starter reads, with what a process sees of the letter set from the letter itself', async () => {
    const res = await api().post('/api/workflow/instances').set(clerk.auth).send({ processKey: 'incoming_letter', documentId: secretId });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.instance.documentId).to.equal(secretId);
    const task = await Task.findByPk(res.body.tasks[0].id);
    expect(task!.title, 'the secret subject stays out of the task').to.be.a('string').and.not.include('สอบสวน');
    // The letter's variables are the product's: a request may not forge them.
    const forged = await api().post('/api/workflow/instances').set(clerk.auth).send({ processKey: 'incoming_letter', documentId: secretId, variables: { document: { subject: 'ปลอม', secrecy: 'normal' } } });
    expect(forged.status, JSON.stringify(forged.body)).to.equal(422);
    const destroy = await api().post('/api/workflow/instances').set(clerk.auth).send({ processKey: 'incoming_letter', variables: { documentIds: [normalId] } });
    expect(destroy.status, JSON.stringify(destroy.body)).to.equal(422);
  });

  it('refuses a step on a secret letter, and a comment on it, to a candidate who may not read the letter (404, nothing written)', async () => {
    const instance = await ProcessInstance.findOne({ where: { documentId: secretId, processKey: 'incoming_letter' }, order: [['id', 'ASC']] });
    const screen = await taskOf(otherClerk, Number(instance!.id), 'screen'); // offered to every registry clerk
    const before = await traces(secretId);
    const res = await api().post(`/api/tasks/${screen.id}/complete`).set(otherClerk.auth).send({ variables: { summary: 'อนุมัติ' } });
    expect(res.status, JSON.stringify(res.body)).to.equal(404);
    const comment = await api().post(`/api/tasks/${screen.id}/comments`).set(otherClerk.auth).send({ text: 'ดำเนินการแล้ว' });
    expect(comment.status, JSON.stringify(comment.body)).to.equal(404);
    expect(await traces(secretId)).to.deep.equal(before);
    expect((await Task.findByPk(screen.id))!.status).to.equal('open');
    // Its reader (the letter's author) completes it, and the endorsement is written.
    await complete(clerk, screen.id, { summary: 'เรื่องวินัย เสนอผู้บังคับบัญชา' });
    expect(await Endorsement.count({ where: { documentId: secretId } })).to.equal(before.endorsements + 1);
  });

  it('refuses to set the letter’s variables of an instance for a letter through a message or a correction (422)', async () => {
    const admin = await login('admin');
    const instance = await ProcessInstance.findOne({ where: { documentId: normalId, status: 'running' } });
    const patch = await api().patch(`/api/workflow/instances/${instance!.id}/variables`).set(admin.auth).send({ variables: { document: { id: secretId, secrecy: 'normal' } } });
    expect(patch.status, JSON.stringify(patch.body)).to.equal(422);
    const message = await api().post(`/api/workflow/instances/${instance!.id}/messages`).set(admin.auth).send({ messageId: 'reply', variables: { documentIds: [secretId] } });
    expect(message.status, JSON.stringify(message.body)).to.equal(422);
  });

  it('refuses to put a secret letter to destruction for someone who may not read it (422, nothing started)', async () => {
    const author = (await User.findOne({ where: { username: 'clerk' } }))!;
    const expired = await Document.create({
      organisationId: author.organisationId, direction: 'incoming', type: 'external', status: 'registered', urgency: 'normal', secrecy: 'secret', letterDate: '1998-03-01',
      createdById: author.id, subject: 'รายงานลับที่ครบอายุการเก็บ', registerYear: 2541, registerNumber: 7, retentionYears: 10,
    });
    const year = buddhistYear(new Date());
    const list = await api().get('/api/retention/destruction-list').query({ year }).set(otherClerk.auth);
    const line = list.body.items.find((i: { documentId: number }) => i.documentId === expired.id);
    expect(line.subject, 'listed, its subject hidden').to.equal('(ลับมาก)');
    const instances = await ProcessInstance.count({ where: { processKey: 'document_destruction' } });
    const res = await api().post('/api/retention/destruction-list/approve').set(otherClerk.auth).send({ year, documentIds: [expired.id], committee: { chair: 'director', members: ['sectionhead', 'deputy'] } });
    expect(res.status, JSON.stringify(res.body)).to.equal(422);
    expect(res.body.error.details).to.deep.equal([{ field: 'documentIds', message: `${expired.id} is a secret letter you may not read` }]);
    expect(await ProcessInstance.count({ where: { processKey: 'document_destruction' } })).to.equal(instances);
    expect(await DestructionItem.count({ where: { documentId: expired.id } })).to.equal(0);
  });
});
