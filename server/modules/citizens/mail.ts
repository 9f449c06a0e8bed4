// The citizen's e-mails (Thai, with English under it): receipt with the tracking code, each status
// change, the answer. Queued in the notify mail queue (mail_queue, no user) in the transaction of
// the change, and sent by the same worker as every other mail, with its retries.
import type { Transaction } from 'sequelize';
import { CitizenSubmission, MailMessage, Organisation } from '../../db/models';
import { thaiDateShort, thaiTime } from '../../lib/thai-date';
import { formatTrackingCode } from './identity';

export type CitizenMailKind = 'received' | 'registered' | 'rejected' | 'answered';

const SUBJECT: Record<CitizenMailKind, [string, string]> = {
  received: ['ได้รับคำร้องของท่านแล้ว', 'We have received your request'],
  registered: ['ลงทะเบียนรับคำร้องของท่านแล้ว', 'Your request has been registered'],
  rejected: ['คำร้องของท่านไม่ได้รับการรับเรื่อง', 'Your request was not accepted'],
  answered: ['มีหนังสือตอบคำร้องของท่านแล้ว', 'Your request has been answered'],
};

export interface MailFacts { subject?: string; receiveNumber?: string | null; reason?: string | null; letterNumber?: string | null }

/** Names the receipt PDF drawn and attached when the "received" mail is sent (receipt.ts). */
export const RECEIPT_ATTACHMENT = 'citizen-receipt';

export async function queueCitizenMail(t: Transaction, publicUrl: string, s: CitizenSubmission, org: Organisation, kind: CitizenMailKind, facts: MailFacts = {}): Promise<void> {
  if (s.purgedAt) return; // nobody left to write to
  const code = formatTrackingCode(s.trackingCode);
  const track = `${publicUrl.replace(/\/$/, '')}/public/track?code=${encodeURIComponent(code)}`;
  const [th, en] = SUBJECT[kind];
  const line = {
    received: [`${org.nameTh} ได้รับคำร้องเรื่อง "${(facts.subject ?? '').slice(0, 120)}" ของท่านเมื่อ ${thaiDateShort(s.createdAt)} ${thaiTime(s.createdAt)} น.`, `${org.nameEn ?? org.nameTh} received your request.`],
    registered: [`ลงทะเบียนรับแล้ว เลขรับ ${facts.receiveNumber ?? '-'}`, `Registered with receive number ${facts.receiveNumber ?? '-'}.`],
    rejected: [`เหตุผล: ${facts.reason ?? '-'}`, `Reason: ${facts.reason ?? '-'}`],
    answered: [`หน่วยงานได้ตอบคำร้องของท่านด้วยหนังสือที่ ${facts.letterNumber ?? '-'} ท่านดาวน์โหลดหนังสือตอบได้จากหน้าติดตามคำร้อง`, `The agency has answered (letter ${facts.letterNumber ?? '-'}); download it from the tracking page.`],
  }[kind];
  const text = [
    `เรียน ${s.name}`, '', line[0], '', `รหัสติดตามคำร้อง: ${code}`, `ติดตามสถานะได้ที่ ${track}`, '(ใช้รหัสนี้คู่กับอีเมลของท่าน หรือเลขประจำตัวประชาชน 4 หลักท้าย)', '',
    '--', line[1], `Tracking code: ${code} — ${track}`, '', `${org.nameTh}`,
  ].join('\n');
  await MailMessage.create(
    {
      userId: null, eventId: null, kind: 'citizen', toAddress: s.email, subject: `${th} (${en}) ${code}`.slice(0, 255), text, nextAttemptAt: new Date(),
      attachment: kind === 'received' ? `${RECEIPT_ATTACHMENT}:${s.id}` : null,
    },
    { transaction: t },
  );
}
