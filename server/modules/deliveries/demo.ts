// The demo's letters that travelled: the central office of the demo ministry sends a circular
// (หนังสือเวียน ว) to both provincial offices; Chiang Mai has accepted it (its receive number, its
// routing started), Khon Kaen's copy still waits in its arrivals tray. Written through the same
// services a clerk's requests go through (numbering, sending, accepting), after the shipped processes
// are deployed, so the demo shows what the product really does. A seeder could not: seeders run
// before the processes exist, and accepting starts the receiving organisation's routing.
import { Organisation, Register, User } from '../../db/models';
import type { AppContext } from '../../context';
import { loadActor, type Actor } from '../auth/actor';
import { createDocument } from '../documents/service';
import { ensureRegisters, register } from '../registers/service';
import { startIncomingRouting } from '../workflow/routing';
import { sendLetter } from './service';
import { accept } from './receive';

async function actorOf(username: string): Promise<Actor> {
  const user = await User.findOne({ where: { username } });
  const actor = user && (await loadActor(Number(user.id)));
  if (!actor) throw new Error(`demo deliveries: no user ${username}`);
  return actor;
}

async function orgByCode(agencyCode: string): Promise<Organisation> {
  const org = await Organisation.findOne({ where: { agencyCode } });
  if (!org) throw new Error(`demo deliveries: no organisation ${agencyCode}`);
  return org;
}

export async function seedDemoDeliveries(ctx: AppContext): Promise<void> {
  const { sequelize } = ctx.db;
  const [clerk, cmClerk] = [await actorOf('clerk'), await actorOf('cm.clerk')];
  const [cm, kk] = [await orgByCode('ชม 0033'), await orgByCode('ขก 0033')];
  const circular = await createDocument(sequelize, clerk, {
    direction: 'outgoing', type: 'external', urgency: 'urgent', secrecy: 'normal',
    subject: 'ขอให้เฝ้าระวังและรายงานสถานการณ์โรคไข้เลือดออกในพื้นที่',
    addressee: 'นายแพทย์สาธารณสุขจังหวัด ทุกจังหวัด', salutation: 'เรียน',
    body: 'ด้วยขณะนี้เข้าสู่ฤดูฝน ซึ่งเป็นช่วงที่มีการระบาดของโรคไข้เลือดออก จึงขอให้สำนักงานสาธารณสุขจังหวัดเฝ้าระวังสถานการณ์ในพื้นที่อย่างใกล้ชิด และรายงานจำนวนผู้ป่วยให้กระทรวงทราบทุกสัปดาห์',
    closing: 'ขอแสดงความนับถือ', signerName: 'นายวิชัย ทองดี', signerPosition: 'ผู้อำนวยการกองกลาง', contact: 'กองกลาง โทร 0 2590 1000',
  } as Parameters<typeof createDocument>[2]);
  const book = (await ensureRegisters(sequelize, clerk.organisationId)).find((r: Register) => r.unitId === null && r.kind === 'circular')!;
  await register(sequelize, clerk, Number(book.id), { documentId: Number(circular.id) });
  const sent = await sendLetter(sequelize, clerk, Number(circular.id), [{ organisationId: Number(cm.id), role: 'to' }, { organisationId: Number(kk.id), role: 'to' }]);
  const toChiangMai = sent.find((d) => Number(d.recipientOrganisationId) === Number(cm.id))!;
  await accept(sequelize, cmClerk, Number(toChiangMai.id), (who) => (t, doc) => startIncomingRouting(ctx.runtime, t, who, doc));
}
