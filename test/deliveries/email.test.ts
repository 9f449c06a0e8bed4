// The e-mail channel (ข้อ 89/1) against a real SMTP conversation on loopback: the letter arrives with
// its files and a confirmation link; temporary refusals are retried, permanent ones fail the
// delivery; the link confirms once; secret letters do not go by e-mail.
import { expect } from 'chai';
import { Delivery, DeliveryEvent, DeliveryMail, OutboxEvent } from '../../server/db/models';
import { confirmToken, startLetterMailWorker, LetterMailWorker } from '../../server/modules/deliveries/email';
import { api, buildUser, login } from '../helpers/factories';
import { startSmtp, TestSmtp } from '../helpers/smtp';
import { testEnv } from '../helpers/env';
import { Cast, numberedLetter, outgoingLetter, pdf, registerOf, theCast, useTempFiles } from './helpers';

describe('sending letters by e-mail', () => {
  useTempFiles();
  let c: Cast;
  let smtp: TestSmtp;
  let worker: LetterMailWorker;
  before(async () => {
    c = await theCast();
  });
  beforeEach(async () => {
    smtp = await startSmtp();
    worker = startLetterMailWorker(testEnv().ctx, { smtpUrl: smtp.url, pollMs: 60_000, backoffMs: 50, maxBackoffMs: 50 });
  });
  afterEach(async () => {
    await worker.close();
    await smtp.close();
  });

  const sendByMail = (documentId: number, recipients: unknown[]) => api().post(`/api/documents/${documentId}/send`).set(c.clerk.auth).send({ recipients });
  const delivery = async (id: number) => (await api().get(`/api/deliveries/${id}`).set(c.clerk.auth)).body;
  /** Runs the worker until the delivery leaves the queue (the backoff is 50 ms here). */
  const settle = async (id: number) => {
    for (let i = 0; i < 100; i++) {
      await worker.run();
      const d = await Delivery.findByPk(id);
      if (d!.status !== 'queued') return d!;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`delivery ${id} is still queued`);
  };
  const linkIn = (text: string) => /\/api\/deliveries\/confirm\/([^\s]+)/.exec(text)![1];

  it('mails the letter with its main file and enclosures and a confirmation link; the link records who confirmed, once', async function () {
    this.timeout(30000);
    const draft = await api().post('/api/documents').set(c.clerk.auth).send(outgoingLetter({ subject: 'ขอเชิญประชุมเชิงปฏิบัติการ' }));
    const documentId = draft.body.id;
    for (const [role, body, name] of [['main', pdf, 'หนังสือส่ง.pdf'], ['enclosure', Buffer.concat([pdf, Buffer.from('% enclosure\n')]), 'สิ่งที่ส่งมาด้วย.pdf']] as const) {
      const up = await api().post(`/api/documents/${documentId}/attachments`).set(c.clerk.auth).field('role', role).attach('file', body, name);
      expect(up.status, JSON.stringify(up.body)).to.equal(201);
    }
    expect((await api().post(`/api/registers/${await registerOf(c.clerk, 'outgoing')}/entries`).set(c.clerk.auth).send({ documentId })).status).to.equal(201);
    await c.kk.update({ email: 'saraban@khonkaen.go.th' });

    const sent = await sendByMail(documentId, [{ email: 'Saraban@Agency.example.go.th', name: 'สำนักงานเกษตรอำเภอ' }, { organisationId: c.kk.id, via: 'email', role: 'copy' }]);
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    expect(sent.body.items.map((d: { status: string; recipient: { kind: string; email: string; name: string } }) => [d.status, d.recipient.kind, d.recipient.email, d.recipient.name]))
      .to.deep.equal([['queued', 'email', 'saraban@agency.example.go.th', 'สำนักงานเกษตรอำเภอ'], ['queued', 'email', 'saraban@khonkaen.go.th', c.kk.nameTh]]);
    const [oneOff, official] = sent.body.items.map((d: { id: number }) => d.id);
    expect(await api().get('/api/deliveries/arrivals').set(c.kkClerk.auth).then((r) => r.body.items.map((d: { id: number }) => d.id)), 'an e-mail is not in the tray').to.not.include(official);

    await settle(oneOff);
    await settle(official);
    const mails = await smtp.waitFor(2);
    const mail = mails.find((m) => (m.to as { text: string }).text.includes('saraban@agency.example.go.th'))!;
    expect(mail.subject).to.include('ขอเชิญประชุมเชิงปฏิบัติการ');
    expect(mail.text).to.include('เรียน สำนักงานเกษตรอำเภอ');
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).to.deep.equal([['หนังสือส่ง.pdf', 'application/pdf'], ['สิ่งที่ส่งมาด้วย.pdf', 'application/pdf']]);
    expect(mail.attachments[0].content.equals(pdf), 'the stored main file itself').to.equal(true);
    const seen = await delivery(oneOff);
    expect(seen.status).to.equal('sent');
    expect(seen.email).to.include({ status: 'sent', attempts: 1, lastError: null, confirmedAt: null });
    expect(seen.email.messageId).to.equal(mail.messageId);
    expect(seen.history.map((h: { status: string }) => h.status)).to.deep.equal(['queued', 'sent']);

    const token = linkIn(mail.text!);
    const page = await api().get(`/api/deliveries/confirm/${token}`).set('Accept', 'text/html');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('ยืนยันการรับ').and.include('<form method="post">');
    expect((await Delivery.findByPk(oneOff))!.status, 'opening the link confirms nothing').to.equal('sent');

    const before = Number((await OutboxEvent.max('id')) ?? 0);
    const confirmed = await api().post(`/api/deliveries/confirm/${token}`).send({ name: 'นางสาวสมหญิง รับดี' });
    expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(200);
    expect(confirmed.body).to.include({ deliveryId: oneOff, status: 'received', confirmedBy: 'นางสาวสมหญิง รับดี' });
    const after = await delivery(oneOff);
    expect(after).to.include({ status: 'received', statusTh: 'ผู้รับยืนยันการรับแล้ว' });
    expect(after.email.confirmedBy).to.equal('นางสาวสมหญิง รับดี');
    expect(after.receivedAt).to.be.a('string');
    const pushed = (await OutboxEvent.findAll({ where: { type: 'delivery.received' } })).filter((e) => Number(e.id) > before);
    expect(pushed.map((e) => e.organisationId), "the sender's rooms hear of it").to.deep.equal([c.central.id]);

    const again = await api().post(`/api/deliveries/confirm/${token}`).send({ name: 'someone else' });
    expect(again.status).to.equal(409);
    expect(again.body.error.details).to.include({ confirmedBy: 'นางสาวสมหญิง รับดี' });
    expect(await DeliveryEvent.count({ where: { deliveryId: oneOff, status: 'received' } })).to.equal(1);

    // The official address's link, confirmed from a browser form without a name: the address is who.
    const form = await api().post(`/api/deliveries/confirm/${linkIn(mails.find((m) => m !== mail)!.text!)}`).set('Accept', 'text/html').type('form').send('name=');
    expect(form.status).to.equal(200);
    expect(form.text).to.include('saraban@khonkaen.go.th');
    expect((await DeliveryMail.findByPk(official))!.confirmedBy).to.equal('saraban@khonkaen.go.th');
  });

  it('retries a temporary refusal (451) with backoff and then sends', async function () {
    this.timeout(20000);
    // An hour's backoff: the delivery waits visibly until the test moves its next attempt to now.
    await worker.close();
    worker = startLetterMailWorker(testEnv().ctx, { smtpUrl: smtp.url, pollMs: 60_000, backoffMs: 3_600_000 });
    smtp.failNext = 1;
    const documentId = await numberedLetter(c.clerk);
    const sent = await sendByMail(documentId, [{ email: 'busy@example.go.th' }]);
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    const id = sent.body.items[0].id;
    await worker.run();
    const waiting = await delivery(id);
    expect(waiting.status, 'still queued after the refusal').to.equal('queued');
    expect(waiting.email.attempts).to.equal(1);
    expect(waiting.email.lastError).to.match(/451/);
    expect(new Date(waiting.email.nextAttemptAt).getTime(), 'the next try is an hour away').to.be.greaterThan(Date.now() + 30 * 60_000);
    await worker.run();
    expect((await delivery(id)).status, 'not before its time').to.equal('queued');
    await DeliveryMail.update({ nextAttemptAt: new Date() }, { where: { deliveryId: id } });
    expect(await settle(id)).to.include({ status: 'sent' });
    expect(smtp.refused).to.equal(1);
    expect(await smtp.waitFor(1)).to.have.length(1);
    expect((await delivery(id)).email).to.include({ attempts: 2, lastError: null });
  });

  it('marks the delivery failed with the error on a permanent refusal (550) and tells the sender', async function () {
    this.timeout(20000);
    smtp.failNext = 1;
    smtp.failCode = 550;
    const documentId = await numberedLetter(c.clerk);
    const sent = await sendByMail(documentId, [{ email: 'nobody@example.go.th' }]);
    const id = sent.body.items[0].id;
    const before = Number((await OutboxEvent.max('id')) ?? 0);
    expect(await settle(id)).to.include({ status: 'failed' });
    const failed = await delivery(id);
    expect(failed.statusTh).to.equal('ส่งไม่สำเร็จ');
    expect(failed.reason).to.match(/550/);
    expect(failed.email).to.include({ status: 'failed', attempts: 1 });
    expect(failed.history.map((h: { status: string }) => h.status)).to.deep.equal(['queued', 'failed']);
    const told = (await OutboxEvent.findAll({ where: { type: 'delivery.failed' } })).filter((e) => Number(e.id) > before);
    expect(told.map((e) => e.organisationId)).to.deep.equal([c.central.id]);
    expect(smtp.messages).to.have.length(0);
  });

  it('answers a forged link 404 and an expired one 410', async function () {
    this.timeout(20000);
    const documentId = await numberedLetter(c.clerk);
    const id = (await sendByMail(documentId, [{ email: 'late@example.go.th' }])).body.items[0].id;
    await settle(id);
    const row = (await DeliveryMail.findByPk(id))!;
    const { secret } = testEnv().ctx.tokens;
    const forged = confirmToken('not the server secret', id, row.tokenId, row.tokenExpiresAt);
    expect((await api().post(`/api/deliveries/confirm/${forged}`).send({})).status).to.equal(404);
    expect((await api().post(`/api/deliveries/confirm/${confirmToken(secret, id, 'x'.repeat(24), row.tokenExpiresAt)}`).send({})).status, 'another jti').to.equal(404);
    expect((await api().get('/api/deliveries/confirm/garbage')).status).to.equal(404);
    const expired = confirmToken(secret, id, row.tokenId, new Date(Date.now() - 1000));
    const res = await api().post(`/api/deliveries/confirm/${expired}`).send({});
    expect(res.status).to.equal(410);
    expect(res.body.error.code).to.equal('gone');
    expect((await Delivery.findByPk(id))!.status).to.equal('sent');
  });

  it('refuses a secret letter by e-mail (422), and an organisation without an official address (422)', async function () {
    this.timeout(20000);
    const custodian = await login((await buildUser(c.central.id, { roles: ['secrets_custodian', 'staff'] })).username);
    const secretId = await numberedLetter(custodian, { secrecy: 'confidential' }, 'secret');
    const refused = await api().post(`/api/documents/${secretId}/send`).set(custodian.auth).send({ recipients: [{ email: 'agency@example.go.th' }] });
    expect(refused.status, JSON.stringify(refused.body)).to.equal(422);
    expect(refused.body.error.message).to.match(/e-mail/);
    expect(await Delivery.count({ where: { documentId: secretId } })).to.equal(0);

    await c.third.update({ email: null });
    const documentId = await numberedLetter(c.clerk);
    const none = await sendByMail(documentId, [{ organisationId: c.third.id, via: 'email' }]);
    expect(none.status).to.equal(422);
    expect(none.body.error.details[0]).to.include({ field: 'recipients.0.organisationId' });
    expect((await sendByMail(documentId, [{ email: 'not an address' }])).status).to.equal(400);
  });
});
