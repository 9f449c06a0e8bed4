// The admin pages over the organisation API, in a real browser.
import { expect } from 'chai';
import { fieldMessage, screenshot, signIn, startHarness, type Harness } from './harness';

describe('admin pages in a real browser', function () {
  this.timeout(120000);
  let h: Harness;

  before(async function () {
    this.timeout(180000);
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('lets an admin add a unit and a position in the chain of command, with a Thai message next to an empty required field', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'admin');
      await page.getByRole('link', { name: 'ส่วนราชการภายใน' }).click();
      await page.getByRole('heading', { name: 'ส่วนราชการภายใน' }).waitFor();
      await page.getByTestId('units-table').getByRole('cell', { name: 'กองกลาง', exact: true }).first().waitFor();
      await screenshot(page, '05-admin-units');

      await page.getByRole('button', { name: 'เพิ่มส่วนราชการ' }).click();
      const unitDialog = page.getByRole('dialog');
      await unitDialog.getByLabel('ชื่อ (ไทย)').fill('กลุ่มงานทดสอบระบบ');
      await unitDialog.getByLabel('ชื่อ (อังกฤษ)').fill('Test Systems Section');
      await unitDialog.getByLabel('ประเภท').selectOption('section');
      await unitDialog.getByLabel('รหัสเจ้าของเรื่อง').fill('สธ 0201.9');
      await unitDialog.getByLabel('อยู่ภายใต้').selectOption({ label: 'กองกลาง' });
      await screenshot(page, '06-admin-unit-form');
      await unitDialog.getByRole('button', { name: 'บันทึก' }).click();
      await unitDialog.waitFor({ state: 'detached' });
      const row = page.getByTestId('units-table').getByRole('row').filter({ hasText: 'กลุ่มงานทดสอบระบบ' });
      await row.getByText('กลุ่มงาน', { exact: true }).waitFor();
      await row.getByRole('cell', { name: 'กองกลาง', exact: true }).waitFor();

      await page.getByRole('link', { name: 'ตำแหน่งและสายการบังคับบัญชา' }).click();
      await page.getByRole('button', { name: 'เพิ่มตำแหน่ง' }).click();
      const positionDialog = page.getByRole('dialog');
      // Sent empty on purpose: a Thai message appears under the field, tied to it for screen readers.
      await positionDialog.getByRole('button', { name: 'บันทึก' }).click();
      const titleInput = positionDialog.getByLabel('ชื่อตำแหน่ง (ไทย)');
      await positionDialog.getByText('กรุณากรอกข้อมูลนี้').waitFor();
      expect(await titleInput.getAttribute('aria-invalid')).to.equal('true');
      expect(await fieldMessage(titleInput)).to.equal('กรุณากรอกข้อมูลนี้');
      await screenshot(page, '07-admin-position-required');
      await titleInput.fill('หัวหน้ากลุ่มงานทดสอบระบบ');
      await positionDialog.getByLabel('สังกัด').selectOption({ label: 'กลุ่มงานทดสอบระบบ' });
      await positionDialog.getByLabel('ผู้บังคับบัญชา (รายงานต่อ)').selectOption({ label: 'ผู้อำนวยการกองกลาง' });
      await positionDialog.getByRole('button', { name: 'บันทึก' }).click();
      await positionDialog.waitFor({ state: 'detached' });
      const positionRow = page.getByTestId('positions-table').getByRole('row').filter({ hasText: 'หัวหน้ากลุ่มงานทดสอบระบบ' });
      await positionRow.getByText('ผู้อำนวยการกองกลาง').waitFor();
      // Listed in chain-of-command order with who holds each position.
      const titles = (await page.getByTestId('positions-table').locator('tbody tr td:first-child').allTextContents()).map((x) => x.replace('└', '').trim());
      expect(titles.indexOf('หัวหน้ากลุ่มงานทดสอบระบบ')).to.be.greaterThan(titles.indexOf('ผู้อำนวยการกองกลาง'));
      expect(titles.indexOf('ผู้อำนวยการกองกลาง')).to.be.greaterThan(titles.indexOf('รองปลัดกระทรวงสาธารณสุข'));
      expect(titles[0]).to.equal('ปลัดกระทรวงสาธารณสุข');
      await page.getByTestId('positions-table').getByRole('row').filter({ hasText: 'นายวิชัย ทองดี' }).getByText('ผู้อำนวยการกองกลาง').first().waitFor();
      await screenshot(page, '08-admin-positions');
      await positionRow.getByRole('button', { name: /สายการบังคับบัญชา/ }).click();
      const chain = page.getByTestId('chain');
      await chain.getByText('ปลัดกระทรวงสาธารณสุข', { exact: true }).waitFor();
      const chainText = await chain.locator('li').allTextContents();
      expect(chainText).to.deep.equal(['หัวหน้ากลุ่มงานทดสอบระบบ', 'ผู้อำนวยการกองกลาง', 'รองปลัดกระทรวงสาธารณสุข', 'ปลัดกระทรวงสาธารณสุข']);
      await screenshot(page, '09-admin-chain-of-command');
    });
  });

  it('lets an admin appoint an acting official (รักษาราชการแทน) with order number and dates, shows the server\'s refusal next to the field, and revoke it', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'admin');
      await page.getByRole('link', { name: 'การมอบอำนาจ' }).click();
      await page.getByRole('button', { name: 'แต่งตั้งผู้ปฏิบัติหน้าที่แทน' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('ตำแหน่งที่ปฏิบัติแทน').selectOption({ label: 'ผู้อำนวยการกองกลาง' });
      await dialog.getByLabel('ผู้ได้รับมอบหมาย').selectOption({ label: 'นางสาวมาลี รักงาม (sectionhead)' });
      await dialog.getByLabel('รักษาราชการแทน').check();
      await dialog.getByLabel('ตั้งแต่').fill('01/12/2569 08.30'); // B.E., as written on the order
      // Ends before it starts: the server refuses it, and says so under "ถึง".
      await dialog.getByLabel('ถึง').fill('30/11/2569 16.30');
      await dialog.getByLabel('เลขที่คำสั่ง').fill('คำสั่งสำนักงานปลัดกระทรวงสาธารณสุข ที่ 99/2569');
      await dialog.getByLabel('ลงวันที่คำสั่ง').fill('25/11/2569');
      await dialog.getByText('25 พฤศจิกายน 2569').waitFor();
      await dialog.getByRole('button', { name: 'บันทึก' }).click();
      await dialog.getByTestId('form-error').waitFor();
      const endsAt = dialog.getByLabel('ถึง');
      expect(await endsAt.getAttribute('aria-invalid')).to.equal('true');
      expect(await fieldMessage(endsAt)).to.include('วันเวลาสิ้นสุดต้องอยู่หลังวันเวลาเริ่มต้น');
      await screenshot(page, '10-admin-delegation-server-error');

      await endsAt.fill('15/12/2569 16.30');
      await dialog.getByRole('button', { name: 'บันทึก' }).click();
      await dialog.waitFor({ state: 'detached' });
      const row = page.getByRole('row').filter({ hasText: 'ที่ 99/2569' });
      await row.getByText('นางสาวมาลี รักงาม').waitFor();
      const text = (await row.textContent())!;
      expect(text).to.include('รักษาราชการแทน');
      expect(text).to.include('1 ธ.ค. 2569 08.30 น.');
      expect(text).to.include('15 ธ.ค. 2569 16.30 น.');
      expect(text).to.include('25 พฤศจิกายน 2569');
      page.once('dialog', (d) => void d.accept());
      await row.getByRole('button', { name: 'ยกเลิกการมอบอำนาจ' }).click();
      await row.getByText('ยกเลิกแล้ว').waitFor();
      await screenshot(page, '11-admin-delegations');
    });
  });

  it('lets an admin add a user who can then sign in, and an organisation below their own', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'admin');
      await page.goto('/admin/users');
      await page.getByRole('button', { name: 'เพิ่มผู้ใช้' }).click();
      const dialog = page.getByRole('dialog');
      // A username that exists: the server's 409 lands next to the username.
      await dialog.getByLabel('ชื่อผู้ใช้').fill('director');
      await dialog.getByLabel(/^รหัสผ่าน/).fill('a-long-enough-password');
      await dialog.getByRole('textbox', { name: 'ชื่อ', exact: true }).fill('ซ้ำ');
      await dialog.getByRole('textbox', { name: 'นามสกุล', exact: true }).fill('ซ้ำ');
      await dialog.getByRole('button', { name: 'บันทึก' }).click();
      await dialog.getByTestId('form-error').getByText('ข้อมูลซ้ำหรือขัดกับข้อมูลที่มีอยู่แล้ว').waitFor();
      expect(await dialog.getByLabel('ชื่อผู้ใช้').getAttribute('aria-invalid')).to.equal('true');
      expect(await fieldMessage(dialog.getByLabel('ชื่อผู้ใช้'))).to.match(/unique/);
      await dialog.getByLabel('ชื่อผู้ใช้').fill('somchai.j');
      await dialog.getByLabel(/^รหัสผ่าน/).fill('a-long-enough-password');
      await dialog.getByLabel('คำนำหน้า').fill('นาย');
      await dialog.getByRole('textbox', { name: 'ชื่อ', exact: true }).fill('สมชาย');
      await dialog.getByRole('textbox', { name: 'นามสกุล', exact: true }).fill('ใจดี');
      await dialog.getByRole('combobox', { name: 'ตำแหน่ง', exact: true }).selectOption({ label: 'นักจัดการงานทั่วไป' });
      await dialog.getByRole('button', { name: 'บันทึก' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('row').filter({ hasText: 'somchai.j' }).getByText('นายสมชาย ใจดี').waitFor();

      await page.goto('/admin/organisation');
      await page.getByRole('button', { name: 'เพิ่มหน่วยงานในสังกัด' }).click();
      const orgDialog = page.getByRole('dialog');
      await orgDialog.getByLabel('ชื่อหน่วยงาน (ไทย)').fill('สำนักงานสาธารณสุขจังหวัดลำปาง');
      await orgDialog.getByLabel('รหัสหน่วยงาน (ที่)').fill('ลป 0033');
      await orgDialog.getByRole('button', { name: 'บันทึก' }).click();
      await orgDialog.waitFor({ state: 'detached' });
      await page.waitForURL(/\?org=\d+/);
      // The form refills from the server after the URL changes: poll rather than read once.
      let shown = '';
      for (let i = 0; i < 50 && shown !== 'สำนักงานสาธารณสุขจังหวัดลำปาง'; i++) {
        shown = await page.getByLabel('ชื่อหน่วยงาน (ไทย)').inputValue();
        if (shown !== 'สำนักงานสาธารณสุขจังหวัดลำปาง') await page.waitForTimeout(100);
      }
      expect(shown).to.equal('สำนักงานสาธารณสุขจังหวัดลำปาง');
      const choices = await page.getByLabel('หน่วยงาน', { exact: true }).locator('option').allTextContents();
      expect(choices).to.include('สำนักงานสาธารณสุขจังหวัดลำปาง');

      await page.getByRole('button', { name: 'ออกจากระบบ' }).click();
      // Signing out tells the server first: navigating away before it is done would keep the session.
      await page.waitForURL('**/login');
      await signIn(page, 'somchai.j', 'a-long-enough-password');
      await page.getByTestId('who-am-i').getByText('นายสมชาย ใจดี').waitFor();
      await page.getByTestId('who-am-i').getByText('นักจัดการงานทั่วไป').waitFor();
    });
  });

  it('shows the other admin pages: organisation, users, groups and members, delegations with B.E. dates', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'admin');
      await page.goto('/admin/organisation');
      await page.getByRole('button', { name: 'เพิ่มหน่วยงานในสังกัด' }).waitFor();
      expect(await page.getByLabel('รหัสหน่วยงาน (ที่)').inputValue()).to.equal('สธ 02');
      await screenshot(page, '12-admin-organisation');
      await page.goto('/admin/users');
      await page.getByRole('cell', { name: 'director', exact: true }).waitFor();
      await screenshot(page, '13-admin-users');
      await page.goto('/admin/groups');
      await page.getByRole('cell', { name: 'system_admin' }).waitFor();
      await screenshot(page, '14-admin-groups');
      await page.getByRole('row').filter({ hasText: 'process_designer' }).getByRole('button', { name: 'สมาชิก' }).click();
      const members = page.getByRole('dialog');
      await members.getByRole('cell', { name: 'designer', exact: true }).waitFor();
      await members.getByLabel('เลือกผู้ใช้').selectOption({ label: 'นายธนพล มั่นคง (officer)' });
      await members.getByRole('button', { name: 'เพิ่มสมาชิก' }).click();
      await members.getByRole('cell', { name: 'officer', exact: true }).waitFor();
      await members.getByRole('button', { name: 'นำออก officer' }).click();
      await members.getByRole('cell', { name: 'officer', exact: true }).waitFor({ state: 'detached' });
      await page.keyboard.press('Escape');
      await members.waitFor({ state: 'detached' });
      await page.goto('/admin/delegations');
      const row = page.getByRole('row').filter({ hasText: 'ปฏิบัติราชการแทน' }).first();
      await row.getByText('รองปลัดกระทรวง').waitFor();
      expect(await row.textContent()).to.include(String(new Date().getFullYear() + 543));
      await screenshot(page, '15-admin-delegations');
    });
  });
});
