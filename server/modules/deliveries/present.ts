// The one presenter of deliveries, for the sender's views, the arrivals tray and every reply. Rows
// are presented in batches: the letters, organisations, files and people of a page in one look each.
import { Op } from 'sequelize';
import { Attachment, Delivery, DeliveryEvent, DeliveryMail, Document, Organisation, User, OPEN_DELIVERY_STATUSES } from '../../db/models';
import { thaiDateOnlyFull } from '../../lib/thai-date';
import { SECRECY, SUBTYPE_TH, TYPE_TH, URGENCY } from '../documents/labels';
import { ExchangePeer } from '../../db/models';
import { outboxOf } from '../exchange/outbox';

export const STATUS_TH = { queued: 'รอส่งทางอีเมล', failed: 'ส่งไม่สำเร็จ', sent: 'ส่งแล้ว', delivered: 'รอลงรับ', received: 'ลงรับแล้ว', rejected: 'ปฏิเสธการรับ', returned: 'ส่งผิดหน่วยงาน (ส่งคืน)', withdrawn: 'ดึงหนังสือกลับ' } as const;

/** A letter to an agency elsewhere waits for the exchange, not for e-mail; given up on, it was not delivered. */
const AGENCY_STATUS_TH: Partial<Record<string, string>> = { queued: 'รอส่งถึงระบบปลายทาง', failed: 'ส่งไม่ถึงปลายทาง', delivered: 'ถึงระบบปลายทางแล้ว รอลงรับ' };

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
const byId = <T extends { id: unknown }>(rows: T[]) => new Map(rows.map((r) => [Number(r.id), r]));

export type Side = 'sender' | 'recipient';

/** `canAct`: whether the reader may act on this side (a staff member reading the letter's page only looks). */
export async function presentDeliveries(rows: Delivery[], side: Side, canAct = true) {
  if (!rows.length) return [];
  const docIds = [...new Set(rows.map((d) => Number(d.documentId)))];
  const [docs, orgs, files, people, resends, mails] = await Promise.all([
    Document.findAll({ where: { id: { [Op.in]: docIds } }, attributes: ['id', 'letterNumber', 'letterDate', 'subject', 'type', 'subType', 'urgency', 'urgentBy', 'secrecy', 'senderName'] }).then(byId),
    Organisation.findAll({ where: { id: { [Op.in]: [...new Set(rows.map((d) => Number(d.senderOrganisationId)))] } } }).then(byId),
    Attachment.findAll({ where: { documentId: { [Op.in]: docIds } }, order: [['id', 'ASC']] }),
    User.findAll({ where: { id: { [Op.in]: rows.map((d) => d.receivedById).filter((x): x is number => x != null) } }, attributes: ['id', 'prefixTh', 'firstNameTh', 'lastNameTh'] }).then(byId),
    Delivery.findAll({ where: { previousDeliveryId: { [Op.in]: rows.map((d) => d.id) } }, attributes: ['id', 'previousDeliveryId'] }),
    DeliveryMail.findAll({ where: { deliveryId: { [Op.in]: rows.filter((d) => d.recipientKind === 'email').map((d) => d.id) } } }).then((m) => new Map(m.map((r) => [Number(r.deliveryId), r]))),
  ]);
  const resentAs = new Map(resends.map((r) => [Number(r.previousDeliveryId), Number(r.id)]));
  const agencyIds = [...new Set(rows.flatMap((d) => [d.senderAgencyId, d.recipientKind === 'agency' ? d.recipientAgencyId : null]).filter((x): x is string => !!x).map(Number))];
  const [peers, outbox] = await Promise.all([
    agencyIds.length ? ExchangePeer.findAll({ where: { id: { [Op.in]: agencyIds } }, attributes: ['id', 'nameTh', 'agencyCode'] }).then(byId) : new Map<number, ExchangePeer>(),
    side === 'sender' ? outboxOf(rows.filter((d) => d.recipientKind === 'agency').map((d) => Number(d.id))) : Promise.resolve(new Map()),
  ]);
  return rows.map((d) => {
    const doc = docs.get(Number(d.documentId))!;
    const sender = orgs.get(Number(d.senderOrganisationId))!;
    const open = OPEN_DELIVERY_STATUSES.includes(d.status);
    const resent = resentAs.get(Number(d.id)) ?? null;
    const mail = mails.get(Number(d.id));
    const byEmail = d.recipientKind === 'email';
    const fromAgency = d.senderAgencyId ? peers.get(Number(d.senderAgencyId)) : undefined;
    const out = outbox.get(Number(d.id));
    return {
      id: Number(d.id), documentId: side === 'sender' ? Number(d.documentId) : null, status: d.status, statusTh: byEmail && d.status === 'received' ? 'ผู้รับยืนยันการรับแล้ว' : (d.recipientKind === 'agency' && AGENCY_STATUS_TH[d.status]) || STATUS_TH[d.status], role: d.role,
      recipient: { kind: d.recipientKind, organisationId: d.recipientOrganisationId ?? null, agencyId: d.recipientAgencyId ?? null, email: d.recipientEmail ?? null, name: d.recipientName },
      sender: d.senderKind === 'citizen'
        ? { kind: 'citizen' as const, organisationId: null, agencyId: null, name: doc.senderName ?? 'ประชาชน', agencyCode: null }
        : d.senderAgencyId
          ? { kind: 'agency' as const, organisationId: null, agencyId: d.senderAgencyId, name: fromAgency?.nameTh ?? doc.senderName ?? '', agencyCode: fromAgency?.agencyCode ?? null }
          : { kind: 'organisation' as const, organisationId: Number(sender.id), agencyId: null, name: sender.nameTh, agencyCode: sender.agencyCode },
      letter: {
        letterNumber: doc.letterNumber ?? null, letterDate: doc.letterDate ?? null, letterDateTh: doc.letterDate ? thaiDateOnlyFull(doc.letterDate) : null, subject: doc.subject,
        type: doc.type, typeTh: doc.subType ? `${TYPE_TH[doc.type]} (${SUBTYPE_TH[doc.subType] ?? doc.subType})` : TYPE_TH[doc.type],
        urgency: doc.urgency, urgencyTh: URGENCY[doc.urgency].th, urgencyLevel: URGENCY[doc.urgency].level, urgentBy: iso(doc.urgentBy), secrecy: doc.secrecy, secrecyTh: SECRECY[doc.secrecy].th,
      },
      files: files.filter((f) => Number(f.documentId) === Number(doc.id)).map((f) => ({ id: Number(f.id), role: f.role, filename: f.filename, mime: f.mime, size: Number(f.size) })),
      sentAt: iso(d.sentAt)!, deliveredAt: iso(d.deliveredAt), receivedAt: iso(d.receivedAt),
      received: d.status === 'received'
        ? {
          byId: d.receivedById ?? null, byName: d.receivedById ? people.get(Number(d.receivedById))?.displayName ?? null : null,
          registerId: d.receiveRegisterId ?? null, year: d.receiveYear ?? null, number: d.receiveNumber ?? null, documentId: side === 'recipient' ? d.receivedDocumentId ?? null : null,
        }
        : null,
      closedAt: iso(d.closedAt), reason: d.reason ?? null,
      email: mail
        ? {
          status: mail.status, attempts: mail.attempts, nextAttemptAt: mail.status === 'queued' ? iso(mail.nextAttemptAt) : null, lastError: mail.lastError ?? null,
          messageId: mail.messageId ?? null, sentAt: iso(mail.sentAt), confirmedAt: iso(mail.confirmedAt), confirmedBy: mail.confirmedBy ?? null,
        }
        : null,
      exchange: out
        ? {
          outboxId: Number(out.id), status: out.status, attempts: out.attempts, nextAttemptAt: out.status === 'queued' ? iso(out.nextAttemptAt) : null, lastError: out.lastError ?? null,
          messageId: out.messageId, sentAt: iso(out.sentAt),
        }
        : null,
      previousDeliveryId: d.previousDeliveryId ?? null, resentAsId: resent,
      may: {
        accept: canAct && side === 'recipient' && open, reject: canAct && side === 'recipient' && open, return: canAct && side === 'recipient' && open,
        withdraw: canAct && side === 'sender' && open,
        resend: canAct && side === 'sender' && !byEmail && [...(d.recipientKind === 'agency' ? ['failed'] : []), 'withdrawn', 'rejected', 'returned'].includes(d.status) && resent === null,
      },
    };
  });
}

export async function presentDelivery(d: Delivery, side: Side, canAct = true) {
  return (await presentDeliveries([d], side, canAct))[0];
}

/** The history of a delivery, oldest first, with the names of who acted. */
export async function presentHistory(deliveryId: number) {
  const lines = await DeliveryEvent.findAll({ where: { deliveryId }, order: [['id', 'ASC']] });
  const people = byId(await User.findAll({ where: { id: { [Op.in]: lines.map((l) => l.actorId).filter((x): x is number => x != null) } }, attributes: ['id', 'prefixTh', 'firstNameTh', 'lastNameTh'] }));
  return lines.map((l) => ({
    status: l.status, at: iso(l.createdAt)!, actorId: l.actorId ?? null, actorName: l.actorId ? people.get(Number(l.actorId))?.displayName ?? null : null,
    organisationId: l.organisationId ?? null, note: l.note ?? null,
  }));
}

/**
 * The sending of a letter as part of its route (GET /documents/:id/route): for a sent letter each
 * recipient's delivery with the send and every status change after it; for a letter received through
 * the system, the delivery that brought it. The caller checked the reader may read the letter, the
 * rule GET /documents/:id/deliveries follows: what is shown is what that route shows, with its history.
 */
export async function presentSending(rows: Delivery[]) {
  if (!rows.length) return [];
  const lines = await DeliveryEvent.findAll({ where: { deliveryId: { [Op.in]: rows.map((d) => d.id) } }, order: [['id', 'ASC']] });
  const [people, orgs] = await Promise.all([
    User.findAll({ where: { id: { [Op.in]: [...new Set(lines.map((l) => l.actorId).filter((x): x is number => x != null))] } }, attributes: ['id', 'prefixTh', 'firstNameTh', 'lastNameTh'] }).then(byId),
    Organisation.findAll({ where: { id: { [Op.in]: [...new Set(lines.map((l) => l.organisationId).filter((x): x is number => x != null))] } }, attributes: ['id', 'nameTh'] }).then(byId),
  ]);
  const wordsOf = (d: Delivery, status: keyof typeof STATUS_TH) => (d.recipientKind === 'email' && status === 'received' ? 'ผู้รับยืนยันการรับแล้ว' : STATUS_TH[status]);
  return rows.map((d) => ({
    deliveryId: Number(d.id), role: d.role, status: d.status, statusTh: wordsOf(d, d.status),
    recipient: { kind: d.recipientKind, organisationId: d.recipientOrganisationId ?? null, email: d.recipientEmail ?? null, name: d.recipientName },
    receipt: d.status === 'received' && d.receiveNumber ? { number: d.receiveNumber, year: d.receiveYear ?? null } : null,
    previousDeliveryId: d.previousDeliveryId ?? null,
    steps: lines.filter((l) => Number(l.deliveryId) === Number(d.id)).map((l) => ({
      status: l.status, statusTh: wordsOf(d, l.status), at: iso(l.createdAt)!,
      actorName: l.actorId ? people.get(Number(l.actorId))?.displayName ?? null : null,
      organisationName: l.organisationId ? orgs.get(Number(l.organisationId))?.nameTh ?? null : null, note: l.note ?? null,
    })),
  }));
}
