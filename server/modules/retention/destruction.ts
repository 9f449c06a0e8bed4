// The destruction itself (the `destroy-documents` service task of processes/destruction.bpmn):
// marks each approved document destroyed, records it in the audit chain, then deletes the blob
// files no document refers to any more. Jobs may be retried, so every step is idempotent: a
// document already destroyed is skipped, and a file already gone is not an error.
import fs from 'node:fs';
import { Op } from 'sequelize';
import { Attachment, Document } from '../../db/models';
import { writeTransaction } from '../../lib/transaction';
import { appendAudit } from '../audit/service';
import { blobPath } from '../attachments/storage';
import type { Database } from '../../db';

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
    const thisYear = new Date().getUTCFullYear() + 543;
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
    return { destroyed, hashes: [...new Set(attachments.map((a) => a.sha256))] };
  });
  // A file is still needed while any document that is not destroyed carries it. The blob and
  // attachment rows stay as the record of what was destroyed; only the content goes.
  let filesDeleted = 0;
  if (!hashes.length) return { destroyed, filesDeleted };
  const refs = await Attachment.findAll({ where: { sha256: { [Op.in]: hashes } }, attributes: ['sha256', 'documentId'] });
  const live = new Set((await Document.findAll({ where: { id: { [Op.in]: [...new Set(refs.map((r) => r.documentId))] }, status: { [Op.ne]: 'destroyed' } }, attributes: ['id'] })).map((d) => d.id));
  const kept = new Set(refs.filter((r) => live.has(r.documentId)).map((r) => r.sha256));
  for (const sha256 of hashes) {
    if (kept.has(sha256)) continue;
    const file = blobPath(dataDir, sha256);
    if (fs.existsSync(file)) {
      await fs.promises.rm(file, { force: true });
      filesDeleted++;
    }
  }
  return { destroyed, filesDeleted };
}
