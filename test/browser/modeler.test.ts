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

  it('validates against the real server: its element errors (422) are drawn on the diagram and listed', async () => {
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
      await page.locator('.saraban-error-overlay', { hasText: 'method calls' }).waitFor();
      await page.locator('.saraban-error-overlay', { hasText: 'needs a performer' }).waitFor();
      expect(await page.locator('[data-element-id="decide"].saraban-element-error').count()).to.equal(1);
      expect(await page.locator('[data-element-id="director_review"].saraban-element-error').count()).to.equal(1);
      expect(await page.getByTestId('element-errors').locator('li').count()).to.equal(2);
      await screenshot(page, '17-modeler-element-errors');
      // Importing another diagram clears the old marks.
      await page.getByRole('button', { name: 'แผนภาพใหม่' }).click();
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
});
