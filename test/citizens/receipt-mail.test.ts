// The receipt goes with the first mail: a real SMTP conversation delivers the "received" mail with
// the PDF receipt (drawn by the letters' renderer when the mail is sent) attached; without the
// renderer (no Chromium: 503) the mail still goes, without the file, saying where to download it.
import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import type { ParsedMail } from 'mailparser';
import { MailMessage } from '../../server/db/models';
import { closeRenderer } from '../../server/modules/letters/render';
import { startMailWorker, MailWorker } from '../../server/modules/notify/mail/worker';
import { passOverEarlierMail, startSmtp, TestSmtp } from '../helpers/smtp';
import { testEnv } from '../helpers/env';
import { useTempFiles } from '../deliveries/helpers';
import { citizenApp, form, solvedProof, submitForm } from './helpers';

describe("the citizen's receipt by e-mail", () => {
  useTempFiles();
  let smtp: TestSmtp;
  let worker: MailWorker;
  let app: ReturnType<typeof citizenApp>;
  const lines: string[] = [];
  before(async () => {
    await passOverEarlierMail();
    smtp = await startSmtp();
    worker = await startMailWorker(testEnv().ctx, { smtpUrl: smtp.url, pollMs: 100, backoffMs: 100, digestIntervalMs: 3_600_000, log: (l) => lines.push(l) });
    app = citizenApp();
  });
  after(async () => {
    await worker.close();
    await smtp.close();
    await MailMessage.destroy({ where: { kind: 'citizen' } });
  });

  async function mailFor(email: string): Promise<{ code: string; mail: ParsedMail }> {
    const sent = await submitForm(app, 'MOPH-OPS', form({ email, subject: `ขอใบรับเรื่องทางอีเมล ${email}` }), await solvedProof(app));
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    const before = smtp.messages.length;
    await worker.run();
    await smtp.waitFor(before + 1, 60000);
    const mail = smtp.messages.find((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((to) => to?.text.includes(email)))!;
    expect(mail, `a mail to ${email}`).to.not.equal(undefined);
    return { code: sent.body.trackingCode as string, mail };
  }

  it('attaches the PDF receipt with the tracking code to the "received" mail', async function () {
    this.timeout(120000);
    const { code, mail } = await mailFor('receipt.attached@example.com');
    expect(mail.subject).to.contain('ได้รับคำร้องของท่านแล้ว').and.contain(code);
    expect(mail.attachments).to.have.length(1);
    const [file] = mail.attachments;
    expect(file.contentType).to.equal('application/pdf');
    expect(file.filename).to.equal(`receipt-${code}.pdf`);
    expect(file.content.subarray(0, 5).toString()).to.equal('%PDF-');
    const text = execFileSync('pdftotext', ['-', '-'], { input: file.content }).toString();
    expect(text).to.contain(code);
    expect(mail.text).to.contain('ใบรับเรื่อง (PDF) แนบมากับอีเมลนี้');
    const stored = (await MailMessage.findOne({ where: { toAddress: 'receipt.attached@example.com' } }))!;
    expect(stored.attachment, 'the queue names the receipt; no file is stored with the mail').to.match(/^citizen-receipt:\d+$/);
  });

  it('sends the mail without the file, saying where to download it, when the renderer is unavailable (503)', async function () {
    this.timeout(120000);
    const saved = process.env.CHROMIUM_PATH;
    await closeRenderer();
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      const { mail } = await mailFor('receipt.later@example.com');
      expect(mail.attachments).to.have.length(0);
      expect(mail.text).to.contain('ดาวน์โหลดใบรับเรื่อง (PDF) ได้ที่หน้าติดตามคำร้อง').and.contain('/public/track');
      expect(lines.some((l) => l.includes('not drawn') && l.includes('cannot be rendered')), lines.join('\n')).to.equal(true);
      expect((await MailMessage.findOne({ where: { toAddress: 'receipt.later@example.com' } }))!.status, 'sent, not held back').to.equal('sent');
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
      await closeRenderer();
    }
  });
});
