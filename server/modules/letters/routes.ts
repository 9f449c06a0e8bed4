// Letters REST: a document's letter as PDF (and its text), a preview of a draft's fields, and
// what an organisation's administrator sets for its letters (Thai digits, the Garuda, templates).
import fs from 'node:fs';
import type { Response } from 'express';
import { fileTypeFromFile } from 'file-type';
import { DOCUMENT_SUBTYPES, LetterSettings, LetterTemplate, type DocumentType } from '../../db/models';
import { AppError, badRequest, conflict, unprocessable } from '../../lib/errors';
import { Api, idParam } from '../../lib/route';
import { z } from '../../lib/openapi';
import { writeTransaction } from '../../lib/transaction';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { appendAudit } from '../audit/service';
import { parseMultipart } from '../attachments/routes';
import { keepUpload } from '../attachments/blobs';
import { blobPath } from '../attachments/storage';
import { signedLetterOf } from '../signatures/letters';
import { readableDocument } from '../documents/policy';
import { logSecretRead } from '../documents/service';
import { ancestorsOf, assertAdminister, assertRead as assertReadOrg } from '../org/policy';
import { checkTemplate, letterText, letterView, secrecyText, templateDir, templateFor, TEMPLATE_NAMES } from './compose';
import { composeLetter, letterFieldsOf, renderLetterPdf, PLACEHOLDER_GARUDA } from './render';
import { garudaOf, letterContext, renderDocumentPdf } from './settings';
import { TemplateError } from './template';
import * as S from './schemas';

const TAG = 'Letters';
const GARUDA_MAX_BYTES = 2 * 1024 * 1024;

function sendPdf(res: Response, pdf: Buffer, filename: string): undefined {
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Length', String(pdf.length));
  res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(filename)}`);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(pdf);
  return undefined;
}

/** An incoming letter's PDF is the one received (its main file), not one drawn from its fields here. */
function assertOwnLetter(doc: { direction: string }) {
  if (doc.direction === 'incoming') throw conflict('An incoming letter is the file it came as (its main attachment); only letters written here are drawn from their fields.');
}

export function registerLetterRoutes(api: Api<Actor>, ctx: AppContext): void {
  const { sequelize } = ctx.db;

  api.route({
    method: 'get', path: '/documents/:id/letter', tag: TAG, params: idParam,
    summary: 'The letter drawn from its fields as PDF/A-3b (a draft is marked ร่าง; reading a secret one is logged); a letter signed here is its signed file',
    description: 'application/pdf. 503 with Retry-After when the renderer is busy or Chromium is not installed (the message says what to install).',
    handler: async ({ params, actor, res }) => {
      const doc = await readableDocument(actor, params.id);
      assertOwnLetter(doc);
      await logSecretRead(sequelize, actor, doc, 'letter');
      // A letter signed here is its signed file (stamps appended since), never drawn again.
      const signed = await signedLetterOf(doc.id);
      if (signed) return sendPdf(res, await fs.promises.readFile(blobPath(ctx.config.dataDir, signed.sha256)), signed.filename);
      const { pdf } = await renderDocumentPdf(doc, { dataDir: ctx.config.dataDir });
      return sendPdf(res, pdf, `${doc.letterNumber ?? `letter-${doc.id}`}.pdf`);
    },
  });

  api.route({
    method: 'get', path: '/documents/:id/letter/text', tag: TAG, params: idParam, response: S.LetterTextSchema,
    summary: "The letter's text as written on it (no Chromium needed; for search and checks)",
    handler: async ({ params, actor }) => {
      const doc = await readableDocument(actor, params.id);
      assertOwnLetter(doc);
      await logSecretRead(sequelize, actor, doc, 'letter text');
      const c = await letterContext(doc.organisationId, doc.unitId, { dataDir: ctx.config.dataDir });
      const fields = letterFieldsOf(doc);
      const html = composeLetter(fields, letterView(fields, c.issuer, { ...c.options, garuda: '', draft: doc.status === 'draft', signature: { mode: doc.status !== 'draft' && doc.signerName ? 'typed' : 'none' } }), c.options.templates);
      return { documentId: doc.id, template: templateFor(doc.type, doc.subType), text: letterText(html, secrecyText(fields)) };
    },
  });

  api.route({
    method: 'post', path: '/letters/preview', tag: TAG, body: S.LetterPreview,
    summary: "A draft's fields as the letter would look (PDF, marked ร่าง), in the author's organisation's layout",
    description: 'application/pdf. Nothing is stored. 503 when the renderer is busy or missing.',
    handler: async ({ body, actor, res }) => {
      if (body.secrecy === 'top_secret') throw unprocessable('เอกสารลับที่สุดส่งทางระบบอิเล็กทรอนิกส์ไม่ได้ (Top secret documents may not travel electronically.)', [{ field: 'secrecy', message: 'top_secret is not allowed' }]);
      const allowed = DOCUMENT_SUBTYPES[body.type as DocumentType];
      if (body.subType && !allowed.includes(body.subType)) throw unprocessable(`Sub-type "${body.subType}" does not belong to type ${body.type}.`, [{ field: 'subType', message: allowed.length ? `one of ${allowed.join(', ')}` : 'this type has no sub-types' }]);
      if (!body.subType && allowed.length) throw unprocessable(`Type ${body.type} needs a sub-type.`, [{ field: 'subType', message: `one of ${allowed.join(', ')}` }]);
      const c = await letterContext(actor.organisationId, body.unitId ?? actor.unitId, { dataDir: ctx.config.dataDir });
      const { pdf } = await renderLetterPdf(body, c.issuer, { ...c.options, draft: true, signature: body.signature });
      return sendPdf(res, pdf, 'preview.pdf');
    },
  });

  // ---- what an administrator sets for the organisation's letters ----

  const settingsOf = async (organisationId: number) => {
    const [row, chain] = await Promise.all([LetterSettings.findByPk(organisationId), ancestorsOf(organisationId)]);
    const rows = await LetterTemplate.findAll({ where: { organisationId: [organisationId, ...chain] }, attributes: ['organisationId', 'name'] });
    const source = (name: string) => (rows.some((r) => Number(r.organisationId) === organisationId && r.name === name) ? 'own' : rows.some((r) => r.name === name) ? 'inherited' : 'shipped');
    return {
      organisationId, thaiDigits: row?.thaiDigits ?? false, garuda: row?.garudaSha256 ? ('uploaded' as const) : ('placeholder' as const),
      templates: TEMPLATE_NAMES.map((name) => ({ name, overridden: source(name) as 'own' | 'inherited' | 'shipped' })),
    };
  };
  const audit = (organisationId: number, actor: Actor, action: string, data: Record<string, unknown>) => (t: Parameters<typeof appendAudit>[0]) =>
    appendAudit(t, { organisationId, entityType: 'letter_settings', entityId: organisationId, action, actorId: actor.userId, data });

  api.route({
    method: 'get', path: '/organisations/:id/letter-settings', tag: TAG, params: idParam, response: S.LetterSettingsSchema,
    summary: "An organisation's letter settings: Thai digits, its Garuda, which templates it changed",
    handler: async ({ params, actor }) => {
      await assertReadOrg(actor, params.id);
      return settingsOf(params.id);
    },
  });

  api.route({
    method: 'patch', path: '/organisations/:id/letter-settings', tag: TAG, params: idParam, body: S.LetterSettingsUpdate, response: S.LetterSettingsSchema,
    summary: 'Thai digits (เลขไทย) on the letters of an organisation (its administrators)',
    handler: async ({ params, body, actor }) => {
      await assertAdminister(actor, params.id);
      await writeTransaction(sequelize, async (t) => {
        const [row] = await LetterSettings.findOrCreate({ where: { organisationId: params.id }, defaults: { organisationId: params.id }, transaction: t });
        await row.update({ thaiDigits: body.thaiDigits, updatedById: actor.userId }, { transaction: t });
        await audit(params.id, actor, 'letters.settings.changed', { thaiDigits: body.thaiDigits })(t);
      });
      return settingsOf(params.id);
    },
  });

  api.route({
    method: 'put', path: '/organisations/:id/letter-garuda', tag: TAG, params: idParam, response: S.LetterSettingsSchema,
    multipart: z.object({ file: z.string().openapi({ type: 'string', format: 'binary', description: 'PNG, JPEG or SVG, up to 2 MB' }) }).openapi('GarudaUpload'),
    summary: "Upload the organisation's Garuda (ตราครุฑ) for its letters (its administrators)",
    handler: async ({ params, actor, req }) => {
      await assertAdminister(actor, params.id);
      const files = await parseMultipart(req, ctx.config.dataDir, GARUDA_MAX_BYTES);
      try {
        if (files.length !== 1) throw badRequest('Send exactly one image file.');
        const f = files[0];
        if (f.truncated) throw new AppError(413, 'payload_too_large', 'The Garuda image is larger than 2 MB.');
        const head = (await fs.promises.readFile(f.tempPath)).subarray(0, 4096).toString('utf8');
        const type = await fileTypeFromFile(f.tempPath);
        const mime = type && ['image/png', 'image/jpeg'].includes(type.mime) ? type.mime : !type && /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/.test(head) ? 'image/svg+xml' : null;
        if (!mime) throw new AppError(415, 'unsupported_file_type', 'The Garuda must be a PNG, JPEG or SVG image (recognised by its content).');
        await writeTransaction(sequelize, async (t) => {
          await keepUpload(t, ctx.config.dataDir, f, mime);
          const [row] = await LetterSettings.findOrCreate({ where: { organisationId: params.id }, defaults: { organisationId: params.id }, transaction: t });
          await row.update({ garudaSha256: f.sha256, garudaMime: mime, updatedById: actor.userId }, { transaction: t });
          await audit(params.id, actor, 'letters.garuda.uploaded', { sha256: f.sha256, mime, size: f.size })(t);
        });
        return settingsOf(params.id);
      } finally {
        await Promise.all(files.map((x) => fs.promises.rm(x.tempPath, { force: true })));
      }
    },
  });

  api.route({
    method: 'get', path: '/organisations/:id/letter-garuda', tag: TAG, params: idParam,
    summary: "The Garuda the organisation's letters carry (the project's plainly marked placeholder until one is uploaded)",
    handler: async ({ params, actor, res }) => {
      await assertReadOrg(actor, params.id);
      const img = (await garudaOf(await LetterSettings.findByPk(params.id), ctx.config.dataDir)) ?? PLACEHOLDER_GARUDA;
      res.setHeader('Content-Type', img.mime);
      // An SVG opened on its own is a page: no script of it may run.
      res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.end(img.body);
      return undefined;
    },
  });

  api.route({
    method: 'get', path: '/organisations/:id/letter-templates/:name', tag: TAG, params: S.templateParams, response: S.TemplateSchema,
    summary: 'One letter template as the organisation uses it (its own, inherited from above, or shipped)',
    handler: async ({ params, actor }) => {
      await assertReadOrg(actor, params.id);
      const chain = [params.id, ...(await ancestorsOf(params.id))];
      const rows = await LetterTemplate.findAll({ where: { organisationId: chain, name: params.name } });
      const nearest = chain.map((id) => rows.find((r) => Number(r.organisationId) === id)).find(Boolean);
      if (nearest) return { name: params.name, source: Number(nearest.organisationId) === params.id ? ('own' as const) : ('inherited' as const), html: nearest.html };
      return { name: params.name, source: 'shipped' as const, html: await fs.promises.readFile(`${templateDir}/${params.name}.html`, 'utf8') };
    },
  });

  api.route({
    method: 'put', path: '/organisations/:id/letter-templates/:name', tag: TAG, params: S.templateParams, body: S.TemplateBody, response: S.TemplateSchema,
    summary: "Replace one letter template for the organisation and those below it (its administrators; checked before it is kept)",
    handler: async ({ params, body, actor }) => {
      await assertAdminister(actor, params.id);
      const chain = [params.id, ...(await ancestorsOf(params.id))];
      const rows = await LetterTemplate.findAll({ where: { organisationId: chain } });
      const nearest = (n: string) => chain.map((id) => rows.find((r) => Number(r.organisationId) === id && r.name === n)).find(Boolean)?.html;
      try {
        checkTemplate(params.name, body.html, nearest);
      } catch (err) {
        if (err instanceof TemplateError) throw unprocessable(`The template cannot be used: ${err.message}.`, [{ field: 'html', message: err.message }]);
        throw err;
      }
      await writeTransaction(sequelize, async (t) => {
        await LetterTemplate.upsert({ organisationId: params.id, name: params.name, html: body.html, updatedById: actor.userId }, { transaction: t });
        await audit(params.id, actor, 'letters.template.changed', { name: params.name, length: body.html.length })(t);
      });
      return { name: params.name, source: 'own' as const, html: body.html };
    },
  });

  api.route({
    method: 'delete', path: '/organisations/:id/letter-templates/:name', tag: TAG, params: S.templateParams, status: 204,
    summary: "Go back to the inherited or shipped template (its administrators)",
    handler: async ({ params, actor }) => {
      await assertAdminister(actor, params.id);
      await writeTransaction(sequelize, async (t) => {
        const removed = await LetterTemplate.destroy({ where: { organisationId: params.id, name: params.name }, transaction: t });
        if (removed) await audit(params.id, actor, 'letters.template.reset', { name: params.name })(t);
      });
    },
  });
}
