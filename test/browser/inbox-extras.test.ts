// The inbox beyond my own tasks, in a real browser: the group tab (live), claiming several group
// tasks at once when one was taken meanwhile, a saved filter that comes back after a reload, and
// the task panel showing the letter (PDF preview, endorsement chain, route with step names) with
// delegate / reassign offered only to those who may.
import { expect } from 'chai';
import { screenshot, signIn, startHarness, type Harness } from './harness';
import { apiOf, type Api } from './api';
import { realPdf } from './pdf';

describe('the inbox extras in a real browser', function () {
  this.timeout(180000);
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

  const startLetterTask = async (clerk: string, subject: string) => {
    const { instance } = await call<{ instance: { id: number } }>(clerk, 'POST', '/workflow/instances', { processKey: 'incoming_letter', variables: { document: { subject, urgency: 1 } } });
    return taskOf(clerk, instance.id, 'screen');
  };

  /** A second registry clerk, made by the administrator, to take a task while the first one hesitates. */
  async function secondClerk(): Promise<string> {
    const admin = await tokenOf('admin');
    const me = await call<{ organisation: { id: number } }>(admin, 'GET', '/me');
    const username = `clerk2${Date.now()}`;
    const user = await call<{ id: number }>(admin, 'POST', `/organisations/${me.organisation.id}/users`, { username, password: 'another-clerk-1', firstNameTh: 'สมศรี', lastNameTh: 'ช่วยงาน' });
    const groups = await call<{ items: Array<{ id: number; key: string }> }>(admin, 'GET', `/organisations/${me.organisation.id}/groups`);
    await call(admin, 'PUT', `/groups/${groups.items.find((g) => g.key === 'registry_clerk')!.id}/members/${user.id}`);
    return tokenOf(username, 'another-clerk-1');
  }

  it('shows my groups\' unclaimed tasks live, claims two at once reporting the one taken meanwhile, and keeps a saved filter across a reload', async () => {
    const [clerk, other] = await Promise.all([tokenOf('clerk'), secondClerk()]);
    const [a, b, c] = [await startLetterTask(clerk, 'งานกลุ่ม ก'), await startLetterTask(clerk, 'งานกลุ่ม ข'), await startLetterTask(clerk, 'งานกลุ่ม ค')];
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await page.goto('/inbox');
      await page.getByTestId('live-status').getByText('อัปเดตอัตโนมัติ').waitFor();
      await page.getByRole('tab', { name: 'งานรอรับของกลุ่ม' }).click();
      await page.getByLabel('กลุ่มงาน / หน่วยงาน / ตำแหน่ง').selectOption({ label: 'กลุ่ม: เจ้าหน้าที่สารบรรณ' });
      const table = page.getByTestId('group-table');
      const row = (subject: string) => table.getByRole('row').filter({ hasText: subject });
      await row('งานกลุ่ม ค').waitFor();

      // Live: a task that arrives for the group while the tab is open appears without a reload.
      await page.evaluate('window.groupMarker = 1');
      await startLetterTask(clerk, 'งานกลุ่ม ง มาใหม่');
      await row('งานกลุ่ม ง มาใหม่').waitFor();
      expect(await page.evaluate('window.groupMarker')).to.equal(1);

      await page.getByLabel('เลือก งานกลุ่ม ก').check();
      await page.getByLabel('เลือก งานกลุ่ม ข').check();
      // Someone else takes ข while this clerk is still choosing.
      await call(other, 'POST', `/tasks/${b.id}/claim`);
      await page.getByRole('button', { name: 'รับงานที่เลือก (2)' }).click();
      const result = page.getByTestId('bulk-result');
      await result.waitFor();
      expect(await result.locator('[data-outcome=claimed]').textContent()).to.include('งานกลุ่ม ก');
      expect(await result.locator('[data-outcome=taken]').textContent()).to.include('งานกลุ่ม ข');
      await result.getByText('มีผู้อื่นรับไปก่อนแล้ว').waitFor();
      await row('งานกลุ่ม ก').waitFor({ state: 'detached' });
      await row('งานกลุ่ม ข').waitFor({ state: 'detached' });
      await screenshot(page, '22-inbox-group-bulk-claim');
      const claimed = await call<{ assigneeUserId: number | null }>(clerk, 'GET', `/tasks/${a.id}`);
      const me = await call<{ user: { id: number } }>(clerk, 'GET', '/me');
      expect(claimed.assigneeUserId).to.equal(me.user.id);

      // Save the current filter set by name, leave it, and pick it again after a reload.
      await page.getByLabel('ค้นหาเรื่อง').fill('งานกลุ่ม ค');
      await row('งานกลุ่ม ง มาใหม่').waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'บันทึกตัวกรอง' }).click();
      await page.getByLabel('ชื่อตัวกรอง').fill('เรื่อง ค ของกลุ่ม');
      await page.getByRole('button', { name: 'บันทึก', exact: true }).click();
      await page.getByText('บันทึกตัวกรอง “เรื่อง ค ของกลุ่ม” แล้ว').waitFor();
      await page.goto('/inbox');
      await page.getByTestId('inbox-table').waitFor();
      expect(await page.getByLabel('ค้นหาเรื่อง').inputValue()).to.equal('');
      await page.getByLabel('ตัวกรองที่บันทึกไว้').selectOption({ label: 'เรื่อง ค ของกลุ่ม' });
      await row('งานกลุ่ม ค').waitFor();
      await row('งานกลุ่ม ง มาใหม่').waitFor({ state: 'detached' });
      expect(await page.getByLabel('ค้นหาเรื่อง').inputValue()).to.equal('งานกลุ่ม ค');
      expect(await page.getByRole('tab', { name: 'งานรอรับของกลุ่ม' }).getAttribute('aria-selected')).to.equal('true');
      await screenshot(page, '23-inbox-saved-filter');
      expect(await table.locator('tbody tr').allTextContents()).to.have.length(1);
      const saved = await call<{ items: Array<{ name: string; filters: Record<string, unknown> }> }>(clerk, 'GET', '/me/saved-filters');
      expect(saved.items[0]).to.deep.include({ name: 'เรื่อง ค ของกลุ่ม' });
      expect(saved.items[0].filters).to.include({ tab: 'group', q: 'งานกลุ่ม ค' });
      void c;
    });
  });

  it("shows the letter of a task with its PDF inside the page, its endorsements in order and its route by step name; delegate and reassign only for those who may", async () => {
    const [clerk, sectionhead] = await Promise.all([tokenOf('clerk'), tokenOf('sectionhead')]);
    const doc = await call<{ id: number }>(clerk, 'POST', '/documents', {
      direction: 'incoming', type: 'external', subject: 'ขอเชิญประชุมทบทวนแผนสารบรรณ', letterNumber: 'นร 0105/777', letterDate: '2025-02-10',
      senderName: 'สำนักเลขาธิการนายกรัฐมนตรี', addressee: 'ปลัดกระทรวงสาธารณสุข', salutation: 'เรียน', body: 'ด้วยสำนักเลขาธิการนายกรัฐมนตรีจะจัดประชุม',
    });
    const form = new FormData();
    form.append('role', 'main');
    const pdf = realPdf('Invitation letter 777');
    form.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'หนังสือเชิญ.pdf');
    await call(clerk, 'POST', `/documents/${doc.id}/attachments`, form);
    const registers = await call<{ items: Array<{ id: number; kind: string; unitId: number | null }> }>(clerk, 'GET', '/registers');
    await call(clerk, 'POST', `/registers/${registers.items.find((r) => r.kind === 'incoming' && r.unitId === null)!.id}/entries`, { documentId: doc.id });
    const route = await call<{ instances: Array<{ id: number }> }>(clerk, 'GET', `/documents/${doc.id}/route`);
    const instanceId = route.instances[0].id;
    const screen = await taskOf(clerk, instanceId, 'screen');
    await call(clerk, 'POST', `/tasks/${screen.id}/complete`, { variables: { summary: 'เชิญประชุม 20 ก.พ.' } });
    const present = await taskOf(sectionhead, instanceId, 'present');
    await call(sectionhead, 'POST', `/tasks/${present.id}/complete`, { variables: { decision: 'forward', endorsement: 'เรียน ผอ. เพื่อโปรดพิจารณา' } });

    await h.withPage(async (page) => {
      await signIn(page, 'director');
      await page.goto('/inbox');
      const row = page.getByTestId('inbox-table').getByRole('row').filter({ hasText: 'ขอเชิญประชุมทบทวนแผนสารบรรณ' });
      await row.getByRole('button', { name: 'ขอเชิญประชุมทบทวนแผนสารบรรณ' }).click();
      const panel = page.getByTestId('task-panel');
      await panel.getByTestId('letter').getByText('นร 0105/777').waitFor();

      // The PDF is fetched with the token and shown from a blob: URL inside the page.
      const preview = panel.getByTestId('letter-preview');
      await preview.waitFor();
      const src = (await preview.getAttribute('src'))!;
      expect(src).to.match(/^blob:/);
      // The file as received, or with the receive stamp and endorsements appended to it by now (each an incremental update).
      expect(Number(await preview.getAttribute('data-size'))).to.be.at.least(pdf.length);
      expect(page.frames().some((f) => f.url() === src), 'the frame shows the blob').to.equal(true);
      await panel.getByTestId('letter-attachments').getByText('หนังสือเชิญ.pdf').waitFor();

      // Endorsements in order; the route names the steps as the process does, never by element id.
      const chain = panel.getByTestId('letter-endorsements');
      await chain.locator('[data-seq="2"]').waitFor();
      const seqs = chain.locator('[data-seq]');
      expect(await Promise.all(Array.from({ length: await seqs.count() }, (_, i) => seqs.nth(i).getAttribute('data-seq')))).to.deep.equal(['1', '2']);
      expect(await chain.locator('[data-seq="1"]').textContent()).to.include('เชิญประชุม 20 ก.พ.');
      expect(await chain.locator('[data-seq="2"]').textContent()).to.include('เรียน ผอ. เพื่อโปรดพิจารณา');
      expect(await chain.textContent()).to.match(/\d{2}\.\d{2} น\./);
      const routeText = (await panel.getByTestId('letter-route').textContent())!;
      expect(routeText).to.include('ตรวจและสรุปเรื่อง');
      expect(routeText).to.include('เสนอผู้บังคับบัญชา');
      expect(routeText).to.not.match(/\bscreen\b|\bpresent\b/);

      // Not yet claimed: claim is offered, delegate only after claiming; reassign is not the director's to do here.
      const assign = panel.getByTestId('task-assign');
      expect(await assign.getByRole('button', { name: 'มอบหมายให้ผู้อื่นทำแทน' }).count()).to.equal(0);
      await assign.getByRole('button', { name: 'รับงานนี้' }).click();
      await assign.getByRole('button', { name: 'มอบหมายให้ผู้อื่นทำแทน' }).waitFor();
      expect(await assign.getByRole('button', { name: 'โอนงานให้ผู้อื่น' }).count()).to.equal(0);
      await assign.getByRole('button', { name: 'มอบหมายให้ผู้อื่นทำแทน' }).click();
      const dialog = page.getByRole('dialog', { name: 'มอบหมายให้ผู้อื่นทำแทน' });
      // The candidates load after the dialog opens: wait for them, then read the whole list once.
      await dialog.getByLabel('ผู้รับงาน').locator('option', { hasText: 'นายธนพล มั่นคง' }).waitFor({ state: 'attached' });
      expect(await dialog.getByLabel('ผู้รับงาน').locator('option').allTextContents()).to.include.members(['นายธนพล มั่นคง']);
      await dialog.getByRole('button', { name: 'ยกเลิก' }).click();
      await screenshot(page, '24-inbox-task-letter');

      // Completing records the decision and the endorsement on the letter.
      await panel.getByLabel('คำสั่งการ').selectOption({ label: 'ทราบ' });
      await panel.getByLabel('ข้อความเกษียน').fill('ทราบ แจ้งผู้เกี่ยวข้อง');
      await panel.getByRole('button', { name: 'บันทึกและส่งต่อ' }).click();
      await panel.waitFor({ state: 'detached' });
      const endorsements = await call<{ items: Array<{ seq: number; text: string; decision: string | null }> }>(clerk, 'GET', `/documents/${doc.id}/endorsements`);
      expect(endorsements.items.map((e) => [e.seq, e.text, e.decision])).to.deep.equal([
        [1, 'สรุปเรื่อง: เชิญประชุม 20 ก.พ.', null], [2, 'เรียน ผอ. เพื่อโปรดพิจารณา', null], [3, 'ทราบ แจ้งผู้เกี่ยวข้อง', 'acknowledge'],
      ]);
    });

    // A supervisor sees reassign on a subordinate's claimed task; the holder sees delegate, not reassign.
    const held = await startLetterTask(clerk, 'งานที่ธุรการถืออยู่');
    await call(clerk, 'POST', `/tasks/${held.id}/claim`);
    await h.withPage(async (page) => {
      await signIn(page, 'sectionhead');
      await page.goto(`/inbox/${held.id}`);
      const assign = page.getByTestId('task-panel').getByTestId('task-assign');
      await assign.getByRole('button', { name: 'โอนงานให้ผู้อื่น' }).waitFor();
      expect(await assign.getByRole('button', { name: 'มอบหมายให้ผู้อื่นทำแทน' }).count()).to.equal(0);
      await assign.getByRole('button', { name: 'โอนงานให้ผู้อื่น' }).click();
      const dialog = page.getByRole('dialog', { name: 'โอนงานให้ผู้อื่น' });
      await dialog.getByLabel('ผู้รับงาน').selectOption({ label: 'นายธนพล มั่นคง' });
      await screenshot(page, '25-inbox-reassign');
      await dialog.getByRole('button', { name: 'โอนงานให้ผู้อื่น' }).click();
      await page.getByText('โอนงานแล้ว').waitFor();
    });
    const officer = await tokenOf('officer');
    const after = await call<{ assigneeUserId: number }>(officer, 'GET', `/tasks/${held.id}`);
    const officerMe = await call<{ user: { id: number } }>(officer, 'GET', '/me');
    expect(after.assigneeUserId).to.equal(officerMe.user.id);
    await h.withPage(async (page) => {
      await signIn(page, 'officer');
      await page.goto(`/inbox/${held.id}`);
      const assign = page.getByTestId('task-panel').getByTestId('task-assign');
      await assign.getByRole('button', { name: 'มอบหมายให้ผู้อื่นทำแทน' }).waitFor();
      expect(await assign.getByRole('button', { name: 'โอนงานให้ผู้อื่น' }).count()).to.equal(0);
    });
  });
});
