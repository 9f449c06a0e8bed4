// Search latency over N generated Thai documents (default 100,000; the goal is 1,000,000 on
// MariaDB with p95 < 100 ms), and register listing latency at the same size.
//   npx tsx bench/search.ts [mariadb|sqlite] [N=100000] [queries=300]
// Documents are written in bulk with SQL (tokens from the real tokenizer), not through the API.
import { QueryTypes } from 'sequelize';
import { loadConfig } from '../server/config';
import { prepare } from '../server/bootstrap';
import { createThrowawayDatabase } from '../test/helpers/databases';
import { Organisation, User } from '../server/db/models';
import { loadActor } from '../server/modules/auth/actor';
import { documentTokens } from '../server/modules/search/tokens';
import { searchDocuments } from '../server/modules/search/service';
import { ensureRegisters, listEntries } from '../server/modules/registers/service';

const COMMON = ['ขอเชิญ', 'ประชุม', 'คณะกรรมการ', 'ขอความอนุเคราะห์', 'ข้อมูล', 'รายงาน', 'ผลการดำเนินงาน', 'โครงการ', 'งบประมาณ', 'ประจำปี', 'แจ้ง', 'แนวทาง', 'การปฏิบัติ', 'ขออนุมัติ', 'เดินทาง', 'ไปราชการ', 'จัดซื้อ', 'จัดจ้าง', 'ฝึกอบรม', 'สัมมนา', 'เชิงปฏิบัติการ', 'พัฒนา', 'ระบบ', 'สารบรรณ', 'อิเล็กทรอนิกส์', 'สาธารณสุข', 'โรงพยาบาล', 'ส่งเสริม', 'สุขภาพ', 'ป้องกัน', 'ควบคุม', 'โรคติดต่อ', 'วัคซีน', 'บุคลากร', 'แต่งตั้ง', 'คำสั่ง', 'ประกาศ', 'ระเบียบ', 'หลักเกณฑ์', 'ติดตาม', 'ประเมินผล', 'ตรวจราชการ', 'นิเทศ', 'เร่งรัด', 'เบิกจ่าย', 'ครุภัณฑ์', 'ซ่อมแซม', 'อาคาร', 'สถานที่', 'ยานพาหนะ'];
const PLACES = ['เชียงใหม่', 'ขอนแก่น', 'นครราชสีมา', 'สงขลา', 'ภูเก็ต', 'อุดรธานี', 'พิษณุโลก', 'นครสวรรค์', 'อุบลราชธานี', 'สุราษฎร์ธานี', 'ลำปาง', 'เชียงราย', 'ระยอง', 'ชลบุรี', 'กาญจนบุรี', 'นครศรีธรรมราช'];
const SENDERS = ['สำนักงานปลัดกระทรวงมหาดไทย', 'กรมควบคุมโรค', 'กรมอนามัย', 'สำนักงบประมาณ', 'กรมบัญชีกลาง', 'สำนักงาน ก.พ.', 'สำนักเลขาธิการนายกรัฐมนตรี', 'กรมการแพทย์'];
const MINISTRY = ['นร', 'มท', 'สธ', 'กค', 'ศธ'];

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];

function subject(): string {
  const words = Array.from({ length: 4 + Math.floor(rand() * 5) }, () => pick(COMMON));
  if (rand() < 0.5) words.push('จังหวัด' + pick(PLACES));
  return words.join('');
}

async function main() {
  const dialect = (process.argv[2] ?? 'mariadb') as 'sqlite' | 'mariadb';
  const total = Number(process.argv[3] ?? 100000);
  const queries = Number(process.argv[4] ?? 300);
  const database = await createThrowawayDatabase(dialect, 'benchsearch');
  const ctx = await prepare(loadConfig({ databaseUrl: database.url, seedDemo: true, publicUrl: 'http://127.0.0.1' }));
  const { sequelize } = ctx.db;
  try {
    const org = (await Organisation.findOne({ where: { agencyCode: 'สธ 02' } }))!;
    const clerk = (await User.findOne({ where: { username: 'clerk' } }))!;
    const incoming = (await ensureRegisters(sequelize, org.id)).find((r) => r.kind === 'incoming' && r.unitId === null)!;
    const t0 = performance.now();
    const batch = 2000;
    const now = Date.now();
    for (let start = 1; start <= total; start += batch) {
      const docs: unknown[][] = [];
      const tokens: unknown[][] = [];
      const entries: unknown[][] = [];
      for (let id = start; id < Math.min(start + batch, total + 1); id++) {
        const letterNumber = `${pick(MINISTRY)} ${String(Math.floor(rand() * 9000) + 1000).padStart(4, '0')}/${id}`;
        const d = { subject: subject(), body: `${subject()} ${subject()}`, senderName: pick(SENDERS), addressee: 'ปลัดกระทรวงสาธารณสุข', letterNumber };
        const at = new Date(now - (total - id) * 30000);
        const secrecy = rand() < 0.02 ? 'confidential' : 'normal';
        docs.push([id, org.id, 'incoming', 'external', 'registered', 1, pick(['normal', 'normal', 'normal', 'urgent', 'very_urgent', 'most_urgent']), secrecy, d.letterNumber, d.letterNumber.replace(/\s+/g, ''), d.subject, d.senderName, d.addressee, d.body, incoming.id, 2568, id, at, clerk.id, at, at]);
        entries.push([incoming.id, 2568, id, id, 'registered', d.letterNumber, at, clerk.id]);
        for (const token of documentTokens(d as never)) tokens.push([id, token]);
      }
      const ph = (rows: unknown[][]) => rows.map((r) => `(${r.map(() => '?').join(',')})`).join(',');
      await sequelize.query(`INSERT INTO documents (id, organisationId, direction, type, status, version, urgency, secrecy, letterNumber, letterNumberKey, subject, senderName, addressee, body, registerId, registerYear, registerNumber, registeredAt, createdById, createdAt, updatedAt) VALUES ${ph(docs)}`, { replacements: docs.flat() });
      await sequelize.query(`INSERT INTO register_entries (registerId, year, number, documentId, status, letterNumber, registeredAt, registeredById) VALUES ${ph(entries)}`, { replacements: entries.flat() });
      for (let i = 0; i < tokens.length; i += 5000) {
        const part = tokens.slice(i, i + 5000);
        await sequelize.query(`INSERT INTO search_tokens (documentId, token) VALUES ${ph(part)}`, { replacements: part.flat() });
      }
      if ((start - 1) % 50000 === 0) console.error(`generated ${start - 1 + docs.length} / ${total} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    if (dialect === 'mariadb') await sequelize.query('ANALYZE TABLE documents, search_tokens, register_entries');
    const generateSeconds = (performance.now() - t0) / 1000;
    const [{ tokenRows }] = (await sequelize.query('SELECT COUNT(*) AS tokenRows FROM search_tokens', { type: QueryTypes.SELECT })) as Array<{ tokenRows: number }>;

    const actor = (await loadActor(clerk.id))!;
    const officer = (await loadActor((await User.findOne({ where: { username: 'officer' } }))!.id))!;
    const times = (xs: number[]) => {
      xs.sort((a, b) => a - b);
      const p = (q: number) => Number(xs[Math.min(xs.length - 1, Math.floor(q * xs.length))].toFixed(1));
      return { p50: p(0.5), p95: p(0.95), p99: p(0.99), max: p(1) };
    };
    const kinds: Record<string, () => Record<string, unknown>> = {
      oneCommonWord: () => ({ q: pick(COMMON) }),
      twoWords: () => ({ q: `${pick(COMMON)} ${pick(COMMON)}` }),
      placeAndWord: () => ({ q: `${pick(PLACES)} ${pick(COMMON)}` }),
      wordWithFilters: () => ({ q: pick(COMMON), urgency: 'most_urgent', year: 2568 }),
      letterNumber: () => ({ q: `${pick(MINISTRY)}${String(Math.floor(rand() * 9000) + 1000)}/${Math.floor(rand() * total) + 1}` }),
    };
    const results: Record<string, unknown> = {};
    for (const [name, make] of Object.entries(kinds)) {
      const lat: number[] = [];
      for (let i = 0; i < queries; i++) {
        const who = i % 2 ? actor : officer;
        const s = performance.now();
        await searchDocuments(sequelize, who, { ...(make() as object), limit: 20, offset: 0 });
        lat.push(performance.now() - s);
      }
      results[name] = times(lat);
    }
    const listing: number[] = [];
    for (let i = 0; i < queries; i++) {
      const s = performance.now();
      await listEntries(incoming.id, 2568, { limit: 50, fromNumber: Math.floor(rand() * (total - 50)) + 1 });
      listing.push(performance.now() - s);
    }
    results.registerListing50 = times(listing);
    console.log(JSON.stringify({ bench: 'search', dialect, documents: total, tokenRows: Number(tokenRows), generateSeconds: Number(generateSeconds.toFixed(1)), queriesPerKind: queries, latencyMs: results }, null, 1));
  } finally {
    await ctx.db.close();
    await database.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
