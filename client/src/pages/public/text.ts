// The public pages' own words (Thai first, English): kept apart from the staff app's catalogue,
// since the public pages are a separate, signed-out part of the web app.
import { useI18n } from '../../i18n';

const th = {
  'public.title': 'ติดต่อหน่วยงานทางอิเล็กทรอนิกส์',
  'public.intro': 'ยื่นหนังสือหรือคำร้องถึงหน่วยงานได้ที่นี่ ท่านจะได้รับรหัสติดตามคำร้องทางหน้าจอและทางอีเมล',
  'public.law': 'ตามพระราชบัญญัติการปฏิบัติราชการทางอิเล็กทรอนิกส์ พ.ศ. 2565',
  'public.name': 'ชื่อ-นามสกุล',
  'public.idNumber': 'เลขประจำตัวประชาชน 13 หลัก',
  'public.idNumber.hint': 'หน่วยงานเก็บไว้เพื่อยืนยันตัวตนเท่านั้น จะไม่แสดงเลขเต็มอีก',
  'public.idNumber.invalid': 'เลขประจำตัวประชาชนไม่ถูกต้อง',
  'public.address': 'ที่อยู่',
  'public.phone': 'โทรศัพท์ (ถ้ามี)',
  'public.email': 'อีเมล',
  'public.email.invalid': 'รูปแบบอีเมลไม่ถูกต้อง',
  'public.subject': 'เรื่อง',
  'public.body': 'รายละเอียด',
  'public.files': 'ไฟล์แนบ (PDF, PNG, JPEG ไม่เกิน 5 ไฟล์)',
  'public.required': 'กรุณากรอกข้อมูลนี้',
  'public.proof': 'ยืนยันว่าไม่ใช่โปรแกรมอัตโนมัติ',
  'public.proof.needed': 'กรุณายืนยันว่าไม่ใช่โปรแกรมอัตโนมัติ',
  'public.submit': 'ส่งคำร้อง',
  'public.sent.title': 'ส่งคำร้องเรียบร้อยแล้ว',
  'public.sent.code': 'รหัสติดตามคำร้องของท่าน',
  'public.sent.keep': 'โปรดเก็บรหัสนี้ไว้ ระบบได้ส่งรหัสไปยังอีเมลของท่านด้วย',
  'public.sent.track': 'ติดตามสถานะคำร้อง',
  'public.sent.receiptPending': 'ใบรับคำร้อง (PDF) จะเปิดให้ดาวน์โหลดเร็ว ๆ นี้',
  'public.noOrg': 'ไม่พบหน่วยงานนี้',
  'public.track.title': 'ติดตามสถานะคำร้อง',
  'public.track.code': 'รหัสติดตามคำร้อง',
  'public.track.with': 'ยืนยันด้วย',
  'public.track.byEmail': 'อีเมลที่ใช้ยื่นคำร้อง',
  'public.track.byId': 'เลขประจำตัวประชาชน 4 หลักท้าย',
  'public.track.go': 'ตรวจสอบสถานะ',
  'public.track.notFound': 'ไม่พบคำร้องตามรหัสและข้อมูลที่ระบุ',
  'public.track.status': 'สถานะ',
  'public.track.subject': 'เรื่อง',
  'public.track.to': 'ถึง',
  'public.track.submitted': 'ยื่นเมื่อ',
  'public.track.registered': 'ลงทะเบียนรับ เลขรับ {number}/{year} เมื่อ {at}',
  'public.track.unit': 'อยู่ที่',
  'public.track.reason': 'เหตุผล',
  'public.track.reply': 'หนังสือตอบ',
  'public.track.download': 'ดาวน์โหลด {name}',
  'public.track.receipt': 'ดาวน์โหลดใบรับเรื่อง (PDF)',
  'public.track.closed': 'เรื่องนี้ปิดแล้วตามระยะเวลาการเก็บรักษา ข้อมูลส่วนบุคคลของท่านถูกลบแล้ว',
  'public.error': 'ส่งไม่สำเร็จ',
  'public.tooMany': 'มีการส่งบ่อยเกินไป กรุณารอสักครู่แล้วลองใหม่',
};

type Key = keyof typeof th;

const en: Record<Key, string> = {
  'public.title': 'Contact the agency online',
  'public.intro': 'Send a letter or request to the agency here. You get a tracking code on screen and by e-mail.',
  'public.law': 'Under the Act on Performing Government Work by Electronic Means B.E. 2565',
  'public.name': 'Full name',
  'public.idNumber': 'National ID number (13 digits)',
  'public.idNumber.hint': 'Kept only to identify you; never shown in full again',
  'public.idNumber.invalid': 'This national ID number is not valid',
  'public.address': 'Address',
  'public.phone': 'Phone (optional)',
  'public.email': 'E-mail',
  'public.email.invalid': 'This e-mail address is not valid',
  'public.subject': 'Subject',
  'public.body': 'Details',
  'public.files': 'Attachments (PDF, PNG, JPEG; up to 5 files)',
  'public.required': 'Please fill this in',
  'public.proof': 'Confirm you are not a program',
  'public.proof.needed': 'Please confirm you are not a program',
  'public.submit': 'Send',
  'public.sent.title': 'Your request has been sent',
  'public.sent.code': 'Your tracking code',
  'public.sent.keep': 'Keep this code; it was also sent to your e-mail.',
  'public.sent.track': 'Track your request',
  'public.sent.receiptPending': 'A PDF receipt will be available soon',
  'public.noOrg': 'No such agency',
  'public.track.title': 'Track a request',
  'public.track.code': 'Tracking code',
  'public.track.with': 'Confirm with',
  'public.track.byEmail': 'The e-mail you used',
  'public.track.byId': 'The last 4 digits of your ID number',
  'public.track.go': 'Check status',
  'public.track.notFound': 'No request matches this code and these details',
  'public.track.status': 'Status',
  'public.track.subject': 'Subject',
  'public.track.to': 'To',
  'public.track.submitted': 'Sent',
  'public.track.registered': 'Registered, receive no. {number}/{year}, {at}',
  'public.track.unit': 'With',
  'public.track.reason': 'Reason',
  'public.track.reply': 'Answer',
  'public.track.download': 'Download {name}',
  'public.track.receipt': 'Download the receipt (PDF)',
  'public.track.closed': 'This matter is closed under the retention rules; your personal data has been deleted.',
  'public.error': 'Could not send',
  'public.tooMany': 'Too many attempts; please wait and try again',
};

export function usePublicText() {
  const i18n = useI18n();
  const words = i18n.locale === 'en' ? en : th;
  const t = (key: Key, params?: Record<string, string | number>) => (params ? words[key].replace(/\{(\w+)\}/g, (_m, n: string) => String(params[n] ?? '')) : words[key]);
  return { ...i18n, p: t };
}

/** The Thai national ID check digit, as the server checks it. */
export function thaiIdValid(raw: string): boolean {
  const id = raw.replace(/[\s-]/g, '');
  if (!/^\d{13}$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(id[i]) * (13 - i);
  return (11 - (sum % 11)) % 10 === Number(id[12]);
}

export class PublicError extends Error {
  constructor(public status: number, message: string) {
    super(message);
  }
}

/** JSON from the public API (no account, no cookie). */
export async function publicFetch<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`/api${path}`, { credentials: 'omit', ...init });
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  if (!res.ok) throw new PublicError(res.status, body?.error?.message ?? res.statusText);
  return body as T;
}
