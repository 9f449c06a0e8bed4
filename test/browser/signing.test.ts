// Signing in a real browser: the director, at the ลงนาม step of an outgoing letter, signs it with the
// dialog (password again, then the PIN) and the letter's page then shows the signed PDF.
import { expect } from 'chai';
import { screenshot, signIn, startHarness, type Harness } from './harness';
import { apiOf, type Api } from './api';

describe('signing a letter in a real browser', function () {
  this.timeout(180000);
  let h: Harness;
  let api: Api;
  before(async function () {
    this.timeout(180000);
    h = await startHarness();
    api = apiOf(h.baseUrl);
  });
  after(async () => h?.close());

  it('lets the director sign at the ลงนาม step with the dialog, and shows the signed letter', async () => {
    const [clerk, sectionhead, director] = await Promise.all(['clerk', 'sectionhead', 'director'].map((u) => api.tokenOf(u)));
    // The scene through the API: a PIN and a certificate for the director; a letter drafted and sent up to be signed.
    await api.call(director, 'PUT', '/signatures/pin', { pin: '482913' });
    await api.call(director, 'POST', '/signatures/credentials', { pin: '482913' });
    const doc = await api.call<{ id: number }>(clerk, 'POST', '/documents', {
      direction: 'outgoing', type: 'external', subject: 'ขอส่งรายงานผลการดำเนินงาน (ลงนามในเบราว์เซอร์)', addressee: 'ผู้ว่าราชการจังหวัดเชียงใหม่', salutation: 'เรียน', body: 'ตามที่ได้แจ้งไว้ ผู้ใหญ่ น้ำ ปั้น', closing: 'ขอแสดงความนับถือ',
    });
    const { instance } = await api.call<{ instance: { id: number } }>(clerk, 'POST', '/workflow/instances', { processKey: 'outgoing_letter', documentId: doc.id });
    const done = async (token: string, element: string, variables: Record<string, unknown>) => api.call(token, 'POST', `/tasks/${(await api.taskOf(token, instance.id, element)).id}/complete`, { variables });
    await done(clerk, 'draft', { subject: 'ขอส่งรายงานผลการดำเนินงาน (ลงนามในเบราว์เซอร์)', addressee: 'ผู้ว่าราชการจังหวัดเชียงใหม่' });
    await done(sectionhead, 'review', { decision: 'forward', endorsement: 'เสนอ ผอ.กอง เพื่อโปรดลงนาม' });
    await done(director, 'review', { decision: 'sign' });

    await h.withPage(async (page) => {
      await signIn(page, 'director');
      await page.goto(`/documents/${doc.id}`);
      await page.getByTestId('sign-letter').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('รหัสผ่าน').fill('saraban-demo');
      await dialog.getByRole('button', { name: 'ยืนยัน' }).click();
      await dialog.getByLabel('รหัส PIN สำหรับลงนาม').fill('482913');
      await dialog.getByRole('button', { name: 'ลงนามและออกเลข' }).click();
      await dialog.waitFor({ state: 'detached' });
      // The page now shows the signed file: the letter the server answers carries a signature.
      const signed = await api.request(director, 'GET', `/documents/${doc.id}/letter`);
      const bytes = Buffer.from(await signed.arrayBuffer());
      expect(bytes.toString('latin1')).to.match(/\/ByteRange/);
      const pdf = page.getByTestId('document-view').getByTestId('letter-pdf');
      await page.locator(`[data-testid="letter-pdf"][data-size="${bytes.length}"]`).waitFor();
      expect(await pdf.getAttribute('src')).to.match(/^blob:/);
      await page.getByTestId('sign-letter').waitFor({ state: 'detached' });
      await screenshot(page, 'letter-signed');
    });
  });
});
