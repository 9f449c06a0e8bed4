// Attachments: the main letter and enclosures. Multipart uploads are parsed as streams by busboy;
// the type is decided by the content (file-type reads magic bytes), never by the name; files over
// the limit get 413; reading needs the same right as reading the document.
import fs from 'node:fs';
import busboy from 'busboy';
import { Sequelize } from 'sequelize';
import type { Request } from 'express';
import { fileTypeFromFile } from 'file-type';
import { Attachment, Document } from '../../db/models';
import { AppError, conflict, notFound, badRequest } from '../../lib/errors';
import { Api, idParam } from '../../lib/route';
import { z } from '../../lib/openapi';
import { writeTransaction } from '../../lib/transaction';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { appendAudit } from '../audit/service';
import { assertRead } from '../documents/policy';
import { logSecretRead } from '../documents/service';
import { keepUpload } from './blobs';
import { blobPath, streamToTemp, StoredUpload, tempDir } from './storage';

/** What a government correspondence file may be: PDF, images and office documents. */
export const ALLOWED_MIME = new Set([
  'application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'image/gif', 'image/webp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet', 'application/vnd.oasis.opendocument.presentation',
  'application/x-cfb', 'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint',
]);

const AttachmentSchema = z
  .object({ id: z.number(), documentId: z.number(), role: z.enum(['main', 'enclosure']), filename: z.string(), mime: z.string(), size: z.number(), sha256: z.string(), createdAt: z.string() })
  .openapi('Attachment');

/** The form the upload route reads (described in OpenAPI; busboy parses the stream). */
const UploadForm = z
  .object({
    role: z.enum(['main', 'enclosure']).optional().openapi({ description: 'main: the letter itself; enclosure: สิ่งที่ส่งมาด้วย (default). Applies to the files after it.' }),
    file: z.array(z.string().openapi({ type: 'string', format: 'binary' })).min(1).max(20).openapi({ description: 'One or more files (PDF, images, office documents), each under the size limit' }),
  })
  .openapi('AttachmentUpload');

function present(a: Attachment) {
  return { id: a.id, documentId: a.documentId, role: a.role, filename: a.filename, mime: a.mime, size: Number(a.size), sha256: a.sha256, createdAt: new Date(a.createdAt).toISOString() };
}

export interface ParsedFile extends StoredUpload {
  filename: string;
  role: 'main' | 'enclosure';
}

/**
 * Reads the files of a multipart body into temporary files. A body that cannot be read (cut
 * short, malformed, the client gone) is a 400, and every temporary file of the request is removed
 * before the promise settles.
 */
export async function parseMultipart(req: Request, dataDir: string, maxBytes: number): Promise<ParsedFile[]> {
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 20, fields: 20 }, defParamCharset: 'utf8' });
  } catch {
    throw new AppError(415, 'unsupported_media_type', 'Send the files as multipart/form-data.');
  }
  const dir = await tempDir(dataDir); // before the body flows: each file is piped the moment it starts
  return new Promise((resolve, reject) => {
    const pending: Array<Promise<ParsedFile>> = [];
    let unreadable: AppError | undefined;
    const refuse = (err: Error) => (unreadable ??= badRequest(`The multipart body could not be read: ${err.message}`));
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      void Promise.allSettled(pending).then(async (results) => {
        const files = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        const failed = unreadable ?? results.find((r) => r.status === 'rejected')?.reason;
        if (!failed) return resolve(files);
        await Promise.all(files.map((f) => fs.promises.rm(f.tempPath, { force: true })));
        reject(failed);
      });
    };
    let role: 'main' | 'enclosure' = 'enclosure';
    bb.on('field', (name, value) => {
      if (name === 'role' && (value === 'main' || value === 'enclosure')) role = value;
    });
    bb.on('file', (_field, stream, info) => {
      const fileRole = role;
      stream.on('error', refuse); // a body cut short errors here first: the client's fault, a 400
      pending.push(streamToTemp(dir, stream).then((u) => ({ ...u, filename: info.filename || 'file', role: fileRole })));
    });
    bb.on('error', (err) => {
      refuse(err as Error);
      req.unpipe(bb);
      req.resume(); // drain what is left, so the 400 can be answered
      finish();
    });
    bb.on('close', finish);
    // A client that goes away mid-upload: stop, so its temporary files are removed.
    req.on('close', () => !req.complete && bb.destroy(new Error('the upload was cut off')));
    req.pipe(bb);
  });
}

/**
 * Records uploaded files on a document. Each blob row is locked before its file is checked and
 * the attachment row written; a destruction deletes a file only under the same lock and only when
 * no live document refers to it (retention/destruction.ts), so neither can lose the other's work.
 */
async function storeAttachments(sequelize: Sequelize, dataDir: string, actor: Actor, doc: Document, files: Array<ParsedFile & { mime: string }>): Promise<Attachment[]> {
  return writeTransaction(sequelize, async (t) => {
    const out: Attachment[] = [];
    for (const f of files) {
      await keepUpload(t, dataDir, f, f.mime);
      const a = await Attachment.create({ documentId: doc.id, sha256: f.sha256, role: f.role, filename: f.filename.slice(0, 255), mime: f.mime, size: f.size, createdById: actor.userId }, { transaction: t });
      await appendAudit(t, { organisationId: doc.organisationId, entityType: 'attachment', entityId: a.id, action: 'attachment.added', actorId: actor.userId, data: { documentId: doc.id, sha256: f.sha256, role: f.role, size: f.size, mime: f.mime } });
      out.push(a);
    }
    return out;
  });
}

export function registerAttachmentRoutes(api: Api<Actor>, ctx: AppContext): void {
  const { sequelize } = ctx.db;
  const maxBytes = () => ctx.config.attachmentMaxBytes;

  api.route({
    method: 'post', path: '/documents/:id/attachments', tag: 'Attachments', status: 201,
    summary: 'Attach files (multipart/form-data: field role = main | enclosure, then one or more files)',
    description: 'PDF, images and office files, recognised by content. Files over the size limit get 413.',
    params: idParam, multipart: UploadForm, response: z.object({ items: z.array(AttachmentSchema) }),
    handler: async ({ params, actor, req }) => {
      const doc = await assertRead(actor, await Document.findByPk(params.id));
      if (doc.createdById !== actor.userId && !actor.roles.has('registry_clerk')) throw new AppError(403, 'forbidden', 'Only the author or a registry clerk attaches files.');
      if (doc.status === 'sent' || doc.status === 'voided' || (doc.status === 'registered' && doc.direction !== 'incoming')) {
        throw conflict(`The document is ${doc.status} and frozen: files are not added any more.`);
      }
      const files = await parseMultipart(req, ctx.config.dataDir, maxBytes());
      const cleanup = () => Promise.all(files.map((f) => fs.promises.rm(f.tempPath, { force: true })));
      try {
        if (!files.length) throw badRequest('No file in the request.');
        const tooBig = files.find((f) => f.truncated);
        if (tooBig) throw new AppError(413, 'payload_too_large', `"${tooBig.filename}" is larger than the limit of ${Math.floor(maxBytes() / 1048576) || maxBytes() + ' bytes'}${maxBytes() >= 1048576 ? ' MB' : ''}.`);
        const typed: Array<ParsedFile & { mime: string }> = [];
        for (const f of files) {
          const type = await fileTypeFromFile(f.tempPath);
          if (!type || !ALLOWED_MIME.has(type.mime)) {
            throw new AppError(415, 'unsupported_file_type', `"${f.filename}" is not a PDF, image or office file (recognised by its content: ${type?.mime ?? 'unknown'}).`, [{ field: f.filename, message: type?.mime ?? 'unknown content' }]);
          }
          typed.push({ ...f, mime: type.mime });
        }
        const rows = await storeAttachments(sequelize, ctx.config.dataDir, actor, doc, typed);
        return { items: rows.map(present) };
      } finally {
        await cleanup();
      }
    },
  });

  api.route({
    method: 'get', path: '/documents/:id/attachments', tag: 'Attachments', summary: "A document's files", params: idParam, response: z.object({ items: z.array(AttachmentSchema) }),
    handler: async ({ params, actor }) => {
      const doc = await assertRead(actor, await Document.findByPk(params.id));
      return { items: (await Attachment.findAll({ where: { documentId: doc.id }, order: [['id', 'ASC']] })).map(present) };
    },
  });

  api.route({
    method: 'get', path: '/attachments/:id/content', tag: 'Attachments', summary: 'Download a file (reading a secret document is logged)', params: idParam,
    handler: async ({ params, actor, res }) => {
      const a = await Attachment.findByPk(params.id);
      if (!a) throw notFound('Attachment');
      const doc = await assertRead(actor, await Document.findByPk(a.documentId)).catch(() => {
        throw notFound('Attachment');
      });
      await logSecretRead(sequelize, actor, doc, `attachment ${a.id}`);
      const file = blobPath(ctx.config.dataDir, a.sha256);
      if (!fs.existsSync(file)) throw notFound('The stored file');
      res.setHeader('Content-Type', a.mime);
      res.setHeader('Content-Length', String(a.size));
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      await new Promise<void>((resolve, reject) => fs.createReadStream(file).on('error', reject).on('end', resolve).pipe(res));
      return undefined;
    },
  });
}
