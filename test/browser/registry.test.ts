// The registry in a real browser: a clerk registers an incoming letter with its PDF through the
// form and sees the receive stamp; the letter's routing reaches the director's already open inbox
// without a reload; the director's endorsement lands in the letter's chain; the register lists the
// letter and a Thai word from inside its unspaced subject finds it. The secrets custodian finds the
// secret register with its รับ/ส่ง and ชั้นความลับ columns; a clerk's register list does not offer it.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fieldMessage, screenshot, signIn, startHarness, type Harness } from './harness';
import { apiOf } from './api';

/** A small but well-formed PDF: the server recognises files by their content. */
const PDF = `%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj
trailer << /Root 1 0 R >>
%%EOF
`;

describe('the registry in a real browser', function () {
  this.timeout(180000);
  let h: Harness;
  let dir: string;

  before(async function () {
    this.timeout(180000);
    h = await startHarness({ ATTACHMENT_MAX_BYTES: '20000' }); // small, so a too-large file is quick to make
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saraban-letters-'));
    fs.writeFileSync(path.join(dir, 'หนังสือเชิญประชุม.pdf'), PDF);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'plain text is not a letter file\n');
    fs.writeFileSync(path.join(dir, 'ภาคผนวก.pdf'), PDF + '%'.repeat(30000));
  });
  after(async () => {
    await h?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const subject = 'ขอเชิญประชุมคณะทำงานโครงการปลูกป่าชายเลนเฉลิมพระเกียรติ';

  it('registers a letter with its PDF and a receive stamp, routes it live to the director, records the endorsement in its chain, lists it in the register and finds it by a Thai word', async () => {
    const { call, tokenOf, taskOf } = apiOf(h.baseUrl);
    const { context: directorContext, page: director } = await h.newPage();
    try {
      // The director's inbox is open before the letter arrives.
      await signIn(director, 'director');
      await director.getByRole('link', { name: 'กล่องงาน' }).click();
      await director.getByTestId('live-status').getByText('อัปเดตอัตโนมัติ').waitFor();
      const row = director.getByTestId('inbox-table').getByRole('row').filter({ hasText: subject });
      expect(await row.count()).to.equal(0);
      await director.evaluate('window.inboxMarker = 1');

      let documentId = 0;
      await h.withPage(async (page) => {
        await signIn(page, 'clerk');
        await page.getByRole('link', { name: 'ทะเบียนหนังสือ' }).click();
        await page.getByRole('heading', { name: 'ลงทะเบียนรับหนังสือ' }).waitFor();

        // ลับที่สุด is not offered, and the form says why.
        const secrecy = page.getByLabel('ชั้นความลับ');
        expect(await secrecy.locator('option').allTextContents()).to.deep.equal(['ปกติ', 'ลับ', 'ลับมาก']);
        await page.getByText('หนังสือลับที่สุดรับส่งทางระบบอิเล็กทรอนิกส์ไม่ได้').waitFor();

        await page.getByLabel('ที่ (เลขที่หนังสือ)').fill('ทส 0201/789');
        await page.getByLabel('ลงวันที่', { exact: true }).fill('20/11/2569'); // typed in B.E., as on the letter
        await page.getByText('20 พฤศจิกายน 2569').waitFor(); // read back with the Thai month name
        await page.getByLabel(/^เรื่อง/).first().fill(subject);
        await page.getByLabel('จาก').fill('กรมทรัพยากรทางทะเลและชายฝั่ง');
        await page.getByLabel('ถึง (เรียน)').fill('ปลัดกระทรวงสาธารณสุข');
        await page.getByRole('button', { name: 'เพิ่มหนังสืออ้างถึง' }).click();
        await page.getByLabel('อ้างถึง: ส่วนราชการ 1').fill('กรมทรัพยากรทางทะเลและชายฝั่ง');
        await page.getByLabel('อ้างถึง: ที่ 1').fill('ทส 0201/700');
        await page.getByLabel('สิ่งที่ส่งมาด้วย', { exact: true }).fill('กำหนดการประชุม');

        // ด่วนภายใน needs its deadline: the server's refusal shows next to the field.
        await page.getByLabel('ชั้นความเร็ว').selectOption({ label: 'ด่วนภายใน (กำหนดวันเวลา)' });
        const urgentBy = page.getByLabel('ด่วนภายในวันที่และเวลา');
        await urgentBy.waitFor();
        const submit = page.getByRole('button', { name: 'ลงทะเบียนรับ', exact: true });
        await submit.click();
        await page.getByTestId('form-error').waitFor();
        expect(await urgentBy.getAttribute('aria-invalid')).to.equal('true');
        expect(await fieldMessage(urgentBy)).to.not.equal('');
        await page.getByLabel('ชั้นความเร็ว').selectOption({ label: 'ด่วนมาก' });

        // A text file is refused by its content, with the reason shown; the PDF then goes through.
        await page.getByLabel('ไฟล์หนังสือ (ฉบับหลัก)').setInputFiles(path.join(dir, 'notes.txt'));
        await submit.click();
        await page.getByTestId('form-error').getByText(/รับเฉพาะไฟล์ PDF/).waitFor();
        // A file over the size limit (413) is named; the letter file already sent is not sent again.
        await page.getByLabel('ไฟล์หนังสือ (ฉบับหลัก)').setInputFiles(path.join(dir, 'หนังสือเชิญประชุม.pdf'));
        await page.getByLabel('ไฟล์สิ่งที่ส่งมาด้วย').setInputFiles(path.join(dir, 'ภาคผนวก.pdf'));
        await submit.click();
        await page.getByTestId('form-error').getByText(/ไฟล์มีขนาดใหญ่เกินกำหนด.*ภาคผนวก\.pdf/).waitFor();
        await screenshot(page, '30-registry-incoming-form');
        await page.getByLabel('ไฟล์สิ่งที่ส่งมาด้วย').setInputFiles([]);
        // A double click is one submission: one number.
        await submit.dblclick();

        const stamp = page.getByTestId('receive-stamp');
        await stamp.waitFor();
        const stampText = (await stamp.textContent()) ?? '';
        expect(stampText).to.match(/เลขรับ \d+/);
        expect(stampText).to.match(/\d{2}\.\d{2} น\./);
        expect(stampText).to.match(/25\d\d/);
        await screenshot(page, '31-registry-receive-stamp');
        const href = await page.getByRole('link', { name: 'เปิดหนังสือ' }).getAttribute('href');
        documentId = Number(href!.split('/').pop());
        const receiveNumber = Number(stampText.match(/เลขรับ (\d+)/)![1]);

        const clerk = await tokenOf('clerk');
        const doc = (await call(clerk, 'GET', `/documents/${documentId}`)) as { registration: { registerId: number; number: number }; urgency: string; references: unknown[]; enclosures: string[] };
        expect(doc.registration.number).to.equal(receiveNumber);
        expect(doc.urgency).to.equal('very_urgent');
        expect(doc.references).to.have.length(1);
        expect(doc.enclosures).to.deep.equal(['กำหนดการประชุม']);
        const { items: entries } = (await call(clerk, 'GET', `/registers/${doc.registration.registerId}/entries?limit=1000`)) as { items: Array<{ documentId: number | null }> };
        expect(entries.filter((e) => e.documentId === documentId)).to.have.length(1);
        const { items: files } = (await call(clerk, 'GET', `/documents/${documentId}/attachments`)) as { items: Array<{ role: string; mime: string }> };
        expect(files.map((f) => [f.role, f.mime])).to.deep.equal([['main', 'application/pdf']]);

        // Registering started the routing: the clerk screens it, the section head presents it.
        const route = (await call(clerk, 'GET', `/documents/${documentId}/route`)) as { instances: Array<{ id: number; processKey: string }> };
        expect(route.instances.map((i) => i.processKey)).to.deep.equal(['incoming_letter']);
        const instanceId = route.instances[0].id;
        const sectionhead = await tokenOf('sectionhead');
        await call(clerk, 'POST', `/tasks/${(await taskOf(clerk, instanceId, 'screen')).id}/complete`, { variables: { summary: 'เชิญประชุมคณะทำงาน' } });
        await call(sectionhead, 'POST', `/tasks/${(await taskOf(sectionhead, instanceId, 'present')).id}/complete`, { variables: { decision: 'forward', endorsement: 'เรียน ผอ. เพื่อโปรดทราบ' } });

        // Live in the director's inbox, with no reload.
        await row.waitFor();
        expect(await director.evaluate('window.inboxMarker')).to.equal(1);
        await row.getByText('ด่วนมาก', { exact: true }).waitFor();
        await row.getByRole('button', { name: subject }).click();
        const panel = director.getByTestId('task-panel');
        await panel.getByLabel('คำสั่งการ').selectOption({ label: 'ทราบ' });
        await panel.getByLabel('ข้อความเกษียน').fill('ทราบ ให้กลุ่มงานสารบรรณแจ้งผู้เกี่ยวข้อง');
        await screenshot(director, '32-registry-director-task');
        await panel.getByRole('button', { name: 'บันทึกและส่งต่อ' }).click();
        await panel.waitFor({ state: 'detached' });
        await row.waitFor({ state: 'detached' });

        // The letter's page: fields, the PDF previewed from a blob URL, the chain and the route.
        await page.getByRole('link', { name: 'เปิดหนังสือ' }).click();
        const view = page.getByTestId('document-view');
        await view.getByText('ทส 0201/789').waitFor();
        await view.getByText('20 พฤศจิกายน 2569').waitFor();
        await view.getByTestId('urgency-mark').getByText('ด่วนมาก').waitFor();
        const chain = view.getByTestId('endorsement-chain');
        await chain.getByText('ทราบ ให้กลุ่มงานสารบรรณแจ้งผู้เกี่ยวข้อง').waitFor();
        await chain.getByText('เรียน ผอ. เพื่อโปรดทราบ').waitFor();
        expect(await chain.getByTestId('endorsement').count()).to.equal(3); // screening summary, section head, director
        await view.getByTestId('letter-route').getByText('กระบวนงานสิ้นสุดแล้ว').waitFor();
        await view.getByRole('button', { name: 'เปิดดู หนังสือเชิญประชุม.pdf' }).click();
        const frame = view.getByTestId('attachment-preview').locator('iframe');
        await frame.waitFor();
        expect(await frame.getAttribute('src')).to.match(/^blob:/);
        await screenshot(page, '33-registry-document');

        // The register of this year lists the letter with the director's decision as the action taken.
        await page.getByRole('link', { name: 'ทะเบียนหนังสือ' }).click();
        await page.getByRole('link', { name: 'ทะเบียน', exact: true }).click();
        const line = page.getByTestId('register-table').getByRole('row').filter({ hasText: subject });
        await line.waitFor();
        const cells = await line.getByRole('cell').allTextContents();
        expect(cells[0]).to.equal(String(receiveNumber));
        expect(cells[3]).to.equal('ทส 0201/789');
        expect(cells[5]).to.equal('กรมทรัพยากรทางทะเลและชายฝั่ง');
        expect(cells[8]).to.equal('ทราบ ให้กลุ่มงานสารบรรณแจ้งผู้เกี่ยวข้อง'); // the order's words, not only its decision
        await page.getByRole('button', { name: 'ดาวน์โหลด CSV' }).waitFor();
        await screenshot(page, '34-registry-register');

        // Search: a word from inside the unspaced subject finds it.
        await page.getByRole('link', { name: 'ค้นหา', exact: true }).click();
        await page.getByLabel('คำค้น').fill('ชายเลน');
        await page.getByRole('button', { name: 'ค้นหา', exact: true }).click();
        const hit = page.getByTestId('search-results').getByRole('link', { name: subject });
        await hit.waitFor();
        await page.getByLabel('คำค้น').fill('ภูเขาน้ำแข็ง');
        await page.getByRole('button', { name: 'ค้นหา', exact: true }).click();
        await page.getByText('ไม่พบหนังสือ').waitFor();
        await page.getByLabel('คำค้น').fill('ชายเลน');
        await page.getByRole('button', { name: 'ค้นหา', exact: true }).click();
        await hit.waitFor();
        await screenshot(page, '35-registry-search');
        await hit.click();
        await page.getByTestId('document-view').getByRole('heading', { name: subject }).waitFor();
      });
    } finally {
      await directorContext.close();
    }
  });

  it('drafts an outgoing letter, saves a second version, and numbers it in the outgoing register after saving the edits left unsaved, confirmed with register and subject', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await page.goto('/registry/outgoing');
      await page.getByRole('heading', { name: 'ร่างหนังสือส่ง' }).waitFor();
      await page.getByLabel(/^เรื่อง/).first().fill('ขอส่งรายงานผลการดำเนินงานประจำไตรมาส');
      await page.getByLabel('ถึง (เรียน)').fill('ผู้ว่าราชการจังหวัดเชียงใหม่');
      await page.getByLabel('ข้อความ', { exact: true }).fill('ตามที่ได้แจ้งไว้ ขอส่งรายงานมาเพื่อโปรดทราบ');
      await page.getByLabel('ชื่อผู้ลงนาม').fill('นายวิชัย ทองดี');
      await page.getByRole('button', { name: 'บันทึกร่าง' }).click();
      await page.getByRole('heading', { name: 'แก้ไขร่างหนังสือ' }).waitFor();
      const draft = page.getByTestId('draft-page');
      await draft.getByText('ฉบับที่ 1', { exact: false }).first().waitFor();
      await page.getByLabel(/^เรื่อง/).first().fill('ขอส่งรายงานผลการดำเนินงานประจำไตรมาสที่ 4');
      await page.getByRole('button', { name: 'บันทึกฉบับใหม่' }).click();
      await draft.getByText('ฉบับที่ 2', { exact: false }).first().waitFor();
      // An edit left unsaved is not lost to the number: the page says so, the confirmation names the
      // register and the edited subject, and the edit is saved (version 3) before the number is taken.
      const finalSubject = 'ขอส่งรายงานผลการดำเนินงานประจำไตรมาสที่ 4 ปีงบประมาณ 2569';
      await page.getByLabel(/^เรื่อง/).first().fill(finalSubject);
      await page.getByTestId('unsaved-edits').waitFor();
      await page.getByRole('button', { name: 'ออกเลข', exact: true }).click();
      const confirm = page.getByRole('dialog', { name: 'ยืนยันการออกเลขหนังสือ' });
      await confirm.getByText('ทะเบียนหนังสือส่ง', { exact: false }).waitFor();
      expect(await confirm.getByTestId('number-subject').textContent()).to.include(finalSubject);
      await confirm.getByTestId('number-saves-first').waitFor();
      await screenshot(page, '36-registry-take-number-confirm');
      // Cancelling takes no number.
      await confirm.getByRole('button', { name: 'ยกเลิก' }).click();
      await confirm.waitFor({ state: 'detached' });
      expect(await page.getByTestId('numbered').count()).to.equal(0);
      await page.getByRole('button', { name: 'ออกเลข', exact: true }).click();
      await confirm.getByRole('button', { name: 'บันทึกและออกเลข' }).click();
      await page.getByRole('heading', { name: 'หนังสือออกเลขแล้ว' }).waitFor();
      await page.getByRole('heading', { name: finalSubject }).or(page.getByText(finalSubject).first()).first().waitFor();
      await draft.getByText('ฉบับที่ 3', { exact: false }).first().waitFor();
      const numbered = (await page.getByTestId('numbered').textContent()) ?? '';
      expect(numbered).to.match(/ที่ \(เลขที่หนังสือ\) \S+ ?\S*\/\d+/);
      expect(await page.getByRole('button', { name: 'บันทึกฉบับใหม่' }).count()).to.equal(0); // frozen once numbered
      await screenshot(page, '37-registry-outgoing-numbered');
    });
  });

  it('fits a phone: the incoming form has no sideways scrolling', async () => {
    await h.withPage(
      async (page) => {
        await signIn(page, 'clerk');
        await page.goto('/registry/incoming');
        await page.getByRole('heading', { name: 'ลงทะเบียนรับหนังสือ' }).waitFor();
        const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
        expect(overflow).to.be.at.most(0);
        await screenshot(page, '36-registry-phone');
      },
      { viewport: { width: 390, height: 844 }, isMobile: true },
    );
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
      await screenshot(page, '38-registry-secret-register');
      // Not a registry clerk: the incoming form takes only secret letters, and says so up front.
      await page.goto('/registry/incoming');
      await page.getByTestId('secret-only').waitFor();
      const submit = page.getByRole('button', { name: 'ลงทะเบียนรับ', exact: true });
      expect(await submit.isDisabled()).to.equal(true);
      await page.getByLabel('ชั้นความลับ').selectOption({ label: 'ลับ' });
      await page.getByTestId('secret-only').waitFor({ state: 'detached' });
      // Enabled once the form has taken the choice (a wait, not a read: the two may land in different renders).
      await page.getByRole('button', { name: 'ลงทะเบียนรับ', exact: true, disabled: false }).waitFor();
    });

    const clerk = await tokenOf('clerk');
    expect((await request(clerk, 'GET', `/registers/${secret}/entries`)).status).to.equal(404);
    const clerkBooks = (await call<{ items: Array<{ kind: string; nameTh: string }> }>(clerk, 'GET', '/registers')).items;
    expect(clerkBooks.map((b) => b.kind)).to.not.include('secret');
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await page.goto('/registry/registers');
      // The choices are read once they are there, as a person sees them: the page heads itself
      // with the first register's name when the list has come (the table is drawn before that).
      await page.getByRole('heading', { name: clerkBooks[0].nameTh }).waitFor();
      const options = await page.getByLabel('ทะเบียน', { exact: true }).locator('option').allInnerTexts();
      expect(options).to.deep.equal(clerkBooks.map((b) => b.nameTh));
      expect(options.join('\n')).to.not.contain('ลับ');
      expect(await page.getByTestId('secret-register').count()).to.equal(0);
    });
  });
});
