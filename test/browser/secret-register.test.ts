// The secret register in a real browser: the secrets custodian finds it among the registers with
// its รับ/ส่ง and ชั้นความลับ columns; a registry clerk's register list does not offer it.
import { expect } from 'chai';
import { screenshot, signIn, startHarness, type Harness } from './harness';
import { apiOf } from './api';

describe('the secret register in a real browser', function () {
  this.timeout(180000);
  let h: Harness;
  before(async function () {
    this.timeout(180000);
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('shows the custodian the secret register with its letters, and not the clerk', async () => {
    const { call, request, tokenOf } = apiOf(h.baseUrl);
    const admin = await tokenOf('admin');
    const me = await call<{ user: { organisationId: number } }>(admin, 'GET', '/me');
    const orgId = me.user.organisationId;
    const groups = await call<{ items: Array<{ id: number; key: string | null }> }>(admin, 'GET', `/organisations/${orgId}/groups`);
    const password = 'custodian-password-1';
    await call(admin, 'POST', `/organisations/${orgId}/users`, {
      username: 'custodian', password, firstNameTh: 'สมศรี', lastNameTh: 'รักษาลับ', groupIds: groups.items.filter((g) => g.key === 'secrets_custodian' || g.key === 'staff').map((g) => g.id),
    });
    const custodian = await tokenOf('custodian', password);
    const books = await call<{ items: Array<{ id: number; kind: string }> }>(custodian, 'GET', '/registers');
    const secret = books.items.find((r) => r.kind === 'secret')!.id;
    const subject = 'แผนรักษาความปลอดภัยสถานที่ราชการ';
    const doc = await call<{ id: number }>(custodian, 'POST', '/documents', { direction: 'outgoing', type: 'external', subject, secrecy: 'confidential', addressee: 'ผู้ว่าราชการจังหวัดเชียงใหม่' });
    await call(custodian, 'POST', `/registers/${secret}/entries`, { documentId: doc.id });

    await h.withPage(async (page) => {
      await signIn(page, 'custodian', password);
      await page.goto(`/registry/registers?register=${secret}`);
      await page.getByTestId('secret-register').waitFor();
      const table = page.getByTestId('register-table');
      await expect(await table.locator('thead').innerText()).to.contain('ชั้นความลับ');
      const row = table.locator('tbody tr').first();
      await row.getByText(subject).waitFor();
      expect(await row.innerText()).to.match(/ส่ง[\s\S]*ลับ/);
      await screenshot(page, 'secret-register');
    });

    const clerk = await tokenOf('clerk');
    expect((await request(clerk, 'GET', `/registers/${secret}/entries`)).status).to.equal(404);
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await page.goto('/registry/registers');
      await page.getByTestId('register-table').waitFor();
      const options = await page.getByLabel('ทะเบียน', { exact: true }).locator('option').allInnerTexts();
      expect(options.length).to.be.greaterThan(0);
      expect(options.join('\n')).to.not.contain('ลับ');
      expect(await page.getByTestId('secret-register').count()).to.equal(0);
    });
  });
});
