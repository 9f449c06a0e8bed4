// The audit trail: an append-only chain per organisation. Each row's hash covers its content and
// the previous row's hash, so altering or deleting a row breaks every link after it.
import crypto from 'node:crypto';
import { Op, Transaction, UniqueConstraintError } from 'sequelize';
import { AuditHead, AuditRecord } from '../../db/models';
import { Retry } from '../../lib/transaction';

export const GENESIS = '0'.repeat(64);

export interface AuditInput {
  organisationId: number;
  entityType: 'document' | 'register' | 'register_entry' | 'endorsement' | 'attachment' | 'group' | 'delivery' | 'letter_settings' | 'citizen_submission';
  entityId: number | string;
  action: string;
  actorId: number | null;
  data?: Record<string, unknown>;
}

function hashOf(prevHash: string, r: { organisationId: number; seq: number; entityType: string; entityId: string; action: string; actorId: number | null; data: string; createdAt: Date }): string {
  const canonical = JSON.stringify([r.organisationId, r.seq, r.entityType, r.entityId, r.action, r.actorId ?? null, r.data, new Date(r.createdAt).toISOString()]);
  return crypto.createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/** Appends one link; call it inside the transaction of the change it records. */
export async function appendAudit(transaction: Transaction, input: AuditInput): Promise<AuditRecord> {
  let head = await AuditHead.findByPk(input.organisationId, { transaction, lock: transaction.LOCK.UPDATE });
  if (!head) {
    try {
      head = await AuditHead.create({ organisationId: input.organisationId, lastSeq: 0, lastHash: GENESIS }, { transaction });
    } catch (err) {
      if (err instanceof UniqueConstraintError) throw new Retry();
      throw err;
    }
  }
  const row = {
    organisationId: input.organisationId,
    seq: head.lastSeq + 1,
    entityType: input.entityType,
    entityId: String(input.entityId),
    action: input.action,
    actorId: input.actorId,
    data: JSON.stringify(input.data ?? {}),
    // Millisecond precision: what both databases store (DATE(3)).
    createdAt: new Date(Math.floor(Date.now())),
  };
  const hash = hashOf(head.lastHash, row);
  const record = await AuditRecord.create({ ...row, prevHash: head.lastHash, hash }, { transaction });
  await AuditHead.update({ lastSeq: row.seq, lastHash: hash }, { where: { organisationId: input.organisationId }, transaction });
  return record;
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  firstBroken: null | { id: number; seq: number; reason: string };
}

/** Walks the organisation's chain in order and reports the first link that does not hold. */
export async function verifyChain(organisationId: number): Promise<ChainReport> {
  let prevHash = GENESIS;
  let expectedSeq = 1;
  let checked = 0;
  const batch = 2000;
  for (let afterSeq = 0; ; ) {
    const rows = await AuditRecord.findAll({ where: { organisationId, seq: { [Op.gt]: afterSeq } }, order: [['seq', 'ASC']], limit: batch, raw: true });
    if (!rows.length) break;
    for (const r of rows) {
      const broken = (reason: string): ChainReport => ({ ok: false, checked, firstBroken: { id: Number(r.id), seq: r.seq, reason } });
      if (r.seq !== expectedSeq) return broken(`a link is missing before sequence ${r.seq} (expected ${expectedSeq})`);
      if (r.prevHash !== prevHash) return broken('the link does not point at the previous row');
      if (hashOf(prevHash, r) !== r.hash) return broken('the row was changed after it was written');
      prevHash = r.hash;
      expectedSeq++;
      checked++;
    }
    afterSeq = rows[rows.length - 1].seq;
  }
  const head = await AuditHead.findByPk(organisationId, { raw: true });
  if (head && head.lastSeq !== checked) {
    return { ok: false, checked, firstBroken: { id: 0, seq: checked + 1, reason: `the chain ends at ${checked} but ${head.lastSeq} links were written (rows removed at the end)` } };
  }
  return { ok: true, checked, firstBroken: null };
}
