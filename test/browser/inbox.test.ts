// The inbox in a real browser: a letter routed up the chain of command through the API appears in
// the director's open inbox without a reload (Socket.io), and the director completes it there.
import { expect } from 'chai';
import { screenshot, signIn, startHarness, type Harness } from './harness';
import { apiOf, type Api } from './api';

describe('the inbox in a real browser', function () {
  this.timeout(120000);
  let h: Harness;
  let call: Api['call'], tokenOf: Api['tokenOf'], taskOf: Api['taskOf'];

  before(async function () {
    this.timeout(180000);
    h = await startHarness();
    ({ call, tokenOf, taskOf } = apiOf(h.baseUrl));
  });
  after(async () => {
    await h?.close();
  });

  it('shows a very urgent letter in the director\'s open inbox without reload, in red ด่วนมาก, and lets the director acknowledge it with an endorsement', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'director');
      await page.getByRole('link', { name: 'กล่องงาน' }).click();
      await page.getByRole('heading', { name: 'กล่องงาน' }).waitFor();
      await page.getByTestId('live-status').getByText('อัปเดตอัตโนมัติ').waitFor();
      const row = page.getByTestId('inbox-table').getByRole('row').filter({ hasText: 'ทดสอบกล่องงาน' });
      expect(await row.count()).to.equal(0);
      await page.evaluate('window.inboxMarker = 1');

      const [clerk, sectionhead] = await Promise.all([tokenOf('clerk'), tokenOf('sectionhead')]);
      const started = (await call(clerk, 'POST', '/workflow/instances', { processKey: 'incoming_letter', variables: { document: { subject: 'ทดสอบกล่องงาน', urgency: 3 } } })) as { instance: { id: number } };
      const instanceId = started.instance.id;
      await call(clerk, 'POST', `/tasks/${(await taskOf(clerk, instanceId, 'screen')).id}/complete`, { variables: { summary: 'x' } });
      await call(sectionhead, 'POST', `/tasks/${(await taskOf(sectionhead, instanceId, 'present')).id}/complete`, { variables: { decision: 'forward', endorsement: 'เรียน ผอ.' } });

      // Live: the row appears in the page that was already open (the marker proves no reload).
      await row.waitFor();
      expect(await page.evaluate('window.inboxMarker')).to.equal(1);
      const urgency = row.getByText('ด่วนมาก', { exact: true });
      await urgency.waitFor();
      const style = (await page.evaluate(
        '(() => { const el = document.querySelector("[data-testid=inbox-table] [data-urgency]"); const s = getComputedStyle(el); return { color: s.color, size: parseFloat(s.fontSize), body: parseFloat(getComputedStyle(document.body).fontSize) }; })()',
      )) as { color: string; size: number; body: number };
      const [r, g, b] = style.color.match(/\d+/g)!.map(Number);
      expect(r, `red text, got ${style.color}`).to.be.greaterThan(150);
      expect(g).to.be.lessThan(100);
      expect(b).to.be.lessThan(100);
      expect(style.size).to.be.greaterThan(style.body);
      await screenshot(page, '20-inbox');

      // Filters go to the server: a search that does not match hides the row, clearing it brings it back.
      await page.getByLabel('ค้นหาเรื่อง').fill('ไม่มีเรื่องนี้แน่นอน');
      await row.waitFor({ state: 'detached' });
      await page.getByText('ไม่มีงานค้างในกล่องงาน').waitFor();
      await page.getByLabel('ค้นหาเรื่อง').fill('');
      await page.getByLabel('ชั้นความเร็ว').selectOption({ label: 'ด่วนมาก' });
      await row.waitFor();
      await page.getByLabel('ชั้นความเร็ว').selectOption({ label: 'ทุกชั้นความเร็ว' });

      // The task waits for someone of the director's position: claiming it makes it the director's.
      await row.getByRole('button', { name: 'รับงาน' }).click();
      await row.getByText('ของฉัน').waitFor();
      expect(await row.getByRole('button', { name: 'รับงาน' }).count()).to.equal(0);

      await row.getByRole('button', { name: 'ทดสอบกล่องงาน' }).click();
      const panel = page.getByTestId('task-panel');
      await panel.waitFor();
      await panel.getByTestId('task-route').getByText(/เรียน ผอ\./).waitFor();
      // Steps go by the names the process gives them, not by element id.
      expect(await panel.getByTestId('task-route').textContent()).to.include('เสนอผู้บังคับบัญชา: เรียน ผอ.').and.not.include('present');
      // Sent without an endorsement: the server's refusal is shown next to the field.
      await panel.getByLabel('คำสั่งการ').selectOption({ label: 'ทราบ' });
      await panel.getByRole('button', { name: 'บันทึกและส่งต่อ' }).click();
      const endorsement = panel.getByLabel('ข้อความเกษียน');
      await panel.getByText('กรุณากรอกข้อมูลนี้').waitFor();
      expect(await endorsement.getAttribute('aria-invalid')).to.equal('true');
      await endorsement.fill('ทราบ ดำเนินการตามเสนอ');
      await screenshot(page, '21-inbox-task-panel');
      await panel.getByRole('button', { name: 'บันทึกและส่งต่อ' }).click();
      await panel.waitFor({ state: 'detached' });
      await row.waitFor({ state: 'detached' });

      const history = (await call(sectionhead, 'GET', `/workflow/instances/${instanceId}/history`).catch(() => null)) as { items: Array<{ event: string; detail: { variables?: Record<string, unknown> } | null }> } | null;
      if (history) {
        const last = history.items.filter((x) => x.event === 'task.completed').pop();
        expect(last?.detail?.variables).to.include({ decision: 'acknowledge', endorsement: 'ทราบ ดำเนินการตามเสนอ' });
      }
    });
  });
});
