// A citizen writes to an agency: the multipart form is read with bounds, every field is checked,
// the proof of work is verified and used up, the per-ID limit is checked, and only then is anything
// stored: the letter (a document of the organisation holding the subject, text and files), its
// delivery into the arrivals tray (sender kind "citizen"), the submission with its tracking code,
// the history, audit, push to the registry clerks and the receipt mail, in ONE transaction.
import fs from 'node:fs';
import busboy from 'busboy';
import type { Request } from 'express';
import { fileTypeFromFile } from 'file-type';
import { Op, Sequelize } from 'sequelize';
import { Attachment, CitizenSubmission, Delivery, DeliveryEvent, Document, Group, Organisation } from '../../db/models';
import { AppError, badRequest, unprocessable } from '../../lib/errors';
import { writeTransaction } from '../../lib/transaction';
import { bangkokDate } from '../../lib/thai-date';
import type { Config } from '../../config';
import { appendAudit } from '../audit/service';
import { recordEvents } from '../events/outbox';
import { keepUpload } from '../attachments/blobs';
import { streamToTemp, StoredUpload, tempDir } from '../attachments/storage';
import { idHash, newTrackingCode, normaliseId, thaiIdValid } from './identity';
import { spendProof } from './pow';
import { queueCitizenMail } from './mail';
import { SubmissionFields } from './schemas';

/** What a citizen may attach: PDF and images, recognised by their content. */
export const CITIZEN_MIME = new Set(['application/pdf', 'image/png', 'image/jpeg']);

interface Upload extends StoredUpload { filename: string }

/** Reads the form: text fields (small) and up to `maxFiles` files into DATA_DIR/tmp. 413 past the limits, 400 for a broken body. */
export async function readForm(req: Request, dataDir: string, c: Config['citizens']): Promise<{ fields: Record<string, string>; files: Upload[] }> {
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { fileSize: c.fileMaxBytes, files: c.maxFiles, fields: 20, fieldSize: 64 * 1024, parts: c.maxFiles + 20 }, defParamCharset: 'utf8' });
  } catch {
    throw new AppError(415, 'unsupported_media_type', 'Send the form as multipart/form-data.');
  }
  const dir = await tempDir(dataDir);
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const pending: Array<Promise<Upload>> = [];
    let problem: AppError | undefined;
    const fail = (e: AppError) => (problem ??= e);
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      void Promise.allSettled(pending).then(async (results) => {
        const files = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        const failed = problem ?? results.find((r) => r.status === 'rejected')?.reason;
        if (!failed) return resolve({ fields, files });
        await Promise.all(files.map((f) => fs.promises.rm(f.tempPath, { force: true })));
        reject(failed instanceof AppError ? failed : badRequest('The form could not be read.'));
      });
    };
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(new AppError(413, 'payload_too_large', `The field "${name}" is too long.`));
      else if (!Object.prototype.hasOwnProperty.call(fields, name)) fields[name] = value;
    });
    bb.on('file', (_field, stream, info) => {
      stream.on('error', (e) => fail(badRequest(`The form could not be read: ${e.message}`)));
      stream.on('limit', () => fail(new AppError(413, 'payload_too_large', `"${info.filename}" is larger than ${Math.floor(c.fileMaxBytes / 1048576)} MB.`)));
      pending.push(streamToTemp(dir, stream).then((u) => ({ ...u, filename: (info.filename || 'file').slice(0, 200) })));
    });
    bb.on('filesLimit', () => fail(new AppError(413, 'payload_too_large', `At most ${c.maxFiles} files.`)));
    bb.on('fieldsLimit', () => fail(new AppError(413, 'payload_too_large', 'Too many fields.')));
    bb.on('partsLimit', () => fail(new AppError(413, 'payload_too_large', 'Too many parts.')));
    bb.on('error', (e) => {
      fail(badRequest(`The form could not be read: ${(e as Error).message}`));
      req.unpipe(bb);
      req.resume();
      finish();
    });
    bb.on('close', finish);
    req.on('close', () => !req.complete && bb.destroy(new Error('the upload was cut off')));
    req.pipe(bb);
  });
}

export interface Submitted { submission: CitizenSubmission; organisation: Organisation; subject: string }

/** The checks that touch nothing: fields, the ID's check digit, file types. */
async function checked(fields: Record<string, string>, files: Upload[]) {
  const parsed = SubmissionFields.safeParse(fields);
  if (!parsed.success) {
    throw new AppError(400, 'validation_failed', 'The form is not valid.', parsed.error.issues.map((i) => ({ location: 'body', path: i.path.join('.'), message: i.message })));
  }
  const id = normaliseId(parsed.data.idNumber);
  if (!thaiIdValid(id)) throw unprocessable('เลขประจำตัวประชาชนไม่ถูกต้อง (The national ID number is not valid: 13 digits with its check digit.)', [{ field: 'idNumber', message: 'check digit' }]);
  const typed: Array<Upload & { mime: string }> = [];
  for (const f of files) {
    if (f.size === 0) continue;
    const type = await fileTypeFromFile(f.tempPath);
    if (!type || !CITIZEN_MIME.has(type.mime)) {
      throw new AppError(415, 'unsupported_file_type', `"${f.filename}" is not a PDF, PNG or JPEG file (recognised by its content: ${type?.mime ?? 'unknown'}).`, [{ field: f.filename, message: type?.mime ?? 'unknown content' }]);
    }
    typed.push({ ...f, mime: type.mime });
  }
  return { data: parsed.data, id, files: typed };
}

export async function submit(sequelize: Sequelize, secret: string, config: Config, org: Organisation, fields: Record<string, string>, files: Upload[]): Promise<Submitted> {
  const { data, id, files: typed } = await checked(fields, files);
  await spendProof(secret, fields.altcha);
  const hash = idHash(secret, id);
  const recent = await CitizenSubmission.count({ where: { idHash: hash, createdAt: { [Op.gt]: new Date(Date.now() - 24 * 3_600_000) } } });
  if (recent >= config.citizens.perIdPerDay) {
    throw new AppError(429, 'too_many_requests', 'เลขประจำตัวประชาชนนี้ส่งคำร้องครบจำนวนต่อวันแล้ว (This ID number has sent the most requests allowed in a day; try again tomorrow.)', undefined, { 'Retry-After': '86400' });
  }
  const submission = await writeTransaction(sequelize, async (t) => {
    const now = new Date();
    const doc = await Document.create(
      {
        organisationId: org.id, unitId: null, direction: 'incoming', type: 'external', status: 'draft', version: 1, urgency: 'normal', secrecy: 'normal',
        subject: data.subject, body: data.body, senderName: data.name, addressee: org.nameTh, salutation: 'เรียน', letterDate: bangkokDate(now), retentionYears: 10, createdById: null,
      },
      { transaction: t },
    );
    for (const f of typed) {
      await keepUpload(t, config.dataDir, f, f.mime);
      await Attachment.create({ documentId: doc.id, sha256: f.sha256, role: 'enclosure', filename: f.filename, mime: f.mime, size: f.size, createdById: null }, { transaction: t });
    }
    const delivery = await Delivery.create(
      {
        documentId: doc.id, senderKind: 'citizen', senderOrganisationId: org.id, sentById: null, recipientKind: 'organisation', recipientOrganisationId: org.id, recipientName: org.nameTh,
        role: 'to', secrecy: 'normal', urgency: 'normal', status: 'delivered', sentAt: now, deliveredAt: now,
      },
      { transaction: t },
    );
    await DeliveryEvent.bulkCreate([
      { deliveryId: delivery.id, status: 'sent', actorId: null, organisationId: null, note: 'ส่งโดยประชาชนผ่านช่องทางอิเล็กทรอนิกส์', createdAt: now },
      { deliveryId: delivery.id, status: 'delivered', actorId: null, organisationId: org.id, note: null, createdAt: now },
    ], { transaction: t });
    const s = await CitizenSubmission.create(
      {
        organisationId: org.id, trackingCode: newTrackingCode(), documentId: doc.id, deliveryId: delivery.id, name: data.name, idHash: hash, idLast4: id.slice(-4),
        address: data.address, phone: data.phone || null, email: data.email.toLowerCase(), language: data.language, status: 'received', statusAt: now,
      },
      { transaction: t },
    );
    // The audit keeps what happened, not the person's data (that stays with the submission).
    await appendAudit(t, { organisationId: Number(org.id), entityType: 'citizen_submission', entityId: s.id, action: 'citizen.submitted', actorId: null, data: { deliveryId: Number(delivery.id), documentId: Number(doc.id), files: typed.map((f) => f.sha256) } });
    const clerks = await Group.findAll({ where: { organisationId: org.id, key: 'registry_clerk' }, attributes: ['id'], transaction: t });
    await recordEvents(t, [{
      type: 'delivery.arrived', organisationId: Number(org.id), subject: { type: 'delivery', id: delivery.id }, audience: { groupIds: clerks.map((g) => Number(g.id)) },
      summary: { deliveryId: Number(delivery.id), status: 'delivered', urgency: 'normal', secret: false, senderKind: 'citizen', recipientOrganisationId: Number(org.id) },
    }]);
    await queueCitizenMail(t, config.publicUrl, s, org, 'received', { subject: data.subject });
    return s;
  });
  return { submission, organisation: org, subject: data.subject };
}
