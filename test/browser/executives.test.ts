// The executives' task view (issue 17 item 7), as a director meets it: the task takes the page,
// the letter's PDF beside its endorsement chain and the decision, the decision in view without
// scrolling, the subject and urgency said once; the organisation's stock phrases (which its
// administrator edits on the organisation page) fill the endorsement with one press and stay
// editable; after completing, งานถัดไป opens the next task in the inbox's order. On a phone the
// panes stack and a link jumps to the decision. axe-core finds no serious or critical violation.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, screenshot, signIn, startHarness, type Harness } from './harness';
import { apiOf, type Api } from './api';
import { realPdf } from './pdf';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true };
const AXE = fs.readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
type Violation = { id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> };

/** axe-core inside the page: the serious and critical WCAG 2.1 A/AA violations. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE);
  const violations = (await page.evaluate(
    "window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }).then((r) => r.violations)",
  )) as Violation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

describe("the executives' task view", function () {
  this.timeout(60000);
  let h: Harness;
  let call: Api['call'], tokenOf: Api['tokenOf'], taskOf: Api['taskOf'];
  const urgent = 'ขอเชิญประชุมด่วนเรื่องการเตรียมรับมืออุทกภัย';
  const ordinary = 'ขอความอนุเคราะห์ข้อมูลสถิติผู้ป่วยประจำปี';
  const letters = new Map<string, { documentId: number; instanceId: number }>();

  /** An incoming letter with its PDF, registered, screened by the clerk and put up to the director by the section head. */
  async function letterForDirector(subject: string, urgency: string) {
    const [clerk, sectionhead] = await Promise.all([tokenOf('clerk'), tokenOf('sectionhead')]);
    const doc = await call<{ id: number }>(clerk, 'POST', '/documents', { direction: 'incoming', type: 'external', subject, urgency, letterNumber: 'มท 0201/15', senderName: 'กรมป้องกันและบรรเทาสาธารณภัย' });
    const form = new FormData();
    form.append('role', 'main');
    form.append('file', new Blob([new Uint8Array(realPdf(`Letter ${doc.id}`))], { type: 'application/pdf' }), 'หนังสือ.pdf');
    await call(clerk, 'POST', `/documents/${doc.id}/attachments`, form);
    const { items: books } = await call<{ items: Array<{ id: number; kind: string; unitId: number | null }> }>(clerk, 'GET', '/registers');
    await call(clerk, 'POST', `/registers/${books.find((b) => b.kind === 'incoming' && b.unitId == null)!.id}/entries`, { documentId: doc.id });
    const { instances } = await call<{ instances: Array<{ id: number }> }>(clerk, 'GET', `/documents/${doc.id}/route`);
    const instanceId = instances[0].id;
    await call(clerk, 'POST', `/tasks/${(await taskOf(clerk, instanceId, 'screen')).id}/complete`, { variables: { summary: 'สรุปเรื่องเพื่อโปรดพิจารณา' } });
    await call(sectionhead, 'POST', `/tasks/${(await taskOf(sectionhead, instanceId, 'present')).id}/complete`, { variables: { decision: 'forward', endorsement: 'เรียน ผอ. เพื่อโปรดพิจารณา' } });
    letters.set(subject, { documentId: doc.id, instanceId });
  }

  before(async function () {
    this.timeout(120000);
    h = await startHarness();
    ({ call, tokenOf, taskOf } = apiOf(h.baseUrl));
    await Promise.all([letterForDirector(ordinary, 'normal'), letterForDirector(urgent, 'most_urgent')]);
  });
  after(async () => {
    await h?.close();
  });

  it("lets the organisation's administrator add a stock phrase on the organisation page", async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'admin');
      await page.goto('/admin/organisation');
      const section = page.getByTestId('phrases-section');
      await section.getByRole('heading', { name: 'ข้อความเกษียนสำเร็จรูป' }).waitFor();
      const rows = section.getByTestId('phrase-row');
      await rows.first().waitFor();
      const count = await rows.count();
      await section.getByRole('button', { name: 'เพิ่มข้อความ' }).click();
      await section.getByLabel(`ข้อความ ${count + 1}`, { exact: true }).fill('ทราบ ให้ถือปฏิบัติ');
      await section.getByLabel(`คำสั่งการ ${count + 1}`, { exact: true }).selectOption({ label: 'ทราบ' });
      // Next to the plain ทราบ, where the director looks for it.
      for (let i = count + 1; i > 2; i--) await section.getByRole('button', { name: 'เลื่อนขึ้น ทราบ ให้ถือปฏิบัติ' }).click();
      await section.getByRole('button', { name: 'บันทึก', exact: true }).click();
      await page.getByText('บันทึกข้อความเกษียนสำเร็จรูปแล้ว').waitFor();
      await screenshot(page, '70-admin-stock-phrases');
    });
    const me = await call<{ organisation: { id: number } }>(await tokenOf('director'), 'GET', '/me');
    const { items } = await call<{ items: Array<{ decision: string; text: string }> }>(await tokenOf('director'), 'GET', `/organisations/${me.organisation.id}/endorsement-phrases`);
    expect(items.slice(0, 2).map((p) => [p.decision, p.text])).to.deep.equal([['acknowledge', 'ทราบ'], ['acknowledge', 'ทราบ ให้ถือปฏิบัติ']]);
  });

  it('shows the letter beside its chain and decision, fills the endorsement from a stock phrase, and goes on to the next task (desktop)', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'director');
      await page.goto('/inbox');
      await page.getByTestId('inbox-table').getByRole('button', { name: urgent }).click();
      const panel = page.getByTestId('task-panel');
      await panel.getByRole('heading', { level: 2, name: urgent }).waitFor();
      const pdf = panel.getByTestId('letter-preview');
      await pdf.waitFor();
      await panel.getByTestId('letter-endorsements').getByText('เรียน ผอ. เพื่อโปรดพิจารณา').waitFor();
      const submit = panel.getByRole('button', { name: 'บันทึกและส่งต่อ' });
      // Side by side: the PDF on the left, the decision on the right, both in view without scrolling.
      const [pdfBox, formBox, submitBox] = await Promise.all([pdf.boundingBox(), panel.getByTestId('task-decision').boundingBox(), submit.boundingBox()]);
      const viewport = page.viewportSize()!;
      expect(pdfBox!.x + pdfBox!.width).to.be.at.most(formBox!.x);
      expect(pdfBox!.y).to.be.below(viewport.height / 2);
      expect(pdfBox!.height).to.be.above(viewport.height / 2);
      expect(submitBox!.y + submitBox!.height).to.be.at.most(viewport.height);
      const onTop = await page.evaluate(`document.elementFromPoint(${submitBox!.x + submitBox!.width / 2}, ${submitBox!.y + submitBox!.height / 2})?.closest('button')?.textContent`);
      expect(onTop, 'the decision button is not covered or scrolled away').to.equal('บันทึกและส่งต่อ');
      expect(await page.evaluate('document.scrollingElement.scrollHeight <= window.innerHeight + 1')).to.equal(true);
      // The subject and the urgency are said once.
      expect(await panel.getByText(urgent, { exact: true }).count()).to.equal(1);
      expect(await panel.getByText('ด่วนที่สุด', { exact: true }).count()).to.equal(1);
      expect(await seriousViolations(page)).to.deep.equal([]);

      // Before a decision, one phrase of each; the chosen decision's all.
      const phrases = panel.getByTestId('stock-phrases');
      expect(await phrases.getByRole('button').allTextContents()).to.deep.equal(['ทราบ', 'เห็นชอบ เสนอเพื่อโปรดพิจารณา', 'มอบ … ดำเนินการ', 'ส่งคืนเพื่อแก้ไข']);
      await panel.getByLabel('คำสั่งการ').selectOption({ label: 'ทราบ' });
      await phrases.getByRole('button', { name: 'ทราบ ให้ถือปฏิบัติ', exact: true }).click();
      expect(await panel.getByLabel('คำสั่งการ').inputValue()).to.equal('acknowledge');
      const endorsement = panel.getByLabel('ข้อความเกษียน');
      expect(await endorsement.inputValue()).to.equal('ทราบ ให้ถือปฏิบัติ');
      // The phrase is the start: the director goes on typing where it ends.
      await page.keyboard.type(' และแจ้งผู้เกี่ยวข้อง');
      expect(await endorsement.inputValue()).to.equal('ทราบ ให้ถือปฏิบัติ และแจ้งผู้เกี่ยวข้อง');
      await screenshot(page, '71-executive-task-desktop');
      // A window narrowed past the breakpoint stacks the panes and keeps what was typed.
      await page.setViewportSize({ width: 800, height: viewport.height });
      await panel.getByRole('link', { name: 'ไปที่การสั่งการ' }).waitFor();
      expect(await endorsement.inputValue()).to.equal('ทราบ ให้ถือปฏิบัติ และแจ้งผู้เกี่ยวข้อง');
      await page.setViewportSize(viewport);
      await panel.getByRole('link', { name: 'ไปที่การสั่งการ' }).waitFor({ state: 'detached' });
      await submit.click();

      const next = page.getByTestId('task-done').getByRole('button', { name: `งานถัดไป: ${ordinary}` });
      await next.waitFor();
      await screenshot(page, '72-executive-next-task');
      await next.click();
      await page.getByTestId('task-panel').getByRole('heading', { level: 2, name: ordinary }).waitFor();
      expect(new URL(page.url()).pathname).to.equal(`/inbox/${(await taskOf(await tokenOf('director'), letters.get(ordinary)!.instanceId, 'present')).id}`);
    });
    const chain = await call<{ items: Array<{ decision: string | null; text: string | null }> }>(await tokenOf('director'), 'GET', `/documents/${letters.get(urgent)!.documentId}/endorsements`);
    expect(chain.items.at(-1)).to.deep.include({ decision: 'acknowledge', text: 'ทราบ ให้ถือปฏิบัติ และแจ้งผู้เกี่ยวข้อง' });
  });

  it('stacks the panes on a phone with a link to the decision, names the chosen unit in a มอบ phrase, and says when nothing else waits', async () => {
    const director = await tokenOf('director');
    const task = await taskOf(director, letters.get(ordinary)!.instanceId, 'present');
    const { total } = await call<{ total: number }>(director, 'GET', '/tasks');
    expect(total, 'this is the last task waiting for the director').to.equal(1);
    await h.withPage(async (page) => {
      await signIn(page, 'director');
      await page.goto(`/inbox/${task.id}`);
      const panel = page.getByTestId('task-panel');
      await panel.getByTestId('letter-preview').waitFor();
      await screenshot(page, '73-executive-task-phone');
      await panel.getByRole('link', { name: 'ไปที่การสั่งการ' }).click();
      const decision = panel.getByTestId('task-decision');
      await page.waitForFunction(() => {
        const box = (globalThis as unknown as { document: { querySelector: (s: string) => { getBoundingClientRect: () => { top: number } } | null } }).document.querySelector('[data-testid=task-decision]')?.getBoundingClientRect();
        return box != null && box.top >= -1 && box.top < (globalThis as unknown as { innerHeight: number }).innerHeight / 2;
      });
      await decision.getByRole('button', { name: 'มอบ … ดำเนินการ', exact: true }).click();
      expect(await decision.getByLabel('คำสั่งการ').inputValue()).to.equal('assign');
      await decision.getByLabel('มอบหมายให้หน่วยงาน').selectOption({ label: 'กลุ่มงานสารบรรณ' });
      expect(await decision.getByLabel('ข้อความเกษียน').inputValue()).to.equal('มอบ กลุ่มงานสารบรรณ ดำเนินการ');
      expect(await seriousViolations(page)).to.deep.equal([]);
      await screenshot(page, '74-executive-decision-phone');
      await decision.getByRole('button', { name: 'บันทึกและส่งต่อ' }).click();
      await page.getByTestId('task-done').getByText('ไม่มีงานรอดำเนินการในกล่องงานแล้ว').waitFor();
    }, PHONE);
  });
});
