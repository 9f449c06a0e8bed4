// The exchange admin page in a real browser: the top administrator adds an agency elsewhere and sees
// it in the directory with its certificate fingerprint; the tabs for undelivered and refused open; an
// ECMS queue item set aside is listed and can be tried again.
import path from 'node:path';
import { expect } from 'chai';
import { Sequelize } from 'sequelize';
import { apiOf } from './api';
import { screenshot, signIn, startHarness, type Harness } from './harness';
import { makeParty } from '../exchange/ecms-helpers';

describe('exchange admin page in a real browser', function () {
  this.timeout(120000);
  let h: Harness;
  before(async function () {
    this.timeout(180000);
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('adds an ECMS agency to the directory in Thai, and shows the not-delivered and refused tabs', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'admin');
      await page.getByRole('link', { name: 'หน่วยงานภายนอก' }).click();
      await page.getByRole('heading', { name: 'การแลกเปลี่ยนหนังสือกับหน่วยงานภายนอก' }).waitFor();
      await page.getByText(/[0-9a-f]{64}/).waitFor(); // our certificate fingerprint
      await page.getByRole('button', { name: 'เพิ่มหน่วยงาน' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('ชื่อหน่วยงาน').fill('กรมทดสอบบน ECMS');
      await dialog.getByRole('textbox', { name: 'รหัสหน่วยงาน', exact: true }).fill('ทด 0101');
      await dialog.getByLabel('ช่องทาง').selectOption('ecms');
      await dialog.getByRole('button', { name: 'บันทึก' }).click();
      await dialog.getByText(/ecmsOrganisationId|รหัสหน่วยงานใน ECMS/).first().waitFor(); // the server says what ECMS needs
      await dialog.getByLabel('รหัสหน่วยงานใน ECMS').fill('11008');
      // An ECMS agency also needs its endpoint and a certificate that parses (issue 15).
      await dialog.getByLabel('ที่อยู่ปลายทาง (URL)').fill('https://ecms.example.go.th/ws');
      await dialog.getByLabel('ใบรับรอง (X.509 PEM)').fill(makeParty('11008').certificatePem);
      // An ECMS node that keeps letters for us: we poll it.
      await dialog.getByLabel('วิธีรับส่งทาง ECMS').selectOption({ label: 'ดึงจากคิวของตัวกลาง (เราไปรับหนังสือที่ค้างไว้ให้)' });
      await dialog.getByRole('button', { name: 'บันทึก' }).click();
      await dialog.waitFor({ state: 'detached' });
      const { call, tokenOf } = apiOf(h.baseUrl);
      const peers = await call<{ items: Array<{ nameTh: string; ecmsMode: string }> }>(await tokenOf('admin'), 'GET', '/exchange/peers');
      expect(peers.items.find((p) => p.nameTh === 'กรมทดสอบบน ECMS')?.ecmsMode).to.equal('poll');
      const row = page.getByRole('table', { name: 'ทะเบียนหน่วยงานภายนอก' }).getByRole('row').filter({ hasText: 'กรมทดสอบบน ECMS' });
      await row.getByRole('cell', { name: 'ECMS', exact: true }).waitFor();
      await screenshot(page, '40-exchange-directory');
      await page.getByRole('tab', { name: 'ส่งไม่ถึงปลายทาง' }).click();
      await page.getByText('ไม่มีรายการที่ส่งไม่ถึง').waitFor();
      await page.getByRole('tab', { name: 'คำขอที่ถูกปฏิเสธ' }).click();
      expect(await page.getByRole('table', { name: 'คำขอที่ถูกปฏิเสธ' }).count()).to.equal(1);
    });
  });

  it('lists an ECMS queue item set aside, and trying it again says why it cannot be stored, in Thai', async () => {
    // Set aside as the poll loop does (ecms-polling.test.ts drives that against a node); here only the page is under test.
    const db = new Sequelize({ dialect: 'sqlite', storage: path.join(h.dataDir, 'saraban.sqlite'), logging: false });
    const now = new Date();
    await db.query("INSERT INTO ecms_set_aside_items (nodeId, processId, kind, claimedSender, reason, detail, contentXml, bytes, status, createdAt, updatedAt) VALUES (1, 'node-item-7', 'letter', '12007', 'unknown_peer', 'The letter''s sender 12007 is not in the directory.', '<x/>', 4, 'held', ?, ?)", { replacements: [now, now] });
    await db.close();
    await h.withPage(async (page) => {
      await signIn(page, 'admin');
      await page.getByRole('link', { name: 'หน่วยงานภายนอก' }).click();
      await page.getByRole('tab', { name: 'รายการที่กันไว้จาก ECMS' }).click();
      const row = page.getByRole('table', { name: 'รายการที่กันไว้จาก ECMS' }).getByRole('row').filter({ hasText: '12007' });
      await row.getByText('unknown_peer').waitFor();
      await row.getByRole('button', { name: 'ลองรับเข้าอีกครั้ง' }).click();
      // This deployment runs without ECMS: the server refuses (409) and the page shows its Thai half.
      await page.getByText('ระบบนี้ไม่ได้เปิดใช้ ECMS').waitFor();
    });
  });
});
