// The monitor in a real browser: the director watches incoming_letter; work done through the API
// (a letter arrives, a clerk screens it) changes the counts on the diagram without a reload
// (Socket.io), and an instance page shows the path taken and its history in Thai.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { screenshot, signIn, startHarness, type Harness } from './harness';
import { apiOf, type Api } from './api';

describe('the monitor in a real browser', function () {
  this.timeout(120000);
  let h: Harness;
  let call: Api['call'], tokenOf: Api['tokenOf'];

  before(async function () {
    this.timeout(180000);
    h = await startHarness();
    ({ call, tokenOf } = apiOf(h.baseUrl));
  });
  after(async () => {
    await h?.close();
  });

  /** The open count on an activity's badge in the diagram. */
  const openOn = async (page: Page, elementId: string) => Number(await page.getByTestId(`load-${elementId}`).getAttribute('data-open'));
  const waitForOpen = (page: Page, elementId: string, count: number) => page.locator(`[data-testid="load-${elementId}"][data-open="${count}"]`).waitFor();

  it('shows open work on the diagram of incoming_letter and updates the counts live as letters arrive and are screened; an instance page shows the path and history', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'director');
      await page.getByRole('link', { name: 'ติดตามงาน' }).click();
      await page.getByRole('heading', { name: 'ติดตามงาน', level: 2 }).waitFor();
      await page.getByTestId('live-status').getByText('อัปเดตอัตโนมัติ').waitFor();
      expect(await page.getByLabel('กระบวนงาน').inputValue()).to.equal('incoming_letter');
      await page.locator('[data-testid="process-diagram"][data-ready="true"]').waitFor();
      await page.getByTestId('load-screen').waitFor();
      // The bpmn.io watermark stays on the viewer (bpmn-js licence).
      expect(await page.locator('[data-testid="process-diagram"] a.bjs-powered-by').count()).to.equal(1);
      const screenBefore = await openOn(page, 'screen');
      const presentBefore = await openOn(page, 'present');
      await page.evaluate('window.monitorMarker = 1');

      const clerk = await tokenOf('clerk');
      const started = (await call(clerk, 'POST', '/workflow/instances', { processKey: 'incoming_letter', variables: { document: { subject: 'ทดสอบติดตามงาน', urgency: 2 } } })) as { instance: { id: number }; tasks: Array<{ id: number; elementId: string }> };
      await waitForOpen(page, 'screen', screenBefore + 1);
      expect(await openOn(page, 'present')).to.equal(presentBefore);
      // The step with work waiting is coloured on the heatmap: it has waited less than an hour.
      await page.locator('g[data-element-id="screen"].saraban-heat-1').waitFor();
      await screenshot(page, '40-monitor');

      const screen = started.tasks.find((t) => t.elementId === 'screen')!;
      await call(clerk, 'POST', `/tasks/${screen.id}/complete`, { variables: { summary: 'สรุปเรื่องเพื่อทดสอบ' } });
      await waitForOpen(page, 'present', presentBefore + 1);
      await waitForOpen(page, 'screen', screenBefore);
      expect(await page.evaluate('window.monitorMarker')).to.equal(1);
      const row = page.getByTestId('activity-table').locator('[data-element-id="present"]');
      expect(await row.locator('td').nth(1).textContent()).to.equal(String(presentBefore + 1));

      // The window selector of the slowest steps: the screened task was completed within the hour.
      await page.getByText('1 ชั่วโมงที่ผ่านมา').click();
      await page.getByTestId('slowest-table').getByText('ตรวจและสรุปเรื่อง').waitFor();
      expect(await page.getByTestId('slowest-table').textContent()).to.match(/นาที/);
      await page.getByTestId('slowest-table').scrollIntoViewIfNeeded();
      await screenshot(page, '42-monitor-tables');

      // Search the instance and open its page.
      await page.getByLabel(/^ค้นหา/).fill(String(started.instance.id));
      const link = page.getByTestId('instance-table').getByRole('link', { name: String(started.instance.id), exact: true });
      await link.waitFor();
      await link.click();
      await page.getByRole('heading', { name: `เรื่องเลขที่ ${started.instance.id}` }).waitFor();
      await page.locator('[data-testid="process-diagram"][data-ready="true"]').waitFor();
      expect(await page.locator('g[data-element-id="screen"].saraban-done').count()).to.equal(1);
      expect(await page.locator('g[data-element-id="present"].saraban-active').count()).to.equal(1);
      await page.getByTestId('instance-path').getByText('ตรวจและสรุปเรื่อง').waitFor();
      const history = page.getByTestId('instance-history');
      await history.getByText('เริ่มกระบวนงาน').waitFor();
      const completed = history.getByRole('row').filter({ hasText: 'ดำเนินการแล้ว' });
      expect(await completed.textContent()).to.match(/\d{1,2} [ก-๙.]+ \d{2} \d{2}\.\d{2} น\./);
      expect(await completed.textContent()).to.include('ตรวจและสรุปเรื่อง');
      await screenshot(page, '41-monitor-instance');
    });
  });

  it('lets an administrator cancel a running instance from its page, with a reason', async () => {
    const clerk = await tokenOf('clerk');
    const started = (await call(clerk, 'POST', '/workflow/instances', { processKey: 'incoming_letter', variables: { document: { subject: 'ทดสอบยกเลิกกระบวนงาน', urgency: 1 } } })) as { instance: { id: number } };
    await h.withPage(async (page) => {
      await signIn(page, 'admin');
      await page.goto(`/monitor/instances/${started.instance.id}`);
      await page.getByRole('heading', { name: `เรื่องเลขที่ ${started.instance.id}` }).waitFor();
      await page.getByRole('button', { name: 'ยกเลิกกระบวนงาน' }).click();
      const dialog = page.getByRole('dialog');
      const confirm = dialog.getByRole('button', { name: 'ยืนยันการยกเลิก' });
      expect(await confirm.isDisabled(), 'no reason yet').to.equal(true);
      await dialog.getByLabel('เหตุผลที่ยกเลิก').fill('ลงทะเบียนผิดเรื่อง');
      await confirm.click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByText('ยกเลิก', { exact: true }).waitFor();
      await page.getByTestId('instance-history').getByText('ยกเลิกกระบวนงาน').waitFor();
      expect(await page.getByRole('button', { name: 'ยกเลิกกระบวนงาน' }).count(), 'nothing more to cancel').to.equal(0);
      await screenshot(page, '43-monitor-instance-cancelled');
    });
  });

  it('offers the monitor only to managers, and tells a clerk who opens its address that it is for them', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await page.getByRole('link', { name: 'กล่องงาน' }).waitFor();
      expect(await page.getByRole('link', { name: 'ติดตามงาน' }).count()).to.equal(0);
      await page.goto('/monitor');
      await page.getByText('หน้าติดตามงานสำหรับผู้บริหาร ผู้ดูแลระบบ และผู้ออกแบบกระบวนงาน').waitFor();
    });
  });
});
