// Pushed events and notification mails carry a letter's text only to those who may read the letter
// (documents/present.ts). A room is a unit, a group or a position, not the letter's readers, and a
// draft's secrecy may be raised after its process started: pushes carry ids, the client re-reads.
import { expect } from 'chai';
import http from 'node:http';
import { Document, MailMessage, Organisation, ProcessDefinition, ProcessInstance, Task } from '../../server/db/models';
import { attachRealtime, Realtime } from '../../server/modules/notify/realtime';
import { startMailWorker, MailWorker } from '../../server/modules/notify/mail/worker';
import { buildOrganisation, buildUnit, buildUser } from '../helpers/factories';
import { commitEvent, connect, listen, tokenFor, type TestClient } from '../helpers/realtime';
import { passOverEarlierMail, startSmtp, type TestSmtp } from '../helpers/smtp';
import { testEnv } from '../helpers/env';

const SECRET_SUBJECT = 'แผนย้ายข้าราชการ ลับ';

describe('letter text in pushed events and mails', () => {
  let org: Organisation;

  before(async () => {
    org = await buildOrganisation();
  });

  /** A draft whose process started while it was normal, then made ลับ; the task still names its subject. */
  async function secretDraftTask(authorId: number) {
    const doc = await Document.create({ organisationId: org.id, direction: 'outgoing', type: 'external', status: 'draft', urgency: 'normal', secrecy: 'normal', createdById: authorId, subject: SECRET_SUBJECT });
    const definition = await ProcessDefinition.create({ organisationId: org.id, key: `draft_${doc.id}`, name: null, version: 1, isActive: false, xml: '<x/>', sourceContext: '{}', deployedById: null });
    const instance = await ProcessInstance.create({ definitionId: definition.id, organisationId: org.id, processKey: definition.key, businessKey: null, documentId: doc.id, status: 'active', state: '{}', startedById: authorId, startedAt: new Date(), endedAt: null });
    const task = await Task.create({
      instanceId: instance.id, organisationId: org.id, processKey: 'outgoing_letter', elementId: 'sign', executionId: `sign_${doc.id}`, name: 'ลงนามหนังสือส่ง', title: SECRET_SUBJECT, status: 'open', documentId: doc.id,
    });
    await doc.update({ secrecy: 'secret' });
    return { doc, task };
  }

  describe('over Socket.io', () => {
    let server: http.Server;
    let realtime: Realtime;
    let url: string;
    const clients: TestClient[] = [];
    before(async () => {
      server = http.createServer();
      realtime = await attachRealtime(server, testEnv().ctx, { pollMs: 100, gapGraceMs: 200 });
      url = await listen(server);
    });
    after(async () => {
      for (const c of clients.splice(0)) c.close();
      await realtime.close();
    });

    it('sends a unit member who may not read the secret letter the escalation of its task without the letter\'s subject', async () => {
      const unit = await buildUnit(org.id);
      const author = await buildUser(org.id, { unitId: unit.id });
      const colleague = await buildUser(org.id, { unitId: unit.id });
      const { doc, task } = await secretDraftTask(author.id);
      const client = await connect(url, { token: await tokenFor(colleague) });
      clients.push(client);
      const id = await commitEvent({
        type: 'task.escalated', organisationId: org.id, subject: { type: 'task', id: Number(task.id) }, audience: { unitIds: [unit.id] },
        summary: { taskId: Number(task.id), instanceId: 1, name: task.name, title: task.name, letterSubject: SECRET_SUBJECT, urgency: 1, dueAt: null, documentId: Number(doc.id) },
      });
      await client.waitFor((events) => events.some((e) => e.id === id));
      const event = client.events.find((e) => e.id === id)!;
      expect(event.type).to.equal('task.escalated');
      expect(event.summary).to.include({ taskId: Number(task.id), documentId: Number(doc.id) });
      expect(JSON.stringify(event)).to.not.include(SECRET_SUBJECT);
    });
  });

  describe('by e-mail', () => {
    let smtp: TestSmtp;
    let worker: MailWorker;
    before(async () => {
      await passOverEarlierMail();
      smtp = await startSmtp();
      worker = await startMailWorker(testEnv().ctx, { smtpUrl: smtp.url, pollMs: 100, backoffMs: 100, digestIntervalMs: 3_600_000, log: () => {} });
    });
    after(async () => {
      await worker.close();
      await smtp.close();
    });

    it('mails the escalation of a secret draft\'s task with its subject to the author only, not to a supervisor who may not read it', async () => {
      const author = await buildUser(org.id);
      const supervisor = await buildUser(org.id);
      for (const u of [author, supervisor]) await u.update({ email: `${u.username}@example.go.th` });
      const { task } = await secretDraftTask(author.id);
      // As the runtime records it: the summary names the task, whose letter is the secret draft.
      await commitEvent({
        type: 'task.escalated', organisationId: org.id, subject: { type: 'task', id: Number(task.id) }, audience: { userIds: [author.id, supervisor.id] },
        summary: { taskId: Number(task.id), instanceId: 1, name: task.name, title: task.name, letterSubject: SECRET_SUBJECT, urgency: 1, dueAt: null },
      });
      const mails = await smtp.waitFor(2);
      const to = (address: string) => mails.find((m) => (m.to as { text: string }).text === address)!;
      // The supervisor reads the task's number, not its name (a process may name a task from its letter).
      expect(to(supervisor.email!).text).to.include(`งานเลขที่ ${task.id}`).and.not.include(SECRET_SUBJECT).and.not.include('ลงนามหนังสือส่ง');
      expect(to(supervisor.email!).subject).to.not.include(SECRET_SUBJECT);
      expect(to(author.email!).text).to.include(`เรื่อง: ${SECRET_SUBJECT}`).and.include('ลงนามหนังสือส่ง');
      expect(await MailMessage.count({ where: { userId: [author.id, supervisor.id] } })).to.equal(2);
    });
  });
});
