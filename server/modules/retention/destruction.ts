// The destruction itself (the `destroy-documents` service task of processes/destruction.bpmn):
// marks each approved document destroyed, records it in the audit chain, then deletes the blob
// files no document refers to any more. Jobs may be retried, so every step is idempotent: a
// document already destroyed is skipped, and a file already gone is not an error.
import fs from 'node:fs';
import { Op } from 'sequelize';
import { Attachment, Blob, Document } from '../../db/models';
import { writeTransaction } from '../../lib/transaction';
import { appendAudit } from '../audit/service';
import { blobPath } from '../attachments/storage';
import type { Database } from '../../db';
import { buddhistYear } from '../../lib/thai-date';
import { purgeForDestroyed } from '../citizens/purge';

export interface DestructionInput {
  organisationId: number;
  documentIds: number[];
  actorId: number | null;
  instanceId: number | null;
  archivesLetterNumber: string | null;
}

export async function destroyDocuments(db: Database, dataDir: string, input: DestructionInput): Promise<{ destroyed: number[]; filesDeleted: number }> {
  const ids = [...new Set(input.documentIds.map(Number).filter((n) => Number.isInteger(n) && n > 0))];
  const { destroyed, hashes } = await writeTransaction(db.sequelize, async (t) => {
    const docs = await Document.findAll({ where: { id: { [Op.in]: ids }, organisationId: input.organisationId }, transaction: t, lock: t.LOCK.UPDATE });
    const destroyed: number[] = [];
    // Whoever started the process, only a document whose retention has run out is destroyed.
    const thisYear = buddhistYear(new Date());
    for (const doc of docs) {
      if (doc.status === 'destroyed' || doc.status === 'draft') continue;
      if (doc.registerYear == null || doc.retentionYears == null || doc.registerYear + doc.retentionYears > thisYear) continue;
      const previousStatus = doc.status;
      await doc.update({ status: 'destroyed' }, { transaction: t });
      await appendAudit(t, {
        organisationId: doc.organisationId, entityType: 'document', entityId: doc.id, action: 'document.destroyed', actorId: input.actorId,
        data: { previousStatus, registerYear: doc.registerYear ?? null, retentionYears: doc.retentionYears ?? null, instanceId: input.instanceId, archivesLetterNumber: input.archivesLetterNumber },
      });
      destroyed.push(doc.id);
    }
    const attachments = await Attachment.findAll({ where: { documentId: { [Op.in]: docs.map((d) => d.id) } }, attributes: ['sha256'], transaction: t });
    // A citizen's letter takes the citizen's personal data with it (and the tray copy's files).
    const citizens = await purgeForDestroyed(t, input.organisationId, docs.filter((d) => d.status === 'destroyed').map((d) => Number(d.id)), input.actorId);
    return { destroyed, hashes: [...new Set([...attachments.map((a) => a.sha256), ...citizens])] };
  });
  // The blob and attachment rows stay as the record of what was destroyed; only the content goes.
  let filesDeleted = 0;
  for (const sha256 of hashes) if (await deleteUnusedBlob(db, dataDir, sha256)) filesDeleted++;
  return { destroyed, filesDeleted };
}

/**
 * Deletes a stored file that no live (not destroyed) document carries any more. The check and the
 * deletion happen under the blob row's lock, the same lock an upload of the same content takes
 * before it writes its attachment row (attachments/routes.ts): an upload either committed first
 * and keeps the file, or waits and puts the file back.
 */
export async function deleteUnusedBlob(db: Database, dataDir: string, sha256: string): Promise<boolean> {
  return writeTransaction(db.sequelize, async (t) => {
    if (!(await Blob.findByPk(sha256, { transaction: t, lock: t.LOCK.UPDATE }))) return false;
    const refs = await Attachment.findAll({ where: { sha256 }, attributes: ['documentId'], transaction: t });
    const live = refs.length ? await Document.count({ where: { id: { [Op.in]: [...new Set(refs.map((r) => r.documentId))] }, status: { [Op.ne]: 'destroyed' } }, transaction: t }) : 0;
    if (live > 0) return false;
    const file = blobPath(dataDir, sha256);
    if (!fs.existsSync(file)) return false;
    await fs.promises.rm(file, { force: true });
    return true;
  });
}
