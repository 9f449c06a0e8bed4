// The BPMN modeler (bpmn-js + Camunda properties panel), in a real browser.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, screenshot, signIn, startHarness, type Harness } from './harness';
import { apiOf } from './api';

describe('the BPMN modeler in a real browser', function () {
  this.timeout(120000);
  let h: Harness;

  before(async function () {
    this.timeout(180000);
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('opens the modeler with the properties panel and the bpmn.io watermark, imports a BPMN file, and says when the server cannot validate yet', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'designer');
      await page.getByRole('link', { name: 'ตัวออกแบบ BPMN' }).click();
      await page.locator('.bjs-powered-by').waitFor({ state: 'visible' });
      await page.getByTestId('import-bpmn').waitFor();
      const fileInput = page.locator('input[type=file]');
      await fileInput.setInputFiles(path.join(ROOT, 'test', 'fixtures', 'incoming-letter.bpmn'));
      await page.locator('[data-element-id="director_review"]').waitFor();
      await page.locator('[data-element-id="screen_overdue"]').waitFor();
      // The properties panel shows the Camunda platform groups for the selected user task.
      await page.locator('[data-element-id="screen"]').click();
      const panel = page.getByTestId('properties-panel');
      await panel.getByText('กลั่นกรองหนังสือ').first().waitFor();
      await panel.locator('[data-group-id="group-CamundaPlatform__UserAssignment"]').waitFor();
      await panel.locator('[data-group-id="group-CamundaPlatform__Form"]').waitFor();
      expect(await page.locator('.bjs-powered-by').isVisible()).to.equal(true);
      await screenshot(page, '16-modeler');

      // A designer sets the assignee in the Camunda properties and it goes into the XML.
      await page.locator('[data-element-id="director_review"]').click();
      const assignment = panel.locator('[data-group-id="group-CamundaPlatform__UserAssignment"]');
      await assignment.locator('.bio-properties-panel-group-header').click();
      const assignee = panel.locator('#bio-properties-panel-assignee');
      expect(await assignee.inputValue()).to.equal('director');
      await assignee.fill('deputy');
      await assignee.press('Tab');
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'ดาวน์โหลด .bpmn' }).click();
      const xml = fs.readFileSync((await (await download).path())!, 'utf8');
      expect(xml).to.match(/<bpmn:userTask id="director_review"[^>]*camunda:assignee="deputy"/);
      expect(xml).to.include('camunda:candidateGroups="registry_clerk"');
      expect(xml).to.include('<camunda:formField id="summary"');

      await page.getByRole('button', { name: 'ตรวจสอบ' }).click();
      await page.getByTestId('workflow-api-missing').or(page.getByTestId('modeler-status')).first().waitFor();
    });
  });

  it('validates against the real server: its element errors (422) are drawn on the diagram and listed, in the UI\'s language', async () => {
    // An invalid variant of the fixture: a method call in the gateway's name, no performer on a task.
    // (A gateway without a default flow deploys with a warning, as Camunda 7 runs it: issue 13.)
    const xml = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'incoming-letter.bpmn'), 'utf8')
      .replace('name="เห็นชอบ?" default="flow_rejected"', 'name="เห็นชอบ? ${document.subject.trim()}" default="flow_rejected"')
      .replace(' camunda:assignee="director"', '');
    const invalid = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'saraban-bpmn-')), 'invalid.bpmn');
    fs.writeFileSync(invalid, xml);
    await h.withPage(async (page) => {
      await signIn(page, 'designer');
      await page.goto('/modeler');
      await page.locator('input[type=file]').setInputFiles(invalid);
      await page.locator('[data-element-id="director_review"]').waitFor();
      await page.getByRole('button', { name: 'ตรวจสอบ' }).click();
      await page.getByTestId('modeler-status').getByText('แผนภาพมีข้อผิดพลาด 2 จุด').waitFor();
      // The server writes these twice ("ไทย — English"): the Thai UI shows the Thai half only.
      await page.locator('.saraban-error-overlay', { hasText: /นิพจน์ .* ใช้สิ่งที่ไม่อนุญาต/ }).waitFor();
      await page.locator('.saraban-error-overlay', { hasText: 'งานนี้ยังไม่ระบุผู้ปฏิบัติ' }).waitFor();
      expect(await page.locator('[data-element-id="decide"].saraban-element-error').count()).to.equal(1);
      expect(await page.locator('[data-element-id="director_review"].saraban-element-error').count()).to.equal(1);
      expect(await page.getByTestId('element-errors').locator('li').count()).to.equal(2);
      // The list names the elements as the designer named them, not by their ids.
      const listed = (await page.getByTestId('element-errors').textContent())!;
      expect(listed).to.include('ผู้อำนวยการพิจารณา: งานนี้ยังไม่ระบุผู้ปฏิบัติ');
      expect(listed).to.not.include('director_review');
      expect(listed).to.not.match(/ — |needs a performer|not allowed/);
      await screenshot(page, '17-modeler-element-errors');
      // Starting another diagram clears the old marks.
      await page.getByRole('button', { name: 'แผนภาพใหม่' }).click();
      await page.getByRole('dialog').getByLabel('รหัสกระบวนงาน').fill('cleared_marks');
      await page.getByRole('dialog').getByRole('button', { name: 'สร้างแผนภาพ' }).click();
      await page.locator('.saraban-error-overlay').first().waitFor({ state: 'detached' });
    });
  });

  it('deploys an imported BPMN file as a new version on the real server', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'designer');
      await page.goto('/modeler');
      await page.locator('input[type=file]').setInputFiles(path.join(ROOT, 'test', 'fixtures', 'incoming-letter.bpmn'));
      await page.locator('[data-element-id="director_review"]').waitFor();
      await page.getByRole('button', { name: 'ติดตั้งเป็นรุ่นใหม่' }).click();
      await page.getByTestId('modeler-status').getByText(/ติดตั้ง .+ รุ่น \d+ แล้ว/).waitFor();
      await screenshot(page, '18-modeler-deployed');
    });
  });

  it('compares two deployed versions: the changed task is listed with its new name and performer, and coloured on the diagram', async () => {
    const { call, tokenOf } = apiOf(h.baseUrl);
    const token = await tokenOf('designer');
    const v1 = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'incoming-letter.bpmn'), 'utf8');
    const v2 = v1.replace('name="ผู้อำนวยการพิจารณา" camunda:assignee="director"', 'name="ผู้อำนวยการกองกลางพิจารณาและสั่งการ" camunda:assignee="deputy"');
    expect(v2).to.not.equal(v1);
    const deploy = async (xml: string) => (await call<{ version: number }>(token, 'POST', '/workflow/definitions', { xml })).version;
    const from = await deploy(v1);
    const to = await deploy(v2);

    await h.withPage(async (page) => {
      await signIn(page, 'designer');
      await page.goto('/modeler');
      await page.getByTestId('compare-test_incoming_letter').click();
      await page.getByTestId('compare-from').selectOption(String(from));
      await page.getByTestId('compare-to').selectOption(String(to));
      await page.getByRole('button', { name: 'เปรียบเทียบ', exact: true }).click();
      const changed = page.getByTestId('diff-changed').locator('[data-element-id="director_review"]');
      await changed.waitFor();
      expect(await changed.textContent()).to.contain('ผู้อำนวยการกองกลางพิจารณาและสั่งการ');
      expect(await changed.textContent()).to.contain('director → deputy');
      expect(await page.getByTestId('diff-changed').locator('li').count(), 'only that task changed').to.equal(1);
      const drawn = page.getByTestId('compare-canvas').locator('[data-element-id="director_review"].saraban-diff-changed');
      await drawn.waitFor();
      expect(await page.getByTestId('compare-canvas').locator('.bjs-powered-by').isVisible(), 'the bpmn.io watermark').to.equal(true);
      await screenshot(page, '19-modeler-compare-versions');
    });
  });

  it('speaks Thai (palette, context pad, properties panel), asks a new diagram for its process id, wraps a long Thai task name between words (and one word too wide inside it, never before a mark), and deploys under that id', async () => {
    const key = `leave_request_${Date.now()}`;
    const name = 'คำนวณวันครบกำหนดส่งหนังสือราชการภายนอกของกองกลาง';
    await h.withPage(async (page) => {
      await signIn(page, 'designer');
      await page.goto('/modeler');
      await page.locator('.bjs-powered-by').waitFor({ state: 'visible' });
      expect(await page.locator('.djs-palette [data-action="create.start-event"]').getAttribute('aria-label')).to.equal('สร้างเหตุการณ์เริ่มต้น');
      expect(await page.locator('.djs-palette [data-action="create.task"]').getAttribute('aria-label')).to.equal('สร้างงาน');

      await page.getByRole('button', { name: 'แผนภาพใหม่' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('ชื่อกระบวนงาน').fill('ขอลาพักผ่อน');
      const id = dialog.getByLabel('รหัสกระบวนงาน');
      await id.fill('1 ลาพักผ่อน');
      await dialog.getByRole('button', { name: 'สร้างแผนภาพ' }).click();
      await dialog.getByText('รหัสกระบวนงานต้องขึ้นต้นด้วยอักษรอังกฤษหรือ _').waitFor();
      await id.fill(key);
      await dialog.getByRole('button', { name: 'สร้างแผนภาพ' }).click();
      await dialog.waitFor({ state: 'detached' });

      // The process id is the one given; the properties panel shows it with Thai labels.
      await page.locator('.djs-container svg').first().click({ position: { x: 20, y: 20 } });
      const panel = page.getByTestId('properties-panel');
      await panel.getByText('ทั่วไป', { exact: true }).first().waitFor();
      await panel.locator('[data-group-id="group-general"] .bio-properties-panel-group-header').click().catch(() => undefined);
      expect(await panel.locator('#bio-properties-panel-processId, #bio-properties-panel-id').first().inputValue()).to.equal(key);

      // Append a task from the start event's context pad (Thai) and name it in Thai.
      await page.locator('[data-element-id="start"]').click();
      const append = page.locator('.djs-context-pad [data-action="append.append-task"]');
      expect(await append.getAttribute('title')).to.equal('ต่อด้วยงาน');
      await append.click();
      const editor = page.locator('.djs-direct-editing-parent');
      await editor.waitFor({ state: 'visible' });
      await page.keyboard.type(name);
      await page.locator('.djs-container svg').first().click({ position: { x: 20, y: 20 } });
      await editor.waitFor({ state: 'hidden' });

      const task = page.locator('.djs-element.djs-shape', { has: page.locator('text.djs-label') }).filter({ hasNot: page.locator('[data-element-id="start"]') }).last();
      const lines = (await task.locator('text.djs-label tspan').allTextContents()).map((l) => l.replace(/\uFEFF/g, ''));
      expect(lines.length, lines.join(' / ')).to.be.greaterThan(1);
      expect(lines.join('')).to.equal(name);
      for (const line of lines) expect(line, `a line starts with a combining mark: ${lines.join(' / ')}`).to.not.match(/^[\u0E30-\u0E3A\u0E47-\u0E4E\u0E31]/);
      // Each break falls between two of the words Intl.Segmenter finds.
      const words = await page.evaluate((text) => [...new Intl.Segmenter('th', { granularity: 'word' }).segment(text)].map((s) => s.index), name);
      let at = 0;
      for (const line of lines.slice(0, -1)) {
        at += line.length;
        expect(words, `break at ${at}: ${lines.join(' / ')}`).to.include(at);
      }
      // One word wider than its shape (ทรัพยากรธรรมชาติ is one word to Intl.Segmenter) is broken inside
      // as a last resort: between its written parts, never before a vowel or tone mark nor after
      // a leading vowel, and no line wider than the shape.
      const word = 'ทรัพยากรธรรมชาติ';
      await page.locator(`[data-element-id="${await task.getAttribute('data-element-id')}"]`).click();
      await page.locator('.djs-context-pad [data-action="append.append-task"]').click();
      await editor.waitFor({ state: 'visible' });
      await page.keyboard.type(word);
      await page.locator('.djs-container svg').first().click({ position: { x: 20, y: 20 } });
      await editor.waitFor({ state: 'hidden' });
      const long = page.locator('.djs-element.djs-shape', { has: page.locator('text.djs-label') }).filter({ hasText: new RegExp([...word].join('[\\s\\uFEFF]*')) }).last();
      const parts = (await long.locator('text.djs-label tspan').allTextContents()).map((l) => l.replace(/\uFEFF/g, ''));
      expect(parts.length, parts.join(' / ')).to.be.greaterThan(1);
      expect(parts.join('')).to.equal(word);
      for (const [i, part] of parts.entries()) {
        if (i > 0) expect(part, `a line starts with a vowel or mark: ${parts.join(' / ')}`).to.not.match(/^[\u0E30-\u0E3A\u0E45-\u0E4E]/);
        expect(part, `a line ends with a leading vowel: ${parts.join(' / ')}`).to.not.match(/[\u0E40-\u0E44]$/);
      }
      const shape = (await long.locator('.djs-visual > rect').first().boundingBox())!;
      for (const line of await long.locator('text.djs-label tspan').all()) expect((await line.boundingBox())!.width, 'a line wider than its shape').to.be.at.most(shape.width);
      await screenshot(page, '60-modeler-thai-new-diagram');

      await page.getByRole('button', { name: 'ติดตั้งเป็นรุ่นใหม่' }).click();
      await page.getByTestId('modeler-status').getByText(`ติดตั้ง ${key} รุ่น 1 แล้ว`).waitFor();

      // A second new diagram may not take the same id.
      await page.getByRole('button', { name: 'แผนภาพใหม่' }).click();
      await page.getByRole('dialog').getByLabel('รหัสกระบวนงาน').fill(key);
      await page.getByRole('dialog').getByRole('button', { name: 'สร้างแผนภาพ' }).click();
      await page.getByRole('dialog').getByText('มีกระบวนงานรหัสนี้อยู่แล้ว').waitFor();
      await page.getByRole('dialog').getByRole('button', { name: 'ยกเลิก' }).click();

      // English stays available: the language switch redraws the modeler in English, keeping the diagram.
      await page.getByRole('button', { name: 'English' }).click();
      await page.locator('.djs-palette [data-action="create.start-event"][aria-label="Create start event"]').waitFor();
      expect((await page.locator('text.djs-label tspan').allTextContents()).join('').replace(/\uFEFF/g, '')).to.include(name);
    });
  });

  it('picks a candidate group for a user task from the organisation, by its Thai name, into the Camunda attributes, under Thai labels and help texts', async () => {
    await h.withPage(async (page) => {
      await signIn(page, 'designer');
      await page.goto('/modeler');
      await page.locator('input[type=file]').setInputFiles(path.join(ROOT, 'test', 'fixtures', 'incoming-letter.bpmn'));
      await page.locator('[data-element-id="director_review"]').click();
      const picker = page.getByTestId('performer-picker');
      await picker.getByText('เลือกผู้ปฏิบัติของ “ผู้อำนวยการพิจารณา”').waitFor();
      await picker.getByText('กลุ่ม/บทบาท').click();
      await picker.getByLabel('ค้นหาแล้วเลือก').fill('เจ้าหน้าที่สารบรรณ');
      await page.getByRole('option', { name: 'เจ้าหน้าที่สารบรรณ (registry_clerk)' }).click();
      await picker.getByRole('button', { name: 'เพิ่มเป็นผู้รับงาน' }).click();
      await picker.getByTestId('current-performers').getByText('กลุ่ม/หน่วยงานผู้รับงาน: เจ้าหน้าที่สารบรรณ').waitFor();
      // The properties panel shows what was written, under its Thai label.
      const assignment = page.getByTestId('properties-panel').locator('[data-group-id="group-CamundaPlatform__UserAssignment"]');
      await assignment.getByText('ผู้ปฏิบัติ', { exact: true }).click();
      expect(await assignment.locator('#bio-properties-panel-candidateGroups').inputValue()).to.equal('registry_clerk');
      // Its help texts are Thai too (the follow-up date's, under its field).
      await assignment.getByText(/^วันติดตามงานเป็นนิพจน์/).waitFor();
      expect(await assignment.textContent()).to.not.include('The follow up date');
      await screenshot(page, '61-modeler-performer-picker');
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'ดาวน์โหลด .bpmn' }).click();
      const xml = fs.readFileSync((await (await download).path())!, 'utf8');
      expect(xml).to.match(/<bpmn:userTask id="director_review"[^>]*camunda:candidateGroups="registry_clerk"/);
    });
  });

  it('asks for a process id before deploying the starting diagram, and deploys it under that id, never as new_process', async () => {
    const key = `started_${Date.now()}`;
    await h.withPage(async (page) => {
      await signIn(page, 'designer');
      await page.goto('/modeler');
      await page.locator('[data-element-id="start"]').waitFor();
      await page.getByRole('button', { name: 'ติดตั้งเป็นรุ่นใหม่' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('รหัสกระบวนงาน').fill(key);
      await dialog.getByRole('button', { name: 'สร้างแผนภาพ' }).click();
      await page.getByTestId('modeler-status').getByText(`ติดตั้ง ${key} รุ่น 1 แล้ว`).waitFor();
    });
  });
});
