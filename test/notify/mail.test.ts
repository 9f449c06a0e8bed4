// E-mail notifications: real SMTP on loopback, events committed through recordEvent.
import { expect } from 'chai';
import { Delegation, Group, MailMessage, Organisation } from '../../server/db/models';
import { recordEvents } from '../../server/modules/events/outbox';
import { startMailWorker, MailWorker, MailWorkerOptions } from '../../server/modules/notify/mail/worker';
import { api, buildOrganisation, buildPosition, buildUser, login } from '../helpers/factories';
import { commitEvent } from '../helpers/realtime';
import { passOverEarlierMail, startSmtp, TestSmtp } from '../helpers/smtp';
import { testEnv } from '../helpers/env';

/** The worker marks the row sent just after the SMTP server took the mail: give it that moment (up to 5 s). */
async function sentRowOf(userId: number): Promise<void> {
  const sentRow = () => MailMessage.findOne({ where: { userId, status: 'sent' } });
  for (const started = Date.now(); !(await sentRow()) && Date.now() - started < 5000; ) await new Promise((r) => setTimeout(r, 20));
}

describe('e-mail notifications', () => {
  let org: Organisation;
  let smtp: TestSmtp;
  let worker: MailWorker | undefined;
  const lines: string[] = [];
  const start = async (options: MailWorkerOptions = {}) => {
    worker = await startMailWorker(testEnv().ctx, { smtpUrl: smtp.url, pollMs: 100, backoffMs: 100, digestIntervalMs: 3_600_000, log: (l) => lines.push(l), ...options });
    return worker;
  };
  const person = async () => {
    const user = await buildUser(org.id);
    await user.update({ email: `${user.username}@example.go.th`, prefixTh: 'นาย', firstNameTh: 'สมชาย', lastNameTh: 'ใจดี' });
    return user;
  };

  before(async () => {
    org = await buildOrganisation();
  });
  beforeEach(async () => {
    await passOverEarlierMail();
    smtp = await startSmtp();
    lines.length = 0;
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await smtp.close();
  });

  it('mails a person assigned a task, in Thai with a UTF-8 subject and a link to the task', async () => {
    await start();
    const user = await person();
    const taskId = await commitEvent({
      type: 'task.assigned', organisationId: org.id, subject: { type: 'task', id: 4711 }, audience: { userIds: [user.id] },
      summary: { title: 'พิจารณาหนังสือเข้า', letterSubject: 'ขอเชิญประชุมคณะกรรมการ', urgency: 'ด่วน', dueAt: '2026-12-01T03:00:00Z' },
    });
    const [mail] = await smtp.waitFor(1);
    expect(taskId).to.be.a('number');
    expect(mail.subject).to.equal('[ด่วน] งานใหม่ถึงท่าน: พิจารณาหนังสือเข้า');
    expect((mail.to as { text: string }).text).to.equal(user.email);
    expect(mail.text).to.include('เรียน นายสมชาย ใจดี');
    expect(mail.text).to.include('เรื่อง: ขอเชิญประชุมคณะกรรมการ');
    expect(mail.text).to.include('http://localhost/tasks/4711');
    expect(mail.text).to.include('กำหนดเสร็จ: 1 ธันวาคม 2569 เวลา 10.00 น.'); // Buddhist era, Thai time, as in the registers
    await sentRowOf(user.id);
    const row = await MailMessage.findOne({ where: { userId: user.id } });
    expect(row).to.include({ status: 'sent', attempts: 1, kind: 'assigned' });
  });

  it("mails an escalation with the letter's urgency", async () => {
    await start();
    const supervisor = await person();
    await commitEvent({ type: 'task.escalated', organisationId: org.id, subject: { type: 'task', id: 88 }, audience: { userIds: [supervisor.id] }, summary: { title: 'ลงนามหนังสือส่ง', urgency: '004' } });
    const [mail] = await smtp.waitFor(1);
    expect(mail.subject).to.equal('[ด่วนที่สุด] งานเกินกำหนด: ลงนามหนังสือส่ง');
    expect(mail.text).to.include('ชั้นความเร็วของหนังสือ: ด่วนที่สุด');
    expect(mail.text).to.include('http://localhost/tasks/88');
  });

  it('sends a group one digest per member at the interval instead of one mail per task', async () => {
    const groupOrg = await buildOrganisation();
    const mk = async () => {
      const u = await buildUser(groupOrg.id, { roles: ['registry_clerk'] });
      await u.update({ email: `${u.username}@example.go.th` });
      return u;
    };
    const [a, b] = [await mk(), await mk()];
    const clerks = await Group.findOne({ where: { organisationId: groupOrg.id, key: 'registry_clerk' } });
    await start({ digestIntervalMs: 800 });
    await testEnv().ctx.db.sequelize.transaction((t) =>
      recordEvents(t, [1, 2, 3].map((n) => ({ type: 'task.created', organisationId: groupOrg.id, subject: { type: 'task', id: 500 + n }, audience: { groupIds: [clerks!.id] }, summary: { title: `ลงรับหนังสือฉบับที่ ${n}` } }))),
    );
    const mails = await smtp.waitFor(2);
    await new Promise((r) => setTimeout(r, 1200)); // a further interval passes: no second digest
    expect(smtp.messages).to.have.length(2);
    expect(mails.map((m) => (m.to as { text: string }).text).sort()).to.deep.equal([a.email, b.email].sort());
    for (const mail of mails) {
      expect(mail.subject).to.equal('สรุปงานใหม่ของกลุ่มงานที่ท่านสังกัด 3 รายการ');
      for (const n of [1, 2, 3]) expect(mail.text).to.include(`ลงรับหนังสือฉบับที่ ${n}`).and.include(`http://localhost/tasks/${500 + n}`);
    }
  });

  it('mails the holder of a position and whoever acts for it today, not a past delegate', async () => {
    await start();
    const position = await buildPosition(org.id);
    const holder = await person();
    await holder.update({ positionId: position.id });
    const acting = await person();
    const former = await person();
    const order = { organisationId: org.id, principalPositionId: position.id, capacity: 'acting_for', orderNumber: 'คำสั่ง 2/2569' };
    await Delegation.create({ ...order, delegateUserId: acting.id, startsAt: new Date(Date.now() - 60000), endsAt: null });
    await Delegation.create({ ...order, delegateUserId: former.id, startsAt: new Date(Date.now() - 120000), endsAt: new Date(Date.now() - 60000) });
    await commitEvent({ type: 'task.assigned', organisationId: org.id, audience: { positionIds: [position.id] }, summary: { title: 'ถึงตำแหน่ง' } });
    const mails = await smtp.waitFor(2);
    await worker!.run();
    expect(smtp.messages).to.have.length(2);
    expect(mails.map((m) => (m.to as { text: string }).text).sort()).to.deep.equal([holder.email, acting.email].sort());
  });

  it('sends nothing to a user who turned e-mail off through the API', async () => {
    await start();
    const quiet = await person();
    const loud = await person();
    const session = await login(quiet.username);
    const res = await api().put('/api/me/notifications').set(session.auth).send({ email: false });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ email: false, emailAddress: quiet.email });
    expect((await api().put('/api/me/notifications').set(session.auth).send({ email: 'no' })).status).to.equal(400);
    expect((await api().get('/api/me/notifications').set(session.auth)).body.email).to.equal(false);
    await commitEvent({ type: 'task.assigned', organisationId: org.id, audience: { userIds: [quiet.id] }, summary: { title: 'เงียบ' } });
    await commitEvent({ type: 'task.assigned', organisationId: org.id, audience: { userIds: [loud.id] }, summary: { title: 'ดัง' } });
    await smtp.waitFor(1);
    await worker!.run();
    expect(smtp.messages.map((m) => m.subject)).to.deep.equal(['งานใหม่ถึงท่าน: ดัง']);
    expect(await MailMessage.count({ where: { userId: quiet.id } })).to.equal(0);
  });

  it('keeps retrying with backoff while the SMTP server fails, and delivers each mail once when it recovers', async () => {
    await start();
    smtp.failNext = 3;
    const user = await person();
    await commitEvent({ type: 'task.assigned', organisationId: org.id, audience: { userIds: [user.id] }, summary: { title: 'ต้องถึงแน่นอน' } });
    const [mail] = await smtp.waitFor(1);
    expect(mail.subject).to.equal('งานใหม่ถึงท่าน: ต้องถึงแน่นอน');
    expect(smtp.refused).to.equal(3);
    await sentRowOf(user.id);
    const row = (await MailMessage.findOne({ where: { userId: user.id } }))!;
    expect(row).to.include({ status: 'sent', attempts: 4 });
    expect(lines.filter((l) => l.includes('not sent'))).to.have.length(3);
    await worker!.run();
    expect(smtp.messages).to.have.length(1);
  });

  it('queues mail without SMTP_URL, logs it as not sent, and sends it once SMTP is configured', async () => {
    await start({ smtpUrl: '' });
    const user = await person();
    await commitEvent({ type: 'task.assigned', organisationId: org.id, audience: { userIds: [user.id] }, summary: { title: 'รอส่ง' } });
    await worker!.run();
    expect(lines.some((l) => l.includes('NOT sent') && l.includes(user.email!))).to.equal(true);
    expect(await MailMessage.findOne({ where: { userId: user.id } })).to.include({ status: 'pending' });
    await worker!.close();
    await start();
    const [mail] = await smtp.waitFor(1);
    expect(mail.subject).to.equal('งานใหม่ถึงท่าน: รอส่ง');
  });

  it('reads each event once even with several workers (processes) on the same database', async () => {
    const user = await person();
    const workers = [await start(), await start(), await start()];
    for (let i = 0; i < 5; i++) await commitEvent({ type: 'task.assigned', organisationId: org.id, subject: { type: 'task', id: 900 + i }, audience: { userIds: [user.id] } });
    await smtp.waitFor(5);
    await Promise.all(workers.map((w) => w.run()));
    expect(smtp.messages).to.have.length(5);
    for (const w of workers) await w.close();
  });
});
