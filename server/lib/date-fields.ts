// The one validation helper for dates a person types (a letter's date, a deadline, a delegation's
// days, a search range). A B.E. year typed into a C.E. field (2569 → the year 2569 C.E.) or a typo
// (0569) is a well-formed date that nobody meant: the server refuses any day before B.E. 2400 or
// more than a year after today, with a message in Thai for a Thai client (route.ts picks params.th).
import { z } from './openapi';
import { bangkokDate } from './thai-date';

/** The Bangkok calendar day of an instant, for any four-digit year (Intl drops leading zeros). */
const bangkokDay = (at: Date) => new Date(at.getTime() + 7 * 3600e3).toISOString().slice(0, 10);

/** 1 January B.E. 2400 (1857 C.E.): older letters are archives, not correspondence being entered. */
const EARLIEST = '1857-01-01';

const say = {
  format: { en: 'A date as YYYY-MM-DD (C.E.).', th: 'วันที่ต้องอยู่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.)' },
  instant: { en: 'A date and time with its offset (ISO 8601).', th: 'วันและเวลาต้องอยู่ในรูปแบบ ISO 8601 พร้อมเขตเวลา' },
  noSuchDay: { en: 'There is no such day in the calendar.', th: 'ไม่มีวันที่นี้ในปฏิทิน' },
  tooEarly: { en: 'The date is before B.E. 2400 (1857): was a year typed wrongly?', th: 'วันที่ก่อน พ.ศ. 2400 ไม่สมเหตุสมผล กรุณาตรวจสอบปี' },
  tooLate: {
    en: 'The date is more than a year ahead: was a B.E. year entered as C.E.?',
    th: 'วันที่เกินหนึ่งปีข้างหน้า ไม่สมเหตุสมผล (อาจพิมพ์ปี พ.ศ. ในช่องที่เป็น ค.ศ.) กรุณาตรวจสอบปี',
  },
};

/** The latest plausible day: today in Bangkok, one year on (C.E., YYYY-MM-DD). */
export function latestPlausibleDay(now = new Date()): string {
  const today = bangkokDate(now);
  return `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
}

/** Why a calendar day (YYYY-MM-DD, C.E.) is not plausible, or null when it is. */
export function implausibleDay(day: string, now = new Date()): keyof typeof say | null {
  const [y, m, d] = day.split('-').map(Number);
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return 'noSuchDay';
  if (day < EARLIEST) return 'tooEarly';
  if (day > latestPlausibleDay(now)) return 'tooLate';
  return null;
}

function refuse(ctx: z.RefinementCtx, why: keyof typeof say) {
  ctx.addIssue({ code: 'custom', message: say[why].en, params: { th: say[why].th } });
}

/** A calendar day (YYYY-MM-DD, C.E.) between B.E. 2400 and a year from today. */
export function plausibleDay() {
  return z
    .string()
    .superRefine((value, ctx) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return refuse(ctx, 'format');
      const why = implausibleDay(value);
      if (why) refuse(ctx, why);
    })
    .openapi({ type: 'string', format: 'date', description: 'YYYY-MM-DD (C.E.), not before B.E. 2400 and at most a year ahead' });
}

/** An instant (ISO 8601 with offset) whose Bangkok day lies between B.E. 2400 and a year from today. */
export function plausibleInstant() {
  return z
    .string()
    .superRefine((value, ctx) => {
      if (!z.iso.datetime({ offset: true }).safeParse(value).success) return refuse(ctx, 'instant');
      const at = new Date(value);
      if (Number.isNaN(at.getTime())) return refuse(ctx, 'instant');
      const why = implausibleDay(bangkokDay(at));
      if (why) refuse(ctx, why);
    })
    .openapi({ type: 'string', format: 'date-time', description: 'ISO 8601 with offset; not before B.E. 2400 and at most a year ahead' });
}

/** For a process form's date field (a day or an instant): why it is not plausible, Thai first
 * (the form messages are bilingual), or null. */
export function implausibleDateText(value: string): string | null {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : Number.isNaN(Date.parse(value)) ? null : bangkokDay(new Date(value));
  if (!day) return `${say.instant.th} — ${say.instant.en}`;
  const why = implausibleDay(day);
  return why ? `${say[why].th} — ${say[why].en}` : null;
}
