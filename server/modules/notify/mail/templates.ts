// E-mail texts, Thai first (the users are Thai civil servants); dates in the Buddhist era, Thai time.
import type { OutboxRecord } from '../tail';
import { URGENCY } from '../../documents/labels';
import { thaiDateFull, thaiTime } from '../../../lib/thai-date';

// Every way an event may carry urgency (name, interchange code, level 1–4), from the one label table.
const URGENCY_TH: Record<string, string> = Object.fromEntries(
  Object.entries(URGENCY)
    .filter(([name]) => name !== 'deadline')
    .flatMap(([name, u]) => [[name, u.th], [String(u.level), u.th], ...(u.code ? [[u.code, u.th]] : [])]),
);

/** The letter's urgency in Thai (ด่วน, ด่วนมาก, ด่วนที่สุด), from a code, a level or Thai text. */
export function urgencyTh(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = String(value);
  return URGENCY_TH[text] ?? (/[\u0E00-\u0E7F]/.test(text) ? text : null);
}

/** `1 ธันวาคม 2569 เวลา 10.00 น.`: the server's Thai date and time (lib/thai-date). */
export function dateTh(value: unknown): string | null {
  if (typeof value !== 'string' && !(value instanceof Date)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : `${thaiDateFull(date)} เวลา ${thaiTime(date)}`;
}

export const taskLink = (publicUrl: string, event: Pick<OutboxRecord, 'subject'>) => `${publicUrl.replace(/\/$/, '')}/tasks/${encodeURIComponent(event.subject.id)}`;

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : null;
}

/** Summary fields the mail uses when an emitter provides them: title, letterSubject, urgency, dueAt.
 * The letter's subject, and the task's name (a process may name a task from its letter), are
 * written only for a recipient who may read the letter (`mayReadLetter`: documents/present.ts
 * `disclosure`, applied by the queue); anyone else reads the task number and opens it. */
function describe(event: OutboxRecord, mayReadLetter: boolean) {
  const s = event.summary ?? {};
  return {
    title: (mayReadLetter ? (str(s.title) ?? str(s.name)) : null) ?? `งานเลขที่ ${event.subject.id}`,
    letterSubject: mayReadLetter ? (str(s.letterSubject) ?? str(s.documentSubject)) : null,
    urgency: urgencyTh(s.urgency),
    due: dateTh(s.dueAt),
  };
}

export interface MailText {
  subject: string;
  text: string;
}

const footer = (publicUrl: string) =>
  `\n--\nระบบสารบรรณอิเล็กทรอนิกส์ (Saraban)\nหากไม่ต้องการรับอีเมลแจ้งเตือน ปิดได้ที่ ${publicUrl.replace(/\/$/, '')}/settings\n`;

export function assignedMail(event: OutboxRecord, recipientName: string, publicUrl: string, mayReadLetter = false): MailText {
  const d = describe(event, mayReadLetter);
  const lines = [
    `เรียน ${recipientName}`,
    '',
    `มีงานใหม่มอบหมายถึงท่าน: ${d.title}`,
    d.letterSubject ? `เรื่อง: ${d.letterSubject}` : null,
    d.urgency ? `ชั้นความเร็ว: ${d.urgency}` : null,
    d.due ? `กำหนดเสร็จ: ${d.due}` : null,
    '',
    `เปิดงาน: ${taskLink(publicUrl, event)}`,
  ];
  return {
    subject: `${d.urgency && d.urgency !== 'ปกติ' ? `[${d.urgency}] ` : ''}งานใหม่ถึงท่าน: ${d.title}`,
    text: lines.filter((l) => l !== null).join('\n') + footer(publicUrl),
  };
}

export function escalatedMail(event: OutboxRecord, recipientName: string, publicUrl: string, mayReadLetter = false): MailText {
  const d = describe(event, mayReadLetter);
  const lines = [
    `เรียน ${recipientName}`,
    '',
    `งานเกินกำหนดและถูกส่งถึงท่านเพื่อเร่งรัด: ${d.title}`,
    d.letterSubject ? `เรื่อง: ${d.letterSubject}` : null,
    `ชั้นความเร็วของหนังสือ: ${d.urgency ?? 'ปกติ'}`,
    d.due ? `กำหนดเสร็จเดิม: ${d.due}` : null,
    '',
    `เปิดงาน: ${taskLink(publicUrl, event)}`,
  ];
  return {
    subject: `[${d.urgency ?? 'ปกติ'}] งานเกินกำหนด: ${d.title}`,
    text: lines.filter((l) => l !== null).join('\n') + footer(publicUrl),
  };
}

export function digestMail(events: OutboxRecord[], recipientName: string, publicUrl: string, mayReadLetter: (event: OutboxRecord) => boolean = () => false): MailText {
  const items = events.map((event, i) => {
    const d = describe(event, mayReadLetter(event));
    return [`${i + 1}. ${d.urgency && d.urgency !== 'ปกติ' ? `[${d.urgency}] ` : ''}${d.title}`, d.letterSubject ? `   เรื่อง: ${d.letterSubject}` : null, `   ${taskLink(publicUrl, event)}`]
      .filter((l) => l !== null)
      .join('\n');
  });
  return {
    subject: `สรุปงานใหม่ของกลุ่มงานที่ท่านสังกัด ${events.length} รายการ`,
    text: [`เรียน ${recipientName}`, '', `มีงานใหม่ส่งถึงกลุ่มงานของท่าน ${events.length} รายการ (ผู้ใดในกลุ่มรับงานก่อนก็ได้):`, '', ...items].join('\n') + footer(publicUrl),
  };
}
