// Sending a letter to agencies elsewhere: one delivery per agency (status queued) and its outbox row,
// in the send's transaction; the outbox worker carries it after commit. Called by deliveries' send
// and resend, so one delivery model serves every channel.
import { Op, Transaction } from 'sequelize';
import { Attachment, Delivery, Document, ExchangePeer, DeliveryRole, OPEN_DELIVERY_STATUSES } from '../../db/models';
import { MIME_CODES } from './ecms/messages';
import { conflict, unprocessable } from '../../lib/errors';
import { insertRow } from '../../db/transaction';
import type { Actor } from '../auth/actor';
import { recordChange } from '../deliveries/service';
import { hasTransport, queueLetter } from './outbox';

export interface AgencyTarget {
  agencyId: number;
  role: DeliveryRole;
  previousDeliveryId?: number | null;
  index?: number;
}

/** The directory entries named, each active, reachable by a transport of this deployment, not already holding the letter. */
async function resolve(t: Transaction, doc: Document, targets: AgencyTarget[]): Promise<Map<number, ExchangePeer>> {
  const ids = targets.map((x) => x.agencyId);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length) throw unprocessable(`Agency ${twice.join(', ')} is named more than once.`, twice.map((id) => ({ field: 'recipients', message: `agency ${id} is already a recipient` })));
  const peers = new Map((await ExchangePeer.findAll({ where: { id: { [Op.in]: ids } }, transaction: t })).map((p) => [Number(p.id), p]));
  const problems = targets.flatMap((x, i) => {
    const field = `recipients.${x.index ?? i}.agencyId`;
    const peer = peers.get(x.agencyId);
    if (!peer) return [{ field, message: `unknown agency ${x.agencyId}` }];
    if (!peer.active) return [{ field, message: `${peer.nameTh} is inactive in the directory` }];
    if (!hasTransport(peer.transport)) return [{ field, message: `${peer.nameTh} is reached by ${peer.transport}, which this deployment does not run` }];
    // Secret letters cross the network only encrypted (and reach the far side's custodian, as its tray does).
    if (doc.secrecy !== 'normal' && peer.transport === 'saraban' && !/^https:/i.test(peer.endpointUrl ?? '')) return [{ field, message: `${peer.nameTh}'s endpoint is not HTTPS: a secret letter does not travel over it` }];
    return [];
  });
  if (problems.length) throw unprocessable(`Some agencies cannot receive this letter: ${problems.map((p) => p.message).join('; ')}.`, problems);
  if ([...peers.values()].some((p) => p.transport === 'ecms')) await assertEcmsFileTypes(t, doc);
  const replaced = targets.map((x) => x.previousDeliveryId).filter((x): x is number => !!x);
  const live = await Delivery.findAll({ where: { documentId: doc.id, recipientKind: 'agency', ...(replaced.length ? { id: { [Op.notIn]: replaced } } : {}), recipientAgencyId: { [Op.in]: ids.map(String) }, status: { [Op.in]: [...OPEN_DELIVERY_STATUSES, 'received', 'failed'] } }, transaction: t });
  if (live.length) throw conflict(`The letter was already sent to ${live.map((d) => `${d.recipientName} (${d.status})`).join(', ')}: withdraw it first to send again.`, live.map((d) => ({ deliveryId: Number(d.id), agencyId: d.recipientAgencyId, status: d.status })));
  return peers;
}

/** ECMS carries only the file types of its MIME code list: refused at send time, naming each file, not left to fail in the outbox. */
async function assertEcmsFileTypes(t: Transaction, doc: Document): Promise<void> {
  const files = await Attachment.findAll({ where: { documentId: doc.id }, attributes: ['filename', 'mime'], order: [['id', 'ASC']], transaction: t });
  const outside = files.filter((f) => !(f.mime in MIME_CODES));
  if (!outside.length) return;
  const allowed = Object.values(MIME_CODES).join(', ');
  throw unprocessable(
    `ส่งทางระบบ ECMS ไม่ได้: ไฟล์ ${outside.map((f) => `"${f.filename}" (${f.mime})`).join(', ')} ไม่อยู่ในรายการชนิดไฟล์ที่ ECMS รับ (${allowed}) — แปลงเป็น PDF หรือนำไฟล์นั้นออกก่อนส่ง`,
    outside.map((f) => ({ field: 'attachments', message: `${f.filename}: ${f.mime} is not in the ECMS MIME code list` })),
  );
}

export async function queueAgencyLetters(t: Transaction, actor: Actor, doc: Document, targets: AgencyTarget[], now: Date): Promise<Delivery[]> {
  if (!targets.length) return [];
  const peers = await resolve(t, doc, targets);
  const out: Delivery[] = [];
  for (const x of targets) {
    const peer = peers.get(x.agencyId)!;
    const values = {
      documentId: doc.id, senderOrganisationId: doc.organisationId, sentById: actor.userId, recipientKind: 'agency', recipientOrganisationId: null, recipientAgencyId: String(peer.id),
      recipientEmail: null, recipientName: peer.nameTh, role: x.role, secrecy: doc.secrecy, urgency: doc.urgency, status: 'queued', sentAt: now, deliveredAt: null,
      previousDeliveryId: x.previousDeliveryId ?? null, createdAt: now, updatedAt: now,
    };
    const id = await insertRow(Delivery.sequelize!, 'deliveries', values, t);
    const d = Delivery.build({ ...values, id }, { isNewRecord: false, raw: true });
    const row = await queueLetter(t, d, peer, now);
    const note = `${x.previousDeliveryId ? `resent (delivery ${x.previousDeliveryId}); ` : ''}to ${peer.nameTh} (${peer.agencyCode}) through ${peer.transport}`;
    await recordChange(t, d, 'queued', actor, note.slice(0, 500), { agencyId: Number(peer.id), messageId: row.messageId });
    out.push(d);
  }
  return out;
}
