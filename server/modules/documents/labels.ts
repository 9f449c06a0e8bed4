// Thai names and interchange codes of the registry's code lists (the codes follow the ECMS lists).
import type { DocumentType, Urgency, Secrecy, Decision } from '../../db/models';

export const TYPE_TH: Record<DocumentType, string> = {
  external: 'หนังสือภายนอก',
  internal: 'หนังสือภายใน',
  sealed: 'หนังสือประทับตรา',
  directive: 'หนังสือสั่งการ',
  public_relations: 'หนังสือประชาสัมพันธ์',
  evidence: 'หนังสือที่เจ้าหน้าที่ทำขึ้นหรือรับไว้เป็นหลักฐาน',
};
export const SUBTYPE_TH: Record<string, string> = {
  order: 'คำสั่ง', rule: 'ระเบียบ', bylaw: 'ข้อบังคับ', announcement: 'ประกาศ', statement: 'แถลงการณ์', news: 'ข่าว',
  certificate: 'หนังสือรับรอง', minutes: 'รายงานการประชุม', memo: 'บันทึก', other: 'หนังสืออื่น',
};
/** th: as shown; code: interchange code; level: 1–4 as processes and the inbox sort by it. */
export const URGENCY: Record<Urgency, { th: string; code: string | null; level: number }> = {
  normal: { th: 'ปกติ', code: '001', level: 1 },
  urgent: { th: 'ด่วน', code: '002', level: 2 },
  very_urgent: { th: 'ด่วนมาก', code: '003', level: 3 },
  most_urgent: { th: 'ด่วนที่สุด', code: '004', level: 4 },
  deadline: { th: 'ด่วนภายใน', code: null, level: 3 },
};
export const SECRECY: Record<Secrecy, { th: string; code: string }> = {
  normal: { th: 'ปกติ', code: '001' },
  confidential: { th: 'ลับ', code: '002' },
  secret: { th: 'ลับมาก', code: '003' },
  top_secret: { th: 'ลับที่สุด', code: '004' },
};
export const DECISION_TH: Record<Decision, string> = {
  acknowledge: 'ทราบ', proceed: 'ดำเนินการ', agree: 'เห็นชอบ', approve: 'อนุมัติ', assign: 'มอบ', return: 'ส่งคืน',
};
export const CAPACITY_TH = { self: '', acting_for: 'ปฏิบัติราชการแทน', acting_in_post: 'รักษาราชการแทน' } as const;
export const REGISTER_KIND_TH = { incoming: 'ทะเบียนหนังสือรับ', outgoing: 'ทะเบียนหนังสือส่ง', circular: 'ทะเบียนหนังสือเวียน (ว)', order: 'ทะเบียนคำสั่ง', secret: 'ทะเบียนหนังสือลับ' } as const;
export const ENTRY_DIRECTION_TH = { incoming: 'รับ', outgoing: 'ส่ง' } as const;
