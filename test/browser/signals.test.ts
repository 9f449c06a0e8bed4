// What tells an official that work has arrived, and in which capacity (issue 17): a ด่วนภายใน letter
// shows its deadline (in the inbox, on the task's page, on the letter's) and sorts by it, a phone
// shows each task as a card with step, due date and claim in view; the director sees "ในฐานะ
// ปฏิบัติราชการแทน …" on the deputy's tasks, the capacity menu writes positions out whole and
// switching it narrows the inbox; เรื่องที่ดำเนินการแล้ว lists what he completed; a ด่วนที่สุด arrival
// plays a tone only when asked for; an unknown address is a 404 page.
import { expect } from 'chai';
import { screenshot, signIn, startHarness, type Harness } from './harness';
import { apiOf, type Api } from './api';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true };
const PDF = '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';
type Win = { document: { title: string }; oscillators: number };

describe('arrival signals, urgency order and acting-for in the browser', function () {
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

  it('shows ด่วนภายใน with its deadline in the inbox order, and on a phone keeps step, due date and claim of each task in view', async () => {
    const clerk = await tokenOf('clerk');
    const mark = 'ภายในกำหนดเวลา';
    const by = new Date(Date.now() + 3_600_000);
    await call(clerk, 'POST', '/workflow/instances', { processKey: 'incoming_letter', variables: { document: { subject: `${mark} ด่วนมาก`, urgency: 3 } } });
    const doc = await call<{ id: number }>(clerk, 'POST', '/documents', { direction: 'incoming', type: 'external', subject: `${mark} ด่วนภายใน`, letterNumber: 'มท 0201/77', senderName: 'กรมการปกครอง', urgency: 'deadline', urgentBy: by.toISOString() });
    const { items: books } = await call<{ items: Array<{ id: number; kind: string; unitId: number | null }> }>(clerk, 'GET', '/registers');
    await call(clerk, 'POST', `/registers/${books.find((b) => b.kind === 'incoming' && b.unitId == null)!.id}/entries`, { documentId: doc.id });
    const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Bangkok', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(by).replace(':', '.');

    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await page.goto(`/inbox?q=${encodeURIComponent(mark)}`);
      const rows = page.getByTestId('inbox-table').locator('tbody tr');
      await rows.nth(1).waitFor();
      expect(await rows.nth(0).textContent()).to.include(`${mark} ด่วนภายใน`);
      expect(await rows.nth(0).getByText(/^ด่วนภายใน /).textContent()).to.include(`${hhmm} น.`);
      expect(await rows.nth(1).textContent()).to.include('ด่วนมาก');
      await screenshot(page, '70-inbox-deadline-desktop');
      // The task's own page names the deadline in its heading, as the row did: not a bare ด่วนมาก.
      await rows.nth(0).getByRole('button', { name: `${mark} ด่วนภายใน` }).click();
      const heading = page.getByTestId('task-panel').locator('[data-urgency]').first();
      await heading.waitFor();
      expect(await heading.textContent()).to.match(/^ด่วนภายใน /).and.include(`${hhmm} น.`);
      // And the letter's page marks it with the date and time it must be delivered by.
      await page.goto(`/documents/${doc.id}`);
      expect(await page.getByTestId('urgency-mark').textContent()).to.match(/^ด่วนภายใน /).and.include(`${hhmm} น.`);
    });
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await page.goto(`/inbox?q=${encodeURIComponent(mark)}`);
      const card = page.getByRole('listitem').filter({ hasText: `${mark} ด่วนภายใน` });
      await card.waitFor();
      for (const seen of [card.getByText('ขั้นตอน: ตรวจและสรุปเรื่อง'), card.getByText(/^กำหนดเสร็จ:/), card.getByRole('button', { name: 'รับงาน' })]) {
        const box = (await seen.boundingBox())!;
        expect(box.x).to.be.at.least(0);
        expect(box.x + box.width).to.be.at.most(390);
      }
      await screenshot(page, '71-inbox-cards-phone');
    }, PHONE);
  });

  it("says ในฐานะ … on the deputy's tasks in the director's inbox, writes capacities out whole, narrows the inbox when he switches, and lists what he completed as done", async () => {
    const [clerk, sectionhead, director] = await Promise.all(['clerk', 'sectionhead', 'director'].map((u) => tokenOf(u)));
    const toDirector = async (subject: string) => {
      const { instance } = await call<{ instance: { id: number } }>(clerk, 'POST', '/workflow/instances', { processKey: 'incoming_letter', variables: { document: { subject, urgency: 1 } } });
      await call(clerk, 'POST', `/tasks/${(await taskOf(clerk, instance.id, 'screen')).id}/complete`, { variables: { summary: 'สรุป' } });
      await call(sectionhead, 'POST', `/tasks/${(await taskOf(sectionhead, instance.id, 'present')).id}/complete`, { variables: { decision: 'forward', endorsement: 'เรียน ผอ.' } });
      return instance.id;
    };
    const deputysSubject = 'ขอความร่วมมือสำรวจข้อมูลบุคลากรด้านสาธารณสุข';
    const ownSubject = 'ขออนุมัติจัดซื้อครุภัณฑ์สำนักงาน';
    const forDeputy = await toDirector(deputysSubject);
    await call(director, 'POST', `/tasks/${(await taskOf(director, forDeputy, 'present')).id}/complete`, { variables: { decision: 'forward', endorsement: 'เรียน รองปลัดฯ' } });
    await toDirector(ownSubject);

    await h.withPage(async (page) => {
      await signIn(page, 'director');
      await page.goto('/inbox');
      const table = page.getByTestId('inbox-table');
      const deputys = table.locator('tbody tr').filter({ hasText: deputysSubject });
      await deputys.getByText('ในฐานะ ปฏิบัติราชการแทน รองปลัดกระทรวงสาธารณสุข').waitFor();
      expect(await table.locator('tbody tr').filter({ hasText: ownSubject }).getByText(/^ในฐานะ/).count()).to.equal(0);

      await page.getByRole('button', { name: /^ปฏิบัติหน้าที่ในฐานะ/ }).click();
      const deputy = page.getByRole('menuitem', { name: /ปฏิบัติราชการแทน รองปลัดกระทรวงสาธารณสุข/ });
      await deputy.waitFor();
      // Each capacity is written out whole: nothing cut off with an ellipsis.
      const cut = await page.getByRole('menuitem').evaluateAll((items) => items.filter((i) => i.scrollWidth > i.clientWidth + 1).map((i) => i.textContent));
      expect(cut).to.deep.equal([]);
      await screenshot(page, '72-capacity-menu');
      await deputy.click();
      await page.getByText(/^แสดงเฉพาะงานในฐานะ ปฏิบัติราชการแทน รองปลัดกระทรวงสาธารณสุข/).waitFor();
      await table.locator('tbody tr').filter({ hasText: ownSubject }).waitFor({ state: 'detached' });
      expect(await deputys.count()).to.equal(1);
      await screenshot(page, '73-inbox-acting-for');
      await page.getByRole('button', { name: 'ดูงานทั้งหมดในตำแหน่งของตนเอง' }).click();
      await table.locator('tbody tr').filter({ hasText: ownSubject }).waitFor();

      await call(director, 'POST', `/tasks/${(await taskOf(director, forDeputy, 'present')).id}/complete`, { variables: { decision: 'acknowledge', endorsement: 'ทราบ' } });
      await page.getByRole('tab', { name: 'เรื่องที่ดำเนินการแล้ว' }).click();
      const done = page.getByTestId('done-table').locator('tbody tr');
      await done.first().waitFor();
      expect(await done.first().textContent()).to.include(deputysSubject);
      expect(await done.first().textContent()).to.include('ในฐานะ ปฏิบัติราชการแทน รองปลัดกระทรวงสาธารณสุข');
      await screenshot(page, '74-done-folder');
    });
  });

  it('plays a tone for a ด่วนที่สุด arrival only once asked for on the home page, and answers an unknown address with a 404 page', async () => {
    const clerk = await tokenOf('clerk');
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      // Count the tones the page makes (the test's own hook on the browser's audio API).
      await page.evaluate("window.oscillators = 0; const make = AudioContext.prototype.createOscillator; AudioContext.prototype.createOscillator = function () { window.oscillators++; return make.call(this); }");
      await page.getByRole('heading', { name: /^เรื่องที่รอท่านดำเนินการ/ }).waitFor();
      await page.getByRole('link', { name: /^เรื่องที่ดำเนินการแล้ว/ }).waitFor();
      const sound = page.getByLabel('เสียงเตือนเมื่อมีงานด่วนที่สุดเข้ามา');
      expect(await sound.isChecked()).to.equal(false);
      const arrive = async (subject: string) => {
        await call(clerk, 'POST', '/workflow/instances', { processKey: 'incoming_letter', variables: { document: { subject, urgency: 4 } } });
        await page.getByTestId('urgent-toast-link').getByText(subject).waitFor();
      };
      await page.waitForLoadState('networkidle');
      await arrive('ด่วนที่สุด ไม่มีเสียง');
      expect(await page.evaluate(() => (globalThis as unknown as Win).oscillators)).to.equal(0);
      await sound.check({ force: true });
      await arrive('ด่วนที่สุด มีเสียงเตือน');
      expect(await page.evaluate(() => (globalThis as unknown as Win).oscillators)).to.be.greaterThan(0);
      await screenshot(page, '75-home-sound');

      await page.goto('/no-such-page');
      await page.getByRole('heading', { name: 'ไม่พบหน้าที่ต้องการ' }).waitFor();
      await page.getByText('ไม่มีหน้า /no-such-page ในระบบ').waitFor();
      await page.waitForFunction(() => /^(\(\d+\) )?ไม่พบหน้าที่ต้องการ · /.test((globalThis as unknown as Win).document.title));
      await page.getByRole('link', { name: 'กลับหน้าแรก' }).click();
      await page.getByRole('heading', { name: /^สวัสดี/ }).waitFor();
    });
  });

  it('shows the smaller ones right: a delegation ahead ยังไม่เริ่ม with positions, English times in English, เลขรับ and holders on the monitor, the register printed in Laksaman, and files as cards on a phone', async () => {
    const [admin, clerk] = await Promise.all([tokenOf('admin'), tokenOf('clerk')]);
    const me = await call<{ organisation: { id: number } }>(admin, 'GET', '/me');
    const org = me.organisation.id;
    const { items: positions } = await call<{ items: Array<{ id: number; titleTh: string }> }>(admin, 'GET', `/organisations/${org}/positions`);
    const { items: users } = await call<{ items: Array<{ id: number; username: string }> }>(admin, 'GET', `/organisations/${org}/users?limit=200`);
    const starts = new Date(Date.now() + 7 * 86_400_000);
    await call(admin, 'POST', `/organisations/${org}/delegations`, {
      principalPositionId: positions.find((p) => p.titleTh === 'ผู้อำนวยการกองกลาง')!.id, delegateUserId: users.find((u) => u.username === 'sectionhead')!.id,
      capacity: 'acting_in_post', startsAt: starts.toISOString(), orderNumber: '99/2569',
    });
    // A registered letter with its PDF and an endorsement.
    const subject = 'ขอเชิญร่วมประชุมเชิงปฏิบัติการด้านสารบรรณ';
    const doc = await call<{ id: number }>(clerk, 'POST', '/documents', { direction: 'incoming', type: 'external', subject, letterNumber: 'ศธ 0201/12', senderName: 'กระทรวงศึกษาธิการ' });
    const upload = new FormData();
    upload.set('role', 'main');
    upload.append('file', new Blob([PDF], { type: 'application/pdf' }), 'หนังสือเชิญประชุมเชิงปฏิบัติการด้านงานสารบรรณอิเล็กทรอนิกส์.pdf');
    await call(clerk, 'POST', `/documents/${doc.id}/attachments`, upload);
    const { items: books } = await call<{ items: Array<{ id: number; kind: string; unitId: number | null }> }>(clerk, 'GET', '/registers');
    const book = books.find((b) => b.kind === 'incoming' && b.unitId == null)!;
    const { entry } = await call<{ entry: { number: number; year: number } }>(clerk, 'POST', `/registers/${book.id}/entries`, { documentId: doc.id });
    await call(clerk, 'POST', `/documents/${doc.id}/endorsements`, { text: 'เรียน ผอ. เพื่อโปรดทราบ' });

    await h.withPage(async (page) => {
      await signIn(page, 'admin');
      await page.goto('/admin/delegations');
      const row = page.getByRole('row').filter({ hasText: '99/2569' });
      await row.getByText('ยังไม่เริ่ม').waitFor();
      expect(await row.textContent()).to.include('หัวหน้ากลุ่มงานสารบรรณ'); // the delegate's own position
      expect(await row.getByText('สิ้นสุดแล้ว').count()).to.equal(0);

      // The administrator watches the organisation's processes too: the letter by its เลขรับ, and who holds its step.
      await page.goto(`/monitor?key=incoming_letter&q=${encodeURIComponent(subject)}`);
      const receive = `${entry.number}/${entry.year}`;
      await page.getByTestId('instance-table').getByRole('link', { name: receive, exact: true }).click();
      await page.getByRole('heading', { name: `เลขรับ ${receive}` }).waitFor();
      await page.getByTestId('instance-open-tasks').getByText(/^รอผู้รับงาน: /).waitFor();
      await screenshot(page, '76-monitor-receive-number');
    });
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await page.goto(`/documents/${doc.id}`);
      await page.getByTestId('receive-stamp').waitFor();
      await page.getByRole('button', { name: /English/ }).click();
      const stamp = await page.getByTestId('receive-stamp').textContent();
      expect(stamp).to.match(/Time \d{2}:\d{2}/);
      expect(stamp).to.not.include('น.');
      const endorsed = await page.getByTestId('endorsement').first().textContent();
      expect(endorsed).to.match(/\d{2}:\d{2}$/);
      expect(endorsed!.replace('เรียน ผอ. เพื่อโปรดทราบ', '')).to.not.match(/น\.|[ก-๙]\.[ก-๙]\./);
      await page.getByRole('button', { name: /ภาษาไทย|ไทย/ }).click();

      // The register printed: the book's rows in a Thai official face.
      await page.goto(`/registry/registers?register=${book.id}`);
      const line = page.getByTestId('register-table').getByRole('row').filter({ hasText: subject });
      await line.waitFor();
      await page.emulateMedia({ media: 'print' });
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('DOM.enable');
      await cdp.send('CSS.enable');
      const { root } = (await cdp.send('DOM.getDocument', { depth: -1 })) as { root: { nodeId: number } };
      const { nodeId } = (await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '[data-testid=register-table] tbody td:nth-child(8)' })) as { nodeId: number };
      const { fonts } = (await cdp.send('CSS.getPlatformFontsForNode', { nodeId })) as { fonts: Array<{ familyName: string; glyphCount: number }> };
      expect(fonts.map((f) => f.familyName)).to.include('Laksaman');
      await page.emulateMedia({ media: 'screen' });
    });
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await page.goto(`/documents/${doc.id}`);
      const card = page.getByTestId('letter-attachments').getByRole('listitem').first();
      await card.waitFor();
      for (const seen of [card.getByText(/^หนังสือเชิญประชุม/), card.getByRole('button', { name: /^ดาวน์โหลด/ })]) {
        const box = (await seen.boundingBox())!;
        expect(box.x + box.width).to.be.at.most(390);
      }
      expect(await page.evaluate('document.documentElement.scrollWidth')).to.be.at.most(390);
      await screenshot(page, '77-letter-files-phone');
    }, PHONE);
  });
});
