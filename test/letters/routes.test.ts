// The letters routes: a document's letter and its text through the documents policy, a draft's
// preview, bad input, a missing Chromium, the event loop while letters render, and what an
// administrator sets (Thai digits, the Garuda, templates).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect } from 'chai';
import type { Response } from 'supertest';
import { api } from '../helpers/factories';
import { testEnv } from '../helpers/env';
import { AuditRecord, LetterSettings, LetterTemplate } from '../../server/db/models';
import { closeRenderer } from '../../server/modules/letters/render';
import { as, custodian, outgoingLetter } from '../registry/helpers';
import { letterFields, pageTexts } from './helpers';

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const previewBody = (extra: Record<string, unknown> = {}) => {
  const { letterNumber: _n, ...fields } = letterFields(extra);
  return { ...fields, letterNumber: null };
};
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a1d4e4a40000000049454e44ae426082', 'hex');

describe('letters: routes', function () {
  this.timeout(120000);
  let draftId: number;
  let secretId: number;
  let dataDir: string;
  let savedDir: string;
  before(async () => {
    const { config } = testEnv().ctx;
    savedDir = config.dataDir;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'saraban-letters-'));
    config.dataDir = dataDir;
    const clerk = (await as('clerk')).auth;
    draftId = (await api().post('/api/documents').set(clerk).send(outgoingLetter({ subject: 'ขอส่งรายงานผลการดำเนินงาน ผู้ใหญ่ น้ำ' }))).body.id;
    const c = await custodian();
    secretId = (await api().post('/api/documents').set(c.auth).send(outgoingLetter({ secrecy: 'secret', subject: 'เรื่องลับมากของผู้ดูแล' }))).body.id;
  });
  after(() => {
    testEnv().ctx.config.dataDir = savedDir;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers a document's letter as a PDF marked ร่าง while it is a draft", async () => {
    const res = await api().get(`/api/documents/${draftId}/letter`).set((await as('clerk')).auth).buffer(true).parse(binary);
    expect(res.status, String(res.body)).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    const pages = pageTexts(res.body as Buffer);
    expect(pages[0]).to.include('ร่าง').and.include('ผู้ว่าราชการจังหวัดเชียงใหม่');
  });

  it("gives the letter's text as written, without Chromium", async () => {
    const res = await api().get(`/api/documents/${draftId}/letter/text`).set((await as('clerk')).auth);
    expect(res.status).to.equal(200);
    expect(res.body.template).to.equal('external');
    expect(res.body.text).to.include('ขอส่งรายงานผลการดำเนินงาน ผู้ใหญ่ น้ำ').and.include('(นายวิชัย ทองดี)');
  });

  it('hides a secret letter from a reader who is not named: 404 for the PDF and the text, as for the document', async () => {
    const director = (await as('director')).auth;
    for (const route of [`/api/documents/${secretId}/letter`, `/api/documents/${secretId}/letter/text`, '/api/documents/999999/letter']) {
      const res = await api().get(route).set(director);
      expect(res.status, route).to.equal(404);
      expect(res.body.error.code).to.equal('not_found');
    }
    const c = await custodian();
    const before = await AuditRecord.count({ where: { entityId: String(secretId), action: 'document.read' } });
    const res = await api().get(`/api/documents/${secretId}/letter`).set(c.auth).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(await AuditRecord.count({ where: { entityId: String(secretId), action: 'document.read' } })).to.equal(before + 1);
  });

  it('refuses to draw an incoming letter from its fields (its PDF is the file it came as): 409', async () => {
    const clerk = (await as('clerk')).auth;
    const incoming = await api().post('/api/documents').set(clerk).send({ direction: 'incoming', type: 'external', subject: 'หนังสือเข้า', letterNumber: 'นร 0105/9', senderName: 'สำนักนายกรัฐมนตรี' });
    expect(incoming.status).to.equal(201);
    expect((await api().get(`/api/documents/${incoming.body.id}/letter`).set(clerk)).status).to.equal(409);
  });

  it("previews a draft's fields as a PDF, nothing stored", async () => {
    const res = await api().post('/api/letters/preview').set((await as('clerk')).auth).send(previewBody({ type: 'directive', subType: 'order' })).buffer(true).parse(binary);
    expect(res.status, String(res.body)).to.equal(200);
    expect(pageTexts(res.body as Buffer)[0]).to.include('คำสั่งสำนักงานปลัดกระทรวงสาธารณสุข'.replace(/\s/g, ''));
  });

  it('answers bad preview input with 4xx and the one error shape, never 5xx', async () => {
    const clerk = (await as('clerk')).auth;
    const cases: Array<[unknown, number]> = [
      [{}, 400],
      [previewBody({ type: 'memo' }), 400],
      [previewBody({ type: 'directive', subType: null }), 422],
      [previewBody({ type: 'external', subType: 'order' }), 422],
      [previewBody({ secrecy: 'top_secret' }), 422],
      [previewBody({ body: 'ก'.repeat(60001) }), 400],
      [previewBody({ references: [{ owner: 'x' }] }), 400],
      [previewBody({ signature: { mode: 'stamped' } }), 400],
    ];
    for (const [body, status] of cases) {
      const res = await api().post('/api/letters/preview').set(clerk).send(body as object);
      expect(res.status, JSON.stringify(res.body)).to.equal(status);
      expect(res.body.error.code).to.be.a('string');
    }
    expect((await api().post('/api/letters/preview').send(previewBody())).status).to.equal(401);
  });

  it('answers 503 with one line on what to install when CHROMIUM_PATH points at nothing, and renders again once it is back', async () => {
    await closeRenderer();
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      const res = await api().post('/api/letters/preview').set((await as('clerk')).auth).send(previewBody());
      expect(res.status).to.equal(503);
      expect(res.body.error.code).to.equal('renderer_unavailable');
      expect(res.body.error.message).to.not.include('\n');
      expect(res.body.error.message).to.include('/nonexistent/chromium').and.include('apt-get install -y chromium fonts-tlwg-laksaman-ttf').and.include('CHROMIUM_PATH');
      expect(res.headers['retry-after']).to.equal('60');
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
    const again = await api().post('/api/letters/preview').set((await as('clerk')).auth).send(previewBody()).buffer(true).parse(binary);
    expect(again.status).to.equal(200);
  });

  it('keeps answering /api/health while letters render (event loop delay printed, not asserted)', async () => {
    const clerk = (await as('clerk')).auth;
    // The same measure idle first: on a shared machine the process also waits for a core.
    const idle = monitorEventLoopDelay({ resolution: 5 });
    idle.enable();
    await new Promise((r) => setTimeout(r, 1500));
    idle.disable();
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    let renders = 0;
    const rendering = Promise.all(Array.from({ length: 6 }, () => api().post('/api/letters/preview').set(clerk).send(previewBody()).buffer(true).parse(binary).then((r) => {
      expect(r.status).to.equal(200);
      renders++;
    })));
    const health: number[] = [];
    while (renders < 6) {
      const t = performance.now();
      const res = await api().get('/api/health');
      expect(res.status).to.equal(200);
      health.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
    await rendering;
    delay.disable();
    health.sort((a, b) => a - b);
    console.log(`      6 renders: ${health.length} health answers, p50 ${health[Math.floor(health.length / 2)].toFixed(1)} ms, max ${health[health.length - 1].toFixed(1)} ms; event loop delay max ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms (idle: max ${(idle.max / 1e6).toFixed(1)} ms, p99 ${(idle.percentile(99) / 1e6).toFixed(1)} ms)`);
    expect(health.length).to.be.greaterThan(1);
  });

  describe('what an administrator sets', () => {
    it("uses Thai digits on the organisation's letters once its administrator asks (audited); others may not change it", async () => {
      const admin = (await as('admin')).auth;
      const orgId = (await api().get('/api/me').set(admin)).body.organisation.id;
      expect((await api().patch(`/api/organisations/${orgId}/letter-settings`).set((await as('clerk')).auth).send({ thaiDigits: true })).status).to.equal(403);
      expect((await api().patch(`/api/organisations/${orgId}/letter-settings`).set(admin).send({ thaiDigits: 'yes' })).status).to.equal(400);
      const res = await api().patch(`/api/organisations/${orgId}/letter-settings`).set(admin).send({ thaiDigits: true });
      expect(res.status).to.equal(200);
      expect(res.body.thaiDigits).to.equal(true);
      const text = (await api().get(`/api/documents/${draftId}/letter/text`).set((await as('clerk')).auth)).body.text as string;
      expect(text).to.include('๐ ๒๕๙๐ ๑๐๐๐').and.not.match(/[0-9]/);
      expect(await AuditRecord.count({ where: { action: 'letters.settings.changed' } })).to.be.greaterThan(0);
      await LetterSettings.update({ thaiDigits: false }, { where: { organisationId: orgId } });
    });

    it('takes a Garuda image by content (PNG, JPEG, SVG) and serves the placeholder until then', async () => {
      const admin = (await as('admin')).auth;
      const cm = (await as('cm.admin')).auth;
      const cmOrg = (await api().get('/api/me').set(cm)).body.organisation.id;
      const placeholder = await api().get(`/api/organisations/${cmOrg}/letter-garuda`).set(cm).buffer(true).parse(binary);
      expect(placeholder.headers['content-type']).to.equal('image/svg+xml');
      expect(String(placeholder.body)).to.include('PLACEHOLDER');
      const bad = await api().put(`/api/organisations/${cmOrg}/letter-garuda`).set(cm).attach('file', Buffer.from('not an image'), 'garuda.png');
      expect(bad.status).to.equal(415);
      const up = await api().put(`/api/organisations/${cmOrg}/letter-garuda`).set(cm).attach('file', png, 'garuda.png');
      expect(up.status, JSON.stringify(up.body)).to.equal(200);
      expect(up.body.garuda).to.equal('uploaded');
      const served = await api().get(`/api/organisations/${cmOrg}/letter-garuda`).set(cm).buffer(true).parse(binary);
      expect(served.headers['content-type']).to.equal('image/png');
      expect(Buffer.compare(served.body as Buffer, png)).to.equal(0);
      // A province's administrator does not set the ministry's Garuda.
      const centralOrg = (await api().get('/api/me').set(admin)).body.organisation.id;
      expect((await api().put(`/api/organisations/${centralOrg}/letter-garuda`).set(cm).attach('file', png, 'g.png')).status).to.equal(403);
    });

    it('lets an administrator replace a template for the organisation and those below it, checked first, and go back', async () => {
      const admin = (await as('admin')).auth;
      const orgId = (await api().get('/api/me').set(admin)).body.organisation.id;
      const shipped = await api().get(`/api/organisations/${orgId}/letter-templates/signature`).set(admin);
      expect(shipped.body.source).to.equal('shipped');
      const broken = await api().put(`/api/organisations/${orgId}/letter-templates/signature`).set(admin).send({ html: '{{#signerName}}<p>x</p>' });
      expect(broken.status).to.equal(422);
      const unknown = await api().put(`/api/organisations/${orgId}/letter-templates/signature`).set(admin).send({ html: '{{> nothing}}' });
      expect(unknown.status).to.equal(422);
      // A template that includes itself would never finish drawing: refused before it is kept.
      const looping = await api().put(`/api/organisations/${orgId}/letter-templates/signature`).set(admin).send({ html: '{{> signature}}{{> signature}}' });
      expect(looping.status, JSON.stringify(looping.body)).to.equal(422);
      expect(looping.body.error.message).to.include('include');
      expect((await api().put(`/api/organisations/${orgId}/letter-templates/nonsense`).set(admin).send({ html: 'x' })).status).to.equal(400);
      // Without the signature space a signed letter's mark would land elsewhere and repeat the name.
      const spaceless = await api().put(`/api/organisations/${orgId}/letter-templates/signature`).set(admin).send({ html: '<div class="signature"><p>{{signerName}}</p></div>' });
      expect(spaceless.status).to.equal(422);
      expect(spaceless.body.error.message).to.include('signature-space');
      const own = '<div class="signature"><a class="sign-space" href="http://letter.invalid/signature-space"></a><p>ลงนามโดย {{signerName}} ตามแบบของหน่วยงาน</p></div>';
      expect((await api().put(`/api/organisations/${orgId}/letter-templates/signature`).set(admin).send({ html: own })).status).to.equal(200);
      const text = (await api().get(`/api/documents/${draftId}/letter/text`).set((await as('clerk')).auth)).body.text as string;
      expect(text).to.include('ลงนามโดย นายวิชัย ทองดี ตามแบบของหน่วยงาน');
      // The province below inherits it.
      const cm = (await as('cm.admin')).auth;
      const cmOrg = (await api().get('/api/me').set(cm)).body.organisation.id;
      expect((await api().get(`/api/organisations/${cmOrg}/letter-templates/signature`).set(cm)).body.source).to.equal('inherited');
      expect((await api().delete(`/api/organisations/${orgId}/letter-templates/signature`).set(admin)).status).to.equal(204);
      expect(await LetterTemplate.count({ where: { organisationId: orgId } })).to.equal(0);
      expect((await api().get(`/api/organisations/${orgId}/letter-templates/signature`).set(admin)).body.source).to.equal('shipped');
    });
  });
});
