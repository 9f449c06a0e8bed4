// A letter sent ONLY to e-mail addresses, in a real browser against a real SMTP conversation: no
// organisation's tray is involved, so the sender's views learn of it only from the pushes to the
// sending side (delivery.queued, then delivery.sent when the SMTP server accepts it, then
// delivery.received when the recipient confirms through the link). The open outgoing list and the
// letter's deliveries panel follow each step without a reload.
import { expect } from 'chai';
import { signIn, screenshot, startHarness, type Harness } from './harness';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

describe('a letter sent only by e-mail, followed live in a real browser', function () {
  this.timeout(240000);
  let h: Harness;
  let smtp: TestSmtp;

  before(async function () {
    this.timeout(180000);
    smtp = await startSmtp();
    h = await startHarness({ SMTP_URL: smtp.url });
  });
  after(async () => {
    await h?.close();
    await smtp?.close();
  });

  it("shows the e-mail recipient in the open outgoing list and the letter's panel as queued, sent and confirmed, without a reload", async () => {
    const subject = 'ขอเชิญประชุมหารือแนวทางการจัดเก็บข้อมูลผู้ป่วย';
    const name = 'สำนักงานสาธารณสุขอำเภอสันทราย';
    await h.withPage(async (list) => {
      await signIn(list, 'clerk');
      await list.getByRole('link', { name: 'ติดตามหนังสือส่งออก' }).click();
      await list.getByRole('heading', { name: 'หนังสือส่งออก — ติดตามการรับ' }).waitFor();
      expect(await list.getByRole('row').filter({ hasText: name }).count()).to.equal(0);
      await list.evaluate('window.listMarker = 1');

      await h.withPage(async (page) => {
        await signIn(page, 'clerk');
        await page.goto('/registry/outgoing');
        await page.getByRole('heading', { name: 'ร่างหนังสือส่ง' }).waitFor();
        await page.getByLabel(/^เรื่อง/).first().fill(subject);
        await page.getByLabel('ถึง (เรียน)').fill('สาธารณสุขอำเภอสันทราย');
        await page.getByRole('button', { name: 'บันทึกร่าง' }).click();
        await page.getByRole('heading', { name: 'แก้ไขร่างหนังสือ' }).waitFor();
        await page.getByRole('button', { name: 'ออกเลข', exact: true }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'ออกเลข', exact: true }).click(); // the confirmation names register and subject
        await page.getByRole('heading', { name: 'หนังสือออกเลขแล้ว' }).waitFor();
        await page.getByRole('link', { name: 'เปิดหนังสือ' }).click();
        await page.getByRole('heading', { name: subject }).waitFor();
        await page.evaluate('window.letterMarker = 1');

        const panel = page.getByTestId('deliveries');
        await panel.getByRole('button', { name: 'ส่งหนังสือ' }).click();
        const dialog = page.getByRole('dialog', { name: 'ส่งหนังสือถึงหน่วยงาน' });
        await dialog.getByLabel('อีเมลผู้รับ').fill('saraban@sansai.example.go.th');
        await dialog.getByLabel('ชื่อผู้รับ (ตามที่เรียนในหนังสือ)').fill(name);
        await dialog.getByRole('button', { name: 'ส่ง', exact: true }).click();
        await dialog.waitFor({ state: 'detached' });

        // The SMTP server accepts it: the panel goes from queued to sent by itself.
        const mailLine = panel.getByRole('row').filter({ hasText: name });
        await mailLine.getByText('ส่งแล้ว', { exact: true }).waitFor();
        const [mail] = await smtp.waitFor(1);
        expect(mail.subject).to.include(subject);

        // The open list learnt of the letter from the push to the sending side alone.
        const listLine = list.getByRole('row').filter({ hasText: name });
        await listLine.getByText('ส่งแล้ว', { exact: true }).waitFor();

        // The recipient confirms through the link in the mail (a page of the server, no account).
        const link = /(http:\/\/\S+\/api\/deliveries\/confirm\/\S+)/.exec(mail.text!)![1];
        await h.withPage(async (recipient) => {
          await recipient.goto(link);
          await recipient.getByRole('heading', { name: 'ยืนยันการรับหนังสือ' }).waitFor();
          await recipient.getByLabel(/ชื่อผู้รับ/).fill('นางสาวสมศรี ใจดี');
          await recipient.getByRole('button', { name: /ยืนยันการรับ/ }).click();
          await recipient.getByRole('heading', { name: 'ยืนยันการรับหนังสือแล้ว' }).waitFor();
        });
        await mailLine.getByText('ผู้รับยืนยันการรับแล้ว (นางสาวสมศรี ใจดี)').waitFor();
        expect(await page.evaluate('window.letterMarker')).to.equal(1);
        await screenshot(page, '65-deliveries-email-confirmed');
      });
      await list.getByRole('row').filter({ hasText: name }).getByText('ผู้รับยืนยันการรับแล้ว (นางสาวสมศรี ใจดี)').waitFor();
      expect(await list.evaluate('window.listMarker')).to.equal(1);
    });
  });
});
