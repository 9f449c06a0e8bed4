// Thai dates at the edges, UTC inside: Buddhist-era years and the Asia/Bangkok clock, through Intl
// (Node's th-TH locale uses the Buddhist calendar by default).
const ZONE = 'Asia/Bangkok';

const fullFormat = new Intl.DateTimeFormat('th-TH', { timeZone: ZONE, day: 'numeric', month: 'long', year: 'numeric' });
const shortFormat = new Intl.DateTimeFormat('th-TH', { timeZone: ZONE, day: 'numeric', month: 'short', year: '2-digit' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const partsFormat = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

const THAI_DIGITS = '๐๑๒๓๔๕๖๗๘๙';

/** `14 กุมภาพันธ์ 2568`: the form used on letters. */
export function thaiDateFull(date: Date): string {
  return fullFormat.format(date);
}

/** `14 ก.พ. 68`: the form used in lists and registers. */
export function thaiDateShort(date: Date): string {
  return shortFormat.format(date);
}

/** `09.30 น.` */
export function thaiTime(date: Date): string {
  return `${timeFormat.format(date).replace(':', '.')} น.`;
}

/** The calendar date in Bangkok as YYYY-MM-DD (C.E.). */
export function bangkokDate(date: Date): string {
  const parts = Object.fromEntries(partsFormat.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The Buddhist-era year (C.E. + 543) of an instant, the year turning at midnight in Bangkok. */
export function buddhistYear(date: Date): number {
  return Number(bangkokDate(date).slice(0, 4)) + 543;
}

/** A date-only value (`2025-02-14`, C.E.) shown as a full Thai date. */
export function thaiDateOnlyFull(isoDate: string): string {
  return thaiDateFull(new Date(`${isoDate}T12:00:00+07:00`));
}
export function thaiDateOnlyShort(isoDate: string): string {
  return thaiDateShort(new Date(`${isoDate}T12:00:00+07:00`));
}

/** Thai digits ๐–๙ to 0–9. */
export function arabicDigits(text: string): string {
  return text.replace(/[๐-๙]/g, (d) => String(THAI_DIGITS.indexOf(d)));
}
