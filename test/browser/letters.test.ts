// Letters in a real browser: the draft form draws the letter as the author types (debounced), and
// the letter's page shows the PDF the server drew, fetched with the token from a blob: URL. Each
// frame is named by the letter's subject (not the blob's random id), and so is the PDF itself.
import { expect } from 'chai';
import { PDFDocument } from '@cantoo/pdf-lib';
import { screenshot, signIn, startHarness, type Harness } from './harness';
import { apiOf } from './api';

describe('letters in a real browser', function () {
  this.timeout(180000);
  let h: Harness;
  before(async function () {
    this.timeout(180000);
    h = await startHarness();
  });
  after(async () => h?.close());

  it('draws a live preview of the draft as the clerk types, then the letter on its page once saved', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await page.goto('/registry/outgoing');
      // Nothing to draw until there is a subject: the preview says what is missing.
      await page.getByTestId('letter-live-preview-error').waitFor();
      await page.locator('input[name="subject"]').fill('ขอเชิญประชุมคณะทำงานพัฒนาระบบสารบรรณ');
      await page.locator('input[name="addressee"]').fill('ผู้ว่าราชการจังหวัดเชียงใหม่');
      await page.locator('textarea[name="body"]').fill('ด้วยสำนักงานปลัดกระทรวงสาธารณสุขจะจัดประชุม ผู้ใหญ่ น้ำ ปั้น');
      const preview = page.getByTestId('letter-live-preview');
      await preview.waitFor();
      expect(await preview.getAttribute('src')).to.match(/^blob:/);
      expect(await preview.getAttribute('title')).to.equal('ตัวอย่างหนังสือ เรื่อง ขอเชิญประชุมคณะทำงานพัฒนาระบบสารบรรณ');
      const firstSize = Number(await preview.getAttribute('data-size'));
      expect(firstSize).to.be.greaterThan(1000);
      // A change redraws it (the size of the PDF moves with its text).
      await page.locator('textarea[name="body"]').fill('ด้วยสำนักงานปลัดกระทรวงสาธารณสุขจะจัดประชุม ผู้ใหญ่ น้ำ ปั้น\nจึงเรียนมาเพื่อโปรดพิจารณา จะขอบคุณยิ่ง');
      for (let i = 0; i < 150 && Number(await preview.getAttribute('data-size')) === firstSize; i++) await page.waitForTimeout(200);
      expect(Number(await preview.getAttribute('data-size'))).to.not.equal(firstSize);
      await screenshot(page, 'letter-live-preview');
      await page.getByRole('button', { name: 'บันทึกร่าง' }).click();
      await page.getByTestId('draft-page').waitFor();
      await page.getByRole('link', { name: 'เปิดหนังสือ' }).click();
      const pdf = page.getByTestId('document-view').getByTestId('letter-pdf');
      await pdf.waitFor();
      expect(await pdf.getAttribute('src')).to.match(/^blob:/);
      expect(await pdf.getAttribute('title')).to.equal('หนังสือ เรื่อง ขอเชิญประชุมคณะทำงานพัฒนาระบบสารบรรณ (PDF)');
      // The viewer's toolbar shows the PDF's own Title (else the blob's random id): the subject.
      const id = /\/documents\/(\d+)/.exec(page.url())![1];
      const res = await apiOf(h.baseUrl).request(await apiOf(h.baseUrl).tokenOf('clerk'), 'GET', `/documents/${id}/letter`);
      expect((await PDFDocument.load(await res.arrayBuffer(), { updateMetadata: false })).getTitle()).to.equal('ขอเชิญประชุมคณะทำงานพัฒนาระบบสารบรรณ');
      await screenshot(page, 'letter-page');
    });
  });
});
