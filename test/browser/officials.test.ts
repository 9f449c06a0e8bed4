// The web app as Thai officials meet it (issue 17): a clerk types the letter's date in B.E. as it is
// printed (20/11/2569) or picks it from a calendar with Thai month names, and a date a year off is
// refused in Thai next to the field; a section head deciding มอบหมาย picks the unit by name, and
// leaving it out is a Thai message next to the picker, not a server error. Every main page passes
// axe-core's WCAG 2.1 AA rules with no serious or critical violation, at desktop and phone size.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { fieldMessage, ROOT, screenshot, signIn, startHarness, type Harness } from './harness';
import { apiOf, type Api } from './api';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true };
const AXE = fs.readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** The page's document as the functions run inside the page see it (the tests compile without the DOM library). */
type Doc = { title: string; activeElement: { tagName: string } | null; querySelector: (selector: string) => { dataset: Record<string, string | undefined> } | null };

type Violation = { id: string; impact: string | null; help: string; nodes: Array<{ target: string[]; failureSummary?: string }> };

/** axe-core inside the page (no network): the serious and critical WCAG 2.1 A/AA violations. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the browser's protocol: the app's CSP (script-src 'self') refuses an inline tag.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE);
  const violations = (await page.evaluate(
    "window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }).then((r) => r.violations)",
  )) as Violation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${(n.failureSummary ?? '').split('\n').slice(1, 2).join('')}`).join(' | ')}`);
}

/**
 * Thai text whose marks above or below the line are cut off: a text node with such marks whose line
 * box sticks out, top or bottom, of an ancestor that hides its overflow (a button label, a badge, a
 * cell) or of the badge or button it sits in (a mark out of its pill is cut off to the eye even
 * where nothing hides it). Text scrolled or truncated wholly out of view is not counted. Also says
 * how many badges holding a vowel below the line (ปลูก, ธุรการ) it measured.
 */
async function clippedThai(page: Page): Promise<{ clipped: string[]; badgesBelow: number }> {
  return page.evaluate(`(() => {
    const out = [];
    const badges = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!/[\u0E31\u0E34-\u0E3A\u0E47-\u0E4E]/.test(node.textContent)) continue;
      const badge = node.parentElement && node.parentElement.closest('.mantine-Badge-root');
      if (badge && /[\u0E38-\u0E3A]/.test(node.textContent) && badge.getClientRects().length) badges.add(badge);
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const line of range.getClientRects()) {
        if (!line.width || !line.height) continue;
        for (let el = node.parentElement; el && el !== document.body; el = el.parentElement) {
          const s = getComputedStyle(el);
          if (!/hidden|clip/.test(s.overflowY + ' ' + s.overflow) && !el.matches('.mantine-Badge-root, .mantine-Button-root')) continue;
          const box = el.getBoundingClientRect();
          const top = box.top + el.clientTop, bottom = top + el.clientHeight;
          if (line.bottom <= top || line.top >= bottom) break; // wholly out of view: scrolled, not clipped
          if (line.top < top - 1 || line.bottom > bottom + 1) out.push(node.textContent.trim().slice(0, 40) + ' (' + Math.round(line.top - top) + '/' + Math.round(bottom - line.bottom) + ' px)');
          break;
        }
      }
    }
    return { clipped: [...new Set(out)], badgesBelow: badges.size };
  })()`) as Promise<{ clipped: string[]; badgesBelow: number }>;
}

describe('the web app as Thai officials need it', function () {
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

  for (const [size, options] of [['desktop', undefined], ['phone', PHONE]] as const) {
    it(`takes a letter's date in B.E. (dd/mm/2569) typed or picked from a Thai calendar, and refuses a year typed wrongly, in Thai (${size})`, async () => {
      await h.withPage(async (page) => {
        await signIn(page, 'clerk');
        await page.goto('/registry/incoming');
        await page.getByRole('heading', { name: 'ลงทะเบียนรับหนังสือ' }).waitFor();
        const letterDate = page.getByLabel('ลงวันที่', { exact: true });
        // A C.E. year where B.E. belongs is caught as typed, before anything is sent.
        await letterDate.fill('20/11/2026');
        await letterDate.blur();
        expect(await fieldMessage(letterDate)).to.include('ปีต้องเป็นพุทธศักราช');
        // The year as printed on the letter, read back with the Thai month name.
        await letterDate.fill('20/11/2569');
        await page.getByText('20 พฤศจิกายน 2569').waitFor();
        // The calendar opens on that month, in Thai, in B.E.; the next month is one press away.
        await page.getByRole('button', { name: 'เปิดปฏิทิน' }).first().click();
        const month = page.getByTestId('calendar-month');
        expect(await month.textContent()).to.equal('พฤศจิกายน 2569');
        await page.getByRole('button', { name: 'เดือนถัดไป' }).click();
        expect(await month.textContent()).to.equal('ธันวาคม 2569');
        await screenshot(page, `60-date-calendar-${size}`);
        await page.getByRole('button', { name: '1 ธันวาคม 2569', exact: true }).click();
        expect(await letterDate.inputValue()).to.equal('01/12/2569');
        await page.getByText('1 ธันวาคม 2569').waitFor();

        // Two years ahead parses, but is not plausible: the server's Thai refusal sits under the field.
        await letterDate.fill('20/11/2571');
        await page.getByLabel('ที่ (เลขที่หนังสือ)').fill('ทส 0201/790');
        const subject = `ขอเชิญร่วมโครงการปลูกป่าชายเลน (${size})`;
        await page.getByLabel(/^เรื่อง/).first().fill(subject);
        await page.getByLabel('จาก').fill('กรมทรัพยากรทางทะเลและชายฝั่ง');
        const submit = page.getByRole('button', { name: 'ลงทะเบียนรับ', exact: true });
        await submit.click();
        await page.getByTestId('form-error').waitFor();
        expect(await letterDate.getAttribute('aria-invalid')).to.equal('true');
        expect(await fieldMessage(letterDate)).to.include('เกินหนึ่งปีข้างหน้า');
        await screenshot(page, `61-date-refused-${size}`);

        await letterDate.fill('20/11/2569');
        await submit.click();
        await page.getByTestId('incoming-done').waitFor();
        // Straight on to the clerk's own first step of the letter's routing.
        await page.getByTestId('my-screening-task').click();
        await page.getByTestId('task-panel').getByRole('heading', { name: subject }).waitFor();
        const clerk = await tokenOf('clerk');
        const found = await call<{ items: Array<{ subject: string; letterDate: string; letterDateTh: string }> }>(clerk, 'GET', `/search/documents?q=${encodeURIComponent('ปลูกป่าชายเลน')}`);
        const letter = found.items.find((d) => d.subject === subject);
        expect(letter?.letterDate).to.equal('2026-11-20');
        expect(letter?.letterDateTh).to.equal('20 พฤศจิกายน 2569');
      }, options);
    });
  }

  it('offers the units by name for มอบหมาย, only for that decision, and says in Thai next to the picker when none is chosen', async () => {
    const [clerk] = await Promise.all([tokenOf('clerk')]);
    const subject = 'ขอความร่วมมือประชาสัมพันธ์โครงการปลูกป่า';
    const started = await call<{ instance: { id: number } }>(clerk, 'POST', '/workflow/instances', { processKey: 'incoming_letter', variables: { document: { subject, urgency: 2 } } });
    await call(clerk, 'POST', `/tasks/${(await taskOf(clerk, started.instance.id, 'screen')).id}/complete`, { variables: { summary: 'ขอความร่วมมือ' } });
    await h.withPage(async (page) => {
      await signIn(page, 'sectionhead');
      await page.getByRole('link', { name: 'กล่องงาน' }).click();
      await page.getByTestId('inbox-table').getByRole('button', { name: subject }).click();
      const panel = page.getByTestId('task-panel');
      await panel.waitFor();
      const decision = panel.getByLabel('คำสั่งการ');
      await decision.selectOption({ label: 'ทราบ' });
      expect(await panel.getByLabel('มอบหมายให้หน่วยงาน').count()).to.equal(0);
      await decision.selectOption({ label: 'มอบหมาย' });
      const unit = panel.getByLabel('มอบหมายให้หน่วยงาน');
      expect(await unit.evaluate((el) => el.tagName)).to.equal('SELECT');
      await unit.locator('option', { hasText: 'กลุ่มงานสารบรรณ' }).waitFor({ state: 'attached' }); // the units may load after the field appears
      expect(await unit.locator('option').allTextContents()).to.include('กลุ่มงานสารบรรณ');
      await panel.getByLabel('ข้อความเกษียน').fill('มอบกลุ่มงานสารบรรณดำเนินการ');
      await panel.getByRole('button', { name: 'บันทึกและส่งต่อ' }).click();
      await panel.getByText('ยังไม่ได้เลือกหน่วยงาน').waitFor();
      expect(await unit.getAttribute('aria-invalid')).to.equal('true');
      expect(await fieldMessage(unit)).to.not.match(/unit:|undefined|numeric/);
      await screenshot(page, '62-assign-unit-required');
      await unit.selectOption({ label: 'กลุ่มงานสารบรรณ' });
      await panel.getByRole('button', { name: 'บันทึกและส่งต่อ' }).click();
      await panel.waitFor({ state: 'detached' });
      const officer = await tokenOf('officer');
      await taskOf(officer, started.instance.id, 'assign');
    });
  });

  for (const [size, options] of [['desktop', undefined], ['phone', PHONE]] as const) {
    it(`shows Thai subjects, buttons, badges and cells whole: no vowel below the line cut off or out of its badge (ปลูก stays ปลูก) (${size})`, async () => {
      const clerk = await tokenOf('clerk');
      const subject = `ขอเชิญประชุมคณะทำงานโครงการปลูกป่าชายเลน ${size}`;
      await call(clerk, 'POST', '/workflow/instances', { processKey: 'incoming_letter', variables: { document: { subject, urgency: 4 } } });
      await h.withPage(async (page) => {
        await signIn(page, 'clerk');
        await page.goto('/inbox');
        const open = page.getByTestId('inbox-table').getByRole('button', { name: subject });
        await open.waitFor();
        await screenshot(page, `63-inbox-thai-whole-${size}`);
        let badges = 0;
        const whole = async (where: string) => {
          const { clipped, badgesBelow } = await clippedThai(page);
          expect(clipped, `clipped Thai text ${where}`).to.deep.equal([]);
          badges += badgesBelow;
        };
        await whole('in the inbox');
        await open.click();
        await page.getByTestId('task-panel').waitFor();
        await whole('in the task');
        for (const url of ['/registry/outgoing', '/registry/registers', '/arrivals']) {
          await page.goto(url);
          await page.locator('main h2').first().waitFor();
          await page.waitForLoadState('networkidle');
          await whole(`on ${url}`);
        }
        // The header's capacity badge (เจ้าพนักงานธุรการ …, a vowel below the line) was among those measured.
        if (size === 'desktop') expect(badges, 'badges with a vowel below the line measured').to.be.greaterThan(0);
      }, options);
    });
  }

  it('says why sign-in is disabled, moves focus to the page heading after navigation, and names each page in the window title', async () => {
    await h.withPage(async (page) => {
      await page.goto('/login');
      const button = page.getByRole('button', { name: 'เข้าสู่ระบบ' });
      expect(await button.isDisabled()).to.equal(true);
      expect(await fieldMessage(button)).to.equal('กรอกชื่อผู้ใช้และรหัสผ่านเพื่อเข้าสู่ระบบ');
      await page.getByLabel('ชื่อผู้ใช้').fill('clerk');
      expect(await fieldMessage(button)).to.equal('กรอกรหัสผ่านเพื่อเข้าสู่ระบบ');
      await signIn(page, 'clerk');
      await page.getByRole('link', { name: 'กล่องงาน' }).first().click();
      await page.getByRole('heading', { name: 'กล่องงาน' }).waitFor();
      await page.waitForFunction(() => (globalThis as unknown as { document: Doc }).document.activeElement?.tagName === 'H2');
      expect(await page.evaluate('document.activeElement.textContent')).to.equal('กล่องงาน');
      await page.waitForFunction(() => /^(\(\d+\) )?กล่องงาน · สารบรรณ$/.test((globalThis as unknown as { document: Doc }).document.title));
      await page.getByRole('link', { name: 'ทะเบียนหนังสือ' }).first().click();
      await page.getByRole('heading', { name: 'ลงทะเบียนรับหนังสือ' }).waitFor();
      await page.waitForFunction(() => /^(\(\d+\) )?ลงทะเบียนรับหนังสือ · สารบรรณ$/.test((globalThis as unknown as { document: Doc }).document.title));
      expect(await page.evaluate('document.activeElement.textContent')).to.equal('ลงทะเบียนรับหนังสือ');
    });
  });

  it('signals an arrival: the count on กล่องงาน and in the window title goes up live, and a ด่วนที่สุด letter raises a toast that opens it', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await page.getByRole('link', { name: 'กล่องงาน' }).first().click();
      await page.getByTestId('live-status').getByText('อัปเดตอัตโนมัติ').waitFor(); // the tab's one socket is connected
      await page.waitForLoadState('networkidle');
      // No badge when nothing waits.
      const before = Number(await page.evaluate("document.querySelector('[data-testid=inbox-count]')?.dataset.count ?? 0"));
      if (before) await page.waitForFunction((n) => (globalThis as unknown as { document: Doc }).document.title.startsWith(`(${n}) `), before);
      await page.evaluate('window.arrivalMarker = 1');
      const subject = 'ด่วนที่สุด ขอข้อมูลผู้ประสบอุทกภัยภายในวันนี้';
      const clerk = await tokenOf('clerk');
      await call(clerk, 'POST', '/workflow/instances', { processKey: 'incoming_letter', variables: { document: { subject, urgency: 4 } } });
      await page.waitForFunction((n) => Number((globalThis as unknown as { document: Doc }).document.querySelector('[data-testid=inbox-count]')?.dataset.count ?? 0) > n, before);
      const after = Number(await page.evaluate("document.querySelector('[data-testid=inbox-count]').dataset.count"));
      await page.waitForFunction((n) => (globalThis as unknown as { document: Doc }).document.title.startsWith(`(${n}) `), after);
      const toast = page.getByTestId('urgent-toast-link');
      await toast.getByText(subject).waitFor();
      expect(await page.evaluate('window.arrivalMarker')).to.equal(1); // live, no reload
      await screenshot(page, '64-arrival-toast');
      await toast.click();
      await page.getByTestId('task-panel').getByRole('heading', { name: subject }).waitFor();
    });
  });

  it('forwards (ส่งต่อ) and circulates (เวียน) a registered letter from its page, and voids a number (ยกเลิกเลข) with its reason in the register', async () => {
    const clerk = await tokenOf('clerk');
    const subject = 'ขอเชิญร่วมกิจกรรมปลูกต้นไม้เฉลิมพระเกียรติ';
    const doc = await call<{ id: number }>(clerk, 'POST', '/documents', { direction: 'incoming', type: 'external', subject, letterNumber: 'ทส 0301/55', senderName: 'กรมป่าไม้' });
    const { items: books } = await call<{ items: Array<{ id: number; kind: string; unitId: number | null }> }>(clerk, 'GET', '/registers');
    const book = books.find((b) => b.kind === 'incoming' && b.unitId == null)!;
    const entry = await call<{ entry: { id: number; number: number } }>(clerk, 'POST', `/registers/${book.id}/entries`, { documentId: doc.id });
    await h.withPage(async (page) => {
      await signIn(page, 'clerk');
      await page.goto(`/documents/${doc.id}`);
      const actions = page.getByTestId('letter-actions');
      await actions.getByRole('button', { name: 'ส่งต่อ' }).click();
      const forward = page.getByRole('dialog', { name: 'ส่งต่อ' });
      await forward.getByLabel('ส่งต่อถึง').selectOption({ label: 'หน่วยงาน: กลุ่มงานสารบรรณ' });
      await forward.getByLabel('ข้อความถึงผู้รับ').fill('โปรดพิจารณาดำเนินการ');
      await forward.getByRole('button', { name: 'ส่งต่อ' }).click();
      await page.getByText('ส่งต่อแล้ว').waitFor();
      await actions.getByRole('button', { name: 'เวียน' }).click();
      const circulate = page.getByRole('dialog', { name: 'เวียน' });
      await circulate.getByLabel('กลุ่มงานสารบรรณ').check();
      await circulate.getByRole('button', { name: 'เวียน' }).click();
      await page.getByText('เวียนถึง 1 หน่วยงานแล้ว').waitFor();
      await screenshot(page, '65-letter-actions');

      await page.goto(`/registry/registers?register=${book.id}`);
      const row = page.locator(`tr[data-status]`).filter({ hasText: subject });
      await row.getByRole('button', { name: `ยกเลิกเลข ${entry.entry.number}` }).click();
      const voiding = page.getByRole('dialog');
      await voiding.getByLabel('เหตุผลที่ยกเลิกเลข').fill('ลงทะเบียนซ้ำ');
      await voiding.getByRole('button', { name: 'ยกเลิกเลข' }).click();
      await page.locator('tr[data-status=voided]').filter({ hasText: 'ลงทะเบียนซ้ำ' }).waitFor();
    });
    const officer = await tokenOf('officer');
    const { items } = await call<{ items: Array<{ documentId: number | null }> }>(officer, 'GET', '/tasks?limit=200');
    expect(items.filter((t) => t.documentId === doc.id).length).to.be.greaterThan(0);
  });

  it('says on the task when the director works it acting for the deputy (ในฐานะ ปฏิบัติราชการแทน …), and not on the director\'s own', async () => {
    const [clerk, sectionhead, director] = await Promise.all(['clerk', 'sectionhead', 'director'].map((u) => tokenOf(u)));
    const subject = 'ขอรายงานผลการปลูกป่าชุมชนประจำปี';
    const { instance } = await call<{ instance: { id: number } }>(clerk, 'POST', '/workflow/instances', { processKey: 'incoming_letter', variables: { document: { subject, urgency: 1 } } });
    await call(clerk, 'POST', `/tasks/${(await taskOf(clerk, instance.id, 'screen')).id}/complete`, { variables: { summary: 'รายงานผล' } });
    await call(sectionhead, 'POST', `/tasks/${(await taskOf(sectionhead, instance.id, 'present')).id}/complete`, { variables: { decision: 'forward', endorsement: 'เรียน ผอ.' } });
    const own = await taskOf(director, instance.id, 'present');
    await h.withPage(async (page) => {
      await signIn(page, 'director');
      await page.goto(`/inbox/${own.id}`);
      await page.getByTestId('task-panel').waitFor();
      expect(await page.getByTestId('acting-as').count()).to.equal(0);
      await call(director, 'POST', `/tasks/${own.id}/complete`, { variables: { decision: 'forward', endorsement: 'เรียน รองปลัดฯ' } });
      const deputys = await taskOf(director, instance.id, 'present');
      await page.goto(`/inbox/${deputys.id}`);
      const notice = page.getByTestId('acting-as');
      await notice.waitFor();
      expect(await notice.textContent()).to.include('ในฐานะ ปฏิบัติราชการแทน รองปลัดกระทรวงสาธารณสุข');
      await screenshot(page, '66-task-acting-for');
    });
  });

  const pages: Array<[string, string, string]> = [
    ['clerk', '/', 'home'],
    ['clerk', '/inbox', 'inbox'],
    ['clerk', '/registry/incoming', 'incoming'],
    ['clerk', '/registry/outgoing', 'outgoing'],
    ['clerk', '/registry/registers', 'registers'],
    ['clerk', '/registry/search', 'search'],
    ['clerk', '/arrivals', 'arrivals'],
    ['director', '/monitor', 'monitor'],
    ['designer', '/modeler', 'modeler'],
    ['admin', '/admin/users', 'admin-users'],
    ['admin', '/admin/delegations', 'admin-delegations'],
  ];
  for (const [size, options] of [['desktop', undefined], ['phone', PHONE]] as const) {
    it(`has no serious or critical WCAG 2.1 AA violation on the main pages (${size})`, async () => {
      const found: string[] = [];
      await h.withPage(async (page) => {
        await page.goto('/login');
        await page.getByRole('heading').first().waitFor();
        found.push(...(await seriousViolations(page)).map((v) => `login: ${v}`));
      }, options);
      for (const who of [...new Set(pages.map(([u]) => u))]) {
        await h.withPage(async (page) => {
          await signIn(page, who);
          for (const [, url, name] of pages.filter(([u]) => u === who)) {
            await page.goto(url);
            await page.locator('main h2').first().waitFor();
            await page.waitForLoadState('networkidle');
            found.push(...(await seriousViolations(page)).map((v) => `${name}: ${v}`));
          }
        }, options);
      }
      expect(found).to.deep.equal([]);
    });
  }
});
