// The citizens' e-channel in a real browser, on a phone-size page: a person opens the central
// office's public page, fills the form, the ALTCHA widget solves its proof of work, and the receipt
// shows the tracking code, which also arrives by e-mail (a real SMTP conversation). The ministry's
// clerk accepts the letter from the arrivals tray; the person's tracking page shows it registered
// (and a mail says so); the clerk links a numbered reply on the letter's page and the person downloads it. axe-core finds
// no serious or critical WCAG 2.1 AA problem on the public pages, and they set no cookie.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { screenshot, signIn, startHarness, type Harness } from './harness';
import { apiOf } from './api';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

const PDF = '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true };
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is now. */
async function axeProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE); // evaluated by the browser's debugger protocol: the page's CSP does not apply
  type Result = { violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> };
  const result = (await page.evaluate("axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })")) as Result;
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe("the citizens' e-channel in a real browser", function () {
  this.timeout(300000);
  let h: Harness;
  let smtp: TestSmtp;
  let dir: string;

  before(async function () {
    this.timeout(180000);
    smtp = await startSmtp();
    // A cheap proof of work: the widget solves a real challenge, in a few milliseconds.
    h = await startHarness({ SMTP_URL: smtp.url, ALTCHA_COST: '1', ALTCHA_COUNTER_MIN: '5', ALTCHA_COUNTER_MAX: '40' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saraban-citizen-'));
    fs.writeFileSync(path.join(dir, 'ภาพถ่ายจุดที่น้ำท่วม.pdf'), PDF);
  });
  after(async () => {
    await h?.close();
    await smtp?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes a request from a phone, tracks it through acceptance to the downloaded answer, by screen and by mail', async () => {
    const subject = 'ขอให้ขุดลอกท่อระบายน้ำหน้าโรงพยาบาลส่งเสริมสุขภาพตำบล';
    const email = 'prasit.citizen@example.com';
    const api = apiOf(h.baseUrl);
    let code = '';
    await h.withPage(async (page) => {
      await page.goto('/public/MOPH-OPS');
      await page.getByRole('heading', { name: 'ติดต่อหน่วยงานทางอิเล็กทรอนิกส์' }).waitFor();
      await page.getByText('สำนักงานปลัดกระทรวงสาธารณสุข').waitFor();
      expect(await axeProblems(page), 'the form page').to.deep.equal([]);

      // Checked on the page as the server checks it: the ID's check digit.
      await page.getByLabel('ชื่อ-นามสกุล').fill('นายประสิทธิ์ ชาวนา');
      await page.getByLabel('เลขประจำตัวประชาชน 13 หลัก').fill('1234567890123');
      await page.getByLabel('ที่อยู่').fill('12 หมู่ 3 ตำบลบางกรวย อำเภอบางกรวย จังหวัดนนทบุรี 11130');
      await page.getByLabel('อีเมล').fill(email);
      await page.getByLabel('เรื่อง').fill(subject);
      await page.getByLabel('รายละเอียด').fill('ท่อระบายน้ำอุดตัน น้ำท่วมขังทุกครั้งที่ฝนตก ผู้ป่วยเดินทางลำบาก');
      await page.locator('input[type=file]').setInputFiles(path.join(dir, 'ภาพถ่ายจุดที่น้ำท่วม.pdf'));
      await page.getByRole('button', { name: 'ส่งคำร้อง' }).click();
      await page.getByText('เลขประจำตัวประชาชนไม่ถูกต้อง').waitFor();
      await page.getByLabel('เลขประจำตัวประชาชน 13 หลัก').fill('1-1017-00230-70-8');

      // The proof of work: the widget starts solving the server's challenge once the form has focus
      // (auto="onfocus"); a person quicker than that ticks it. While it works, its spinner covers the box.
      const widget = page.getByTestId('altcha');
      const verified = page.locator('[data-testid="altcha"][data-verified="true"]');
      if (!(await verified.count())) await widget.getByRole('checkbox').check({ timeout: 3000 }).catch(() => undefined);
      await verified.waitFor();
      await screenshot(page, '70-citizen-form-phone');
      await page.getByRole('button', { name: 'ส่งคำร้อง' }).click();
      const shown = page.getByTestId('tracking-code');
      await shown.waitFor();
      code = ((await shown.textContent()) ?? '').trim();
      expect(code).to.match(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
      expect(await axeProblems(page), 'the receipt').to.deep.equal([]);
      await screenshot(page, '71-citizen-receipt-phone');
      expect(await page.context().cookies(), 'no cookie on the public pages').to.deep.equal([]);
    }, PHONE);

    const [receipt] = await smtp.waitFor(1, 30000);
    expect((receipt.to as { text: string }).text).to.contain(email);
    expect(receipt.text).to.contain(code);

    // The ministry's clerk accepts it from the tray.
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await page.getByRole('link', { name: /หนังสือรอลงรับ/ }).click();
      const row = page.getByRole('row').filter({ hasText: subject });
      await row.getByText('นายประสิทธิ์ ชาวนา').waitFor();
      // The requester's contact data, for the clerk; the ID number masked.
      await row.getByRole('button', { name: 'ข้อมูลผู้ร้อง นายประสิทธิ์ ชาวนา' }).click();
      const details = page.getByRole('dialog').or(page.locator('.mantine-Popover-dropdown'));
      await details.getByText(email).waitFor();
      await details.getByText('•••••••••0708').waitFor();
      expect(await details.textContent()).to.not.contain('1101700230708');
      await page.keyboard.press('Escape');
      await row.getByRole('button', { name: `ลงรับ ${subject}` }).click();
      await page.getByRole('alert').filter({ hasText: /ลงรับแล้ว เลขรับ \d+\/25\d\d/ }).waitFor();
    });
    const mails = await smtp.waitFor(2, 30000);
    expect(mails[1].subject).to.contain('ลงทะเบียนรับคำร้องของท่านแล้ว');

    // The answer: a numbered outgoing letter with its PDF (made through the API), linked to the request on the letter's page.
    const token = await api.tokenOf('clerk');
    const [submission] = (await api.call<{ items: Array<{ id: number; receivedDocumentId: number }> }>(token, 'GET', '/citizens/submissions?limit=5')).items;
    const draft = await api.call<{ id: number }>(token, 'POST', '/documents', { direction: 'outgoing', type: 'external', subject: 'แจ้งผลการขุดลอกท่อระบายน้ำ', addressee: 'นายประสิทธิ์ ชาวนา', salutation: 'เรียน', body: 'ได้ดำเนินการแล้ว' });
    const upload = new FormData();
    upload.set('role', 'main');
    upload.append('file', new Blob([PDF], { type: 'application/pdf' }), 'หนังสือตอบ.pdf');
    await api.call(token, 'POST', `/documents/${draft.id}/attachments`, upload);
    const books = await api.call<{ items: Array<{ id: number; kind: string; unitId: number | null }> }>(token, 'GET', '/registers');
    await api.call(token, 'POST', `/registers/${books.items.find((b) => b.kind === 'outgoing' && b.unitId === null)!.id}/entries`, { documentId: draft.id });
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await page.goto(`/documents/${submission.receivedDocumentId}`);
      const request = page.getByTestId('citizen-request');
      await request.getByText(email).waitFor();
      await request.getByTestId('citizen-reply-picker').fill('แจ้งผลการขุดลอก');
      await page.getByRole('option', { name: /แจ้งผลการขุดลอกท่อระบายน้ำ/ }).click();
      await request.getByRole('button', { name: 'ส่งเป็นหนังสือตอบผู้ร้อง' }).click();
      await request.getByTestId('citizen-reply-linked').filter({ hasText: /ตอบผู้ร้องแล้วด้วยหนังสือที่ .+\/\d+/ }).waitFor();
      await screenshot(page, '73-citizen-reply-linked');
    });

    // The person tracks it (on the phone again) and downloads the answer.
    await h.withPage(async (page) => {
      await page.goto(`/public/track?code=${encodeURIComponent(code)}`);
      await page.getByRole('heading', { name: 'ติดตามสถานะคำร้อง' }).waitFor();
      expect(await axeProblems(page), 'the tracking page').to.deep.equal([]);
      await page.getByRole('textbox', { name: 'อีเมลที่ใช้ยื่นคำร้อง' }).fill('someone.else@example.com');
      await page.getByRole('button', { name: 'ตรวจสอบสถานะ' }).click();
      await page.getByText('ไม่พบคำร้องตามรหัสและข้อมูลที่ระบุ').waitFor();
      await page.getByRole('textbox', { name: 'อีเมลที่ใช้ยื่นคำร้อง' }).fill(email);
      await page.getByRole('button', { name: 'ตรวจสอบสถานะ' }).click();
      const result = page.getByTestId('tracking-result');
      await result.getByRole('heading', { name: 'ตอบแล้ว' }).waitFor();
      await result.getByText(/ลงทะเบียนรับ เลขรับ \d+\/25\d\d/).waitFor();
      await result.getByText('กลุ่มงานสารบรรณ').waitFor();
      expect(await result.textContent(), 'no official is named').to.not.contain('กัญญา');
      expect(await axeProblems(page), 'the tracking result').to.deep.equal([]);
      await screenshot(page, '72-citizen-tracking-phone');
      const [download] = await Promise.all([page.waitForEvent('download'), result.getByRole('button', { name: 'ดาวน์โหลด หนังสือตอบ.pdf' }).click()]);
      expect(download.suggestedFilename()).to.equal('หนังสือตอบ.pdf');
      expect(fs.readFileSync((await download.path())!, 'utf8')).to.equal(PDF);
      expect(await page.context().cookies()).to.deep.equal([]);
    }, PHONE);
    const all = await smtp.waitFor(3, 30000);
    expect(all[2].subject).to.contain('มีหนังสือตอบคำร้องของท่านแล้ว');
  });

  it('shows the public pages in English on request', async () => {
    await h.withPage(async (page) => {
      await page.goto('/public/MOPH-OPS');
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'Contact the agency online' }).waitFor();
      await page.getByText('Office of the Permanent Secretary, Ministry of Public Health').waitFor();
      expect(await axeProblems(page)).to.deep.equal([]);
    }, PHONE);
  });
});
