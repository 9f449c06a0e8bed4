// Sending letters between organisations in a real browser: the ministry's clerk drafts, numbers and
// sends a letter with its PDF to the Chiang Mai provincial office through the send dialog; Chiang
// Mai's clerk, whose arrivals tray is already open, sees it arrive (no reload), coloured by urgency
// and counted in the navigation, previews its file and accepts it; the receive number shows at once,
// and the ministry's letter page says "ลงรับแล้ว เลขรับ N" without a reload. Then a letter sent to both
// provincial offices through the group shortcut is rejected (the reason is required) by one and
// returned as wrong recipient by the other; the sender resends to one and withdraws it again.
// Last, the outgoing list (หนังสือส่งออก — ติดตามการรับ) follows those letters live, with its "not
// received for more than N hours" filter, while the send dialog adds a one-off e-mail recipient.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { screenshot, signIn, startHarness, type Harness } from './harness';

const PDF = `%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj
trailer << /Root 1 0 R >>
%%EOF
`;

const CHIANG_MAI = 'สำนักงานสาธารณสุขจังหวัดเชียงใหม่';
const KHON_KAEN = 'สำนักงานสาธารณสุขจังหวัดขอนแก่น';

describe('sending letters and the arrivals tray in a real browser', function () {
  this.timeout(240000);
  let h: Harness;
  let dir: string;

  before(async function () {
    this.timeout(180000);
    h = await startHarness();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saraban-send-'));
    fs.writeFileSync(path.join(dir, 'หนังสือสั่งการ.pdf'), PDF);
  });
  after(async () => {
    await h?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The ministry's clerk drafts a letter (with its PDF when given), numbers it and opens its page. */
  async function numberedLetter(page: Page, subject: string, urgency: string, file?: string): Promise<void> {
    await page.goto('/registry/outgoing');
    await page.getByRole('heading', { name: 'ร่างหนังสือส่ง' }).waitFor();
    await page.getByLabel(/^เรื่อง/).first().fill(subject);
    await page.getByLabel('ถึง (เรียน)').fill('นายแพทย์สาธารณสุขจังหวัด');
    await page.getByLabel('ชั้นความเร็ว').selectOption({ label: urgency });
    await page.getByRole('button', { name: 'บันทึกร่าง' }).click();
    await page.getByRole('heading', { name: 'แก้ไขร่างหนังสือ' }).waitFor();
    if (file) {
      await page.getByLabel('ไฟล์หนังสือ (ฉบับหลัก)').setInputFiles(file);
      await page.getByRole('button', { name: 'แนบไฟล์' }).click();
      await page.getByTestId('attachments').getByText(path.basename(file)).waitFor();
    }
    await page.getByRole('button', { name: 'ออกเลข', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'ออกเลข', exact: true }).click(); // the confirmation names register and subject
    await page.getByRole('heading', { name: 'หนังสือออกเลขแล้ว' }).waitFor();
    await page.getByRole('link', { name: 'เปิดหนังสือ' }).click();
    await page.getByRole('heading', { name: subject }).waitFor();
  }

  it('sends a numbered letter to Chiang Mai, which sees it arrive live and accepts it; the sender sees the receive number live', async () => {
    const subject = 'ขอให้เร่งรัดการเฝ้าระวังโรคไข้เลือดออกในพื้นที่';
    const { context: cmContext, page: cm } = await h.newPage();
    try {
      // Chiang Mai's tray is open before anything is sent.
      await signIn(cm, 'cm.clerk');
      await cm.getByRole('link', { name: /หนังสือรอลงรับ/ }).click();
      await cm.getByRole('heading', { name: 'หนังสือรอลงรับ' }).waitFor();
      const arrival = cm.getByRole('row').filter({ hasText: subject });
      expect(await arrival.count()).to.equal(0);
      await cm.evaluate('window.trayMarker = 1');

      await h.withPage(async (page) => {
        await signIn(page, 'clerk');
        await numberedLetter(page, subject, 'ด่วนที่สุด', path.join(dir, 'หนังสือสั่งการ.pdf'));
        await page.evaluate('window.letterMarker = 1');
        const panel = page.getByTestId('deliveries');
        await panel.getByText('ยังไม่ได้ส่งหนังสือฉบับนี้').waitFor();

        // The send dialog: nothing picked is refused by the form; then Chiang Mai, found by its code.
        await panel.getByRole('button', { name: 'ส่งหนังสือ' }).click();
        const dialog = page.getByRole('dialog', { name: 'ส่งหนังสือถึงหน่วยงาน' });
        await dialog.getByRole('button', { name: 'ส่ง', exact: true }).click();
        await dialog.getByText('กรุณาเลือกหน่วยงานผู้รับอย่างน้อยหนึ่งแห่ง').waitFor();
        await dialog.getByLabel('ถึง (เรียน)').fill('ชม 0033');
        await page.getByRole('option', { name: `${CHIANG_MAI} (ชม 0033)` }).click();
        await screenshot(page, '60-deliveries-send-dialog');
        await dialog.getByRole('button', { name: 'ส่ง', exact: true }).click();
        await dialog.waitFor({ state: 'detached' });

        const line = panel.getByRole('row').filter({ hasText: CHIANG_MAI });
        await line.getByText('ถึงแล้ว').waitFor();
        await line.getByText('เรียน', { exact: true }).waitFor();

        // Live in Chiang Mai's tray: no reload, coloured as most urgent, counted in the navigation.
        await arrival.waitFor();
        expect(await cm.evaluate('window.trayMarker')).to.equal(1);
        await arrival.getByText('ด่วนที่สุด').waitFor();
        await arrival.getByText('สำนักงานปลัดกระทรวงสาธารณสุข').waitFor();
        await cm.getByRole('link', { name: /หนังสือรอลงรับ.*1/ }).waitFor();
        await arrival.getByRole('button', { name: 'เปิดดู หนังสือสั่งการ.pdf' }).click();
        await cm.getByTitle('หนังสือสั่งการ.pdf').waitFor();
        await screenshot(cm, '61-deliveries-arrivals-tray');

        await arrival.getByRole('button', { name: `ลงรับ ${subject}` }).click();
        const accepted = cm.getByRole('alert').filter({ hasText: /ลงรับแล้ว เลขรับ \d+\/25\d\d/ });
        await accepted.waitFor();
        const receiveNumber = Number(((await accepted.textContent()) ?? '').match(/เลขรับ (\d+)\//)![1]);
        await arrival.waitFor({ state: 'detached' });
        expect(await cm.evaluate('window.trayMarker')).to.equal(1);

        // The ministry's letter page follows, without a reload.
        await line.getByText(`ลงรับแล้ว เลขรับ ${receiveNumber}`, { exact: true }).waitFor();
        expect(await page.evaluate('window.letterMarker')).to.equal(1);
        expect(await line.getByRole('button', { name: /ถอนคืน/ }).count()).to.equal(0); // accepted: no longer withdrawn
        await screenshot(page, '62-deliveries-received');

        // The received letter is Chiang Mai's own now, and says where it came from.
        await accepted.getByRole('link', { name: 'เปิดหนังสือที่ลงรับ' }).click();
        await cm.getByRole('heading', { name: subject }).waitFor();
        await cm.getByTestId('receive-stamp').getByText(new RegExp(`เลขรับ ${receiveNumber}`)).waitFor();
        await cm.getByTestId('deliveries').getByText(/สำนักงานปลัดกระทรวงสาธารณสุข/).waitFor();
      });
    } finally {
      await cmContext.close();
    }
  });

  it('sends to every provincial office at once; one rejects with a required reason, the other returns it as wrong recipient; the sender resends', async () => {
    const subject = 'ขอความร่วมมือสำรวจข้อมูลบุคลากรสาธารณสุข';
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await numberedLetter(page, subject, 'ด่วน');
      const panel = page.getByTestId('deliveries');
      await panel.getByRole('button', { name: 'ส่งหนังสือ' }).click();
      const dialog = page.getByRole('dialog', { name: 'ส่งหนังสือถึงหน่วยงาน' });
      await dialog.getByLabel('เพิ่มทั้งกลุ่ม').selectOption({ label: 'ทุกสำนักงานจังหวัด (2)' });
      await dialog.getByText(`${CHIANG_MAI} (ชม 0033)`).waitFor();
      await dialog.getByText(`${KHON_KAEN} (ขก 0033)`).waitFor();
      await dialog.getByRole('button', { name: 'ส่ง', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      const cmLine = panel.getByRole('row').filter({ hasText: CHIANG_MAI });
      const kkLine = panel.getByRole('row').filter({ hasText: KHON_KAEN });
      await cmLine.getByText('ถึงแล้ว').waitFor();
      await kkLine.getByText('ถึงแล้ว').waitFor();

      // Sending again to an office that already has it: the server's refusal is shown in the dialog.
      await panel.getByRole('button', { name: 'ส่งหนังสือ' }).click();
      await dialog.getByLabel('ถึง (เรียน)').fill('เชียงใหม่');
      await page.getByRole('option', { name: `${CHIANG_MAI} (ชม 0033)` }).click();
      await dialog.getByRole('button', { name: 'ส่ง', exact: true }).click();
      await dialog.getByText(/ดำเนินการไม่ได้: .*already sent/).waitFor();
      await dialog.getByRole('button', { name: 'ยกเลิก' }).click();

      await h.withPage(async (cm) => {
        await signIn(cm, 'cm.clerk');
        await cm.getByRole('link', { name: /หนังสือรอลงรับ/ }).click();
        const row = cm.getByRole('row').filter({ hasText: subject });
        await row.getByRole('button', { name: `ปฏิเสธ ${subject}` }).click();
        const reject = cm.getByRole('dialog', { name: 'ปฏิเสธการรับหนังสือ' });
        await reject.getByRole('button', { name: 'ปฏิเสธ', exact: true }).click();
        await reject.getByText('กรุณาระบุเหตุผลอย่างน้อย 3 ตัวอักษร').waitFor();
        await reject.getByLabel('เหตุผล').fill('ไม่ใช่ภารกิจของหน่วยงาน');
        await reject.getByRole('button', { name: 'ปฏิเสธ', exact: true }).click();
        await reject.waitFor({ state: 'detached' });
        await row.waitFor({ state: 'detached' });
      });
      await h.withPage(async (kk) => {
        await signIn(kk, 'kk.clerk');
        await kk.getByRole('link', { name: /หนังสือรอลงรับ/ }).click();
        const row = kk.getByRole('row').filter({ hasText: subject });
        await row.getByRole('button', { name: `ส่งผิดหน่วยงาน ${subject}` }).click();
        await row.waitFor({ state: 'detached' });
      });

      await cmLine.getByText('ปฏิเสธ (ไม่ใช่ภารกิจของหน่วยงาน)').waitFor();
      await kkLine.getByText('ส่งผิด', { exact: true }).waitFor();
      await kkLine.getByRole('button', { name: `ส่งอีกครั้งถึง ${KHON_KAEN}` }).click();
      await kkLine.getByText('ถึงแล้ว').waitFor();
      await kkLine.getByRole('button', { name: `ถอนคืนหนังสือจาก ${KHON_KAEN}` }).click();
      await kkLine.getByRole('button', { name: `ส่งอีกครั้งถึง ${KHON_KAEN}` }).waitFor();
      expect(await kkLine.getByText('ถอนคืน', { exact: true }).count()).to.equal(1); // the status; its button is gone
      await screenshot(page, '63-deliveries-statuses');
    });
  });

  it('lists sent letters with their receipt, filters the not yet received ones, and follows a resend and an e-mail recipient live', async () => {
    const first = 'ขอให้เร่งรัดการเฝ้าระวังโรคไข้เลือดออกในพื้นที่';
    const second = 'ขอความร่วมมือสำรวจข้อมูลบุคลากรสาธารณสุข';
    await h.withPage(async (list) => {
      await signIn(list, 'clerk');
      await list.getByRole('link', { name: 'ติดตามหนังสือส่งออก' }).click();
      await list.getByRole('heading', { name: 'หนังสือส่งออก — ติดตามการรับ' }).waitFor();
      const received = list.getByRole('row').filter({ hasText: first });
      await received.getByText(/ลงรับแล้ว เลขรับ \d+/).waitFor();
      await received.getByText(/^\d{1,2} \S+ 25\d\d \d\d\.\d\d น\.$/).waitFor(); // sent, in the Buddhist era
      // Sent and not yet received for more than 0 hours: the earlier letters are all settled; only the
      // demo's circular still waits in Khon Kaen's tray.
      await list.getByRole('checkbox', { name: 'เฉพาะที่ส่งแล้วยังไม่ลงรับเกิน' }).check();
      await list.getByRole('textbox', { name: 'ชั่วโมง' }).fill('0');
      await list.getByRole('row').filter({ hasText: 'ขอให้เฝ้าระวังและรายงานสถานการณ์โรคไข้เลือดออกในพื้นที่' }).filter({ hasText: KHON_KAEN }).waitFor();
      await received.waitFor({ state: 'detached' });
      expect(await list.getByRole('row').filter({ hasText: second }).count(), 'settled letters are filtered out').to.equal(0);
      await list.evaluate('window.listMarker = 1');

      await h.withPage(async (page) => {
        await signIn(page, 'clerk');
        await page.goto('/deliveries/outgoing');
        await page.getByRole('link', { name: second }).first().click();
        await page.getByRole('heading', { name: second }).waitFor();
        const panel = page.getByTestId('deliveries');
        await panel.getByRole('button', { name: 'ส่งหนังสือ' }).click();
        const dialog = page.getByRole('dialog', { name: 'ส่งหนังสือถึงหน่วยงาน' });
        await dialog.getByLabel('อีเมลผู้รับ').fill('saraban@amphoe');
        await dialog.getByRole('button', { name: 'เพิ่มผู้รับทางอีเมล' }).click();
        await dialog.getByText('รูปแบบอีเมลไม่ถูกต้อง').waitFor();
        await dialog.getByLabel('อีเมลผู้รับ').fill('saraban@amphoe-mueang.example.go.th');
        await dialog.getByLabel('ชื่อผู้รับ (ตามที่เรียนในหนังสือ)').fill('นายอำเภอเมือง');
        await dialog.getByRole('button', { name: 'ส่ง', exact: true }).click();
        await dialog.waitFor({ state: 'detached' });
        const mailLine = panel.getByRole('row').filter({ hasText: 'นายอำเภอเมือง' });
        await mailLine.getByText('รอส่งทางอีเมล').waitFor(); // no SMTP here: it waits in the queue
        await mailLine.getByText('ทางอีเมล saraban@amphoe-mueang.example.go.th').waitFor();
        await panel.getByTestId('sending-route').getByText(/ส่งถึง 3 หน่วยงาน/).waitFor();
        const kkLine = panel.getByRole('row').filter({ hasText: KHON_KAEN });
        await kkLine.getByRole('button', { name: `ส่งอีกครั้งถึง ${KHON_KAEN}` }).click();
        await kkLine.getByRole('button', { name: `ส่งอีกครั้งถึง ${KHON_KAEN}` }).waitFor({ state: 'detached' }); // the resend replaced the line
        await panel.getByRole('row').filter({ hasText: KHON_KAEN }).filter({ hasText: 'ถึงแล้ว' }).waitFor();
      });

      // The open list followed, without a reload: both wait to be received now.
      // (The demo's circular also waits in Khon Kaen's tray: the line of this letter is the one to follow.)
      await list.getByRole('row').filter({ hasText: KHON_KAEN }).filter({ hasText: second }).getByText('ถึงแล้ว').waitFor();
      await list.getByRole('row').filter({ hasText: 'นายอำเภอเมือง' }).getByText('รอส่งทางอีเมล').waitFor();
      expect(await list.getByRole('row').filter({ hasText: first }).count()).to.equal(0);
      expect(await list.evaluate('window.listMarker')).to.equal(1);
      await screenshot(list, '64-deliveries-outgoing');
      await list.getByRole('row').filter({ hasText: KHON_KAEN }).getByRole('link', { name: second }).click();
      await list.getByRole('heading', { name: second }).waitFor();
    });
  });
});
