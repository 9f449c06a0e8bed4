// Shared pieces of the registry tests.
import { api, buildUser, login, orgByCode, Session } from '../helpers/factories';

export const sessions: Record<string, Session> = {};
export async function as(username: string): Promise<Session> {
  return (sessions[username] ??= await login(username));
}

let custodianSession: Promise<Session> | undefined;
/** The central office's secrets custodian (นายทะเบียนเอกสารลับ), made on first use: the demo has none. */
export function custodian(): Promise<Session> {
  return (custodianSession ??= (async () => login((await buildUser((await orgByCode('สธ 02')).id, { roles: ['secrets_custodian', 'staff'] })).username))());
}

/** The custodian numbers a secret letter in the central office's secret register. */
export async function registerSecret(documentId: number) {
  const s = await custodian();
  return api().post(`/api/registers/${await registerOf(s, 'secret')}/entries`).set(s.auth).send({ documentId });
}

export async function registerOf(who: string | Session, kind: string, unitId: number | null = null): Promise<number> {
  const res = await api().get('/api/registers').set((typeof who === 'string' ? await as(who) : who).auth);
  if (res.status !== 200) throw new Error(`registers: ${res.status} ${JSON.stringify(res.body)}`);
  const reg = res.body.items.find((r: { kind: string; unitId: number | null }) => r.kind === kind && r.unitId === unitId);
  if (!reg) throw new Error(`no ${kind} register`);
  return reg.id;
}

export const incomingLetter = (extra: Record<string, unknown> = {}) => ({
  direction: 'incoming', type: 'external', subject: 'ขอเชิญประชุมคณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์', letterNumber: 'นร 0105/123', letterDate: '2025-02-10',
  senderName: 'สำนักเลขาธิการนายกรัฐมนตรี', addressee: 'ปลัดกระทรวงสาธารณสุข', salutation: 'เรียน', body: 'ด้วยสำนักเลขาธิการนายกรัฐมนตรีจะจัดประชุม', ...extra,
});

export const outgoingLetter = (extra: Record<string, unknown> = {}) => ({
  direction: 'outgoing', type: 'external', subject: 'ขอส่งรายงานผลการดำเนินงาน', addressee: 'ผู้ว่าราชการจังหวัดเชียงใหม่', salutation: 'เรียน', body: 'ตามที่ได้แจ้งไว้', closing: 'ขอแสดงความนับถือ',
  signerName: 'นายวิชัย ทองดี', signerPosition: 'ผู้อำนวยการกองกลาง', contact: 'กองกลาง โทร 0 2590 1000', ...extra,
});
