// Benchmark: does one request stall the others? A real server process (as `npm start` runs it with
// SARABAN_SERVER=dist, through tsx otherwise) is polled on /api/health every ~10 ms, first idle
// (the baseline), then while large Thai letters are saved, several at once. Prints the health
// latency p50/p99/max of both phases and the save times; then while a large register year (STALL_EXPORT_ROWS
// lines, 20,000 by default, each letter with a 1,000-character body) is exported as CSV, a few
// times in a row. Asserts nothing.
//
//   node --require tsx/cjs bench/stall.ts [sizes=120000,200000] [concurrent=4] [rounds=2]
//   BENCH_DB=mariadb …   (MariaDB's body column may refuse long bodies until it is widened)
//   STALL_CASES=saves,export (the default) · STALL_EXPORT_ROWS=20000 · STALL_EXPORTS=3
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryTypes, Sequelize } from 'sequelize';
import { createThrowawayDatabase } from '../test/helpers/databases';
import { freePort, startServer, stopServer } from '../test/helpers/server';
import { thaiText } from '../test/helpers/thai-text';

const SIZES = (process.argv[2] ?? '120000,200000').split(',').map(Number);
const CONCURRENT = Number(process.argv[3] ?? 4);
const ROUNDS = Number(process.argv[4] ?? 2);
const DIALECT = (process.env.BENCH_DB ?? 'sqlite') as 'sqlite' | 'mariadb';
const CASES = new Set((process.env.STALL_CASES ?? 'saves,export').split(','));
const EXPORT_ROWS = Number(process.env.STALL_EXPORT_ROWS ?? 20_000);
const EXPORTS = Number(process.env.STALL_EXPORTS ?? 3);
const POLL_MS = 10;
const BASELINE_MS = 3000;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const figures = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `n ${s.length}   p50 ${pct(s, 50).toFixed(1)} ms   p99 ${pct(s, 99).toFixed(1)} ms   max ${s[s.length - 1].toFixed(1)} ms`;
};

/** Polls /api/health every POLL_MS (one request at a time) until `stop` resolves; returns each latency. */
async function pollHealth(base: string, stop: Promise<unknown>): Promise<number[]> {
  let done = false;
  void stop.finally(() => (done = true));
  const latencies: number[] = [];
  while (!done) {
    const t0 = performance.now();
    // A kept-alive connection the server closes while stalled resets: ask again, the wait counts.
    const res = await fetch(`${base}/health`).catch(() => fetch(`${base}/health`));
    await res.arrayBuffer();
    const took = performance.now() - t0;
    if (res.status !== 200) throw new Error(`health answered ${res.status}`);
    latencies.push(took);
    if (took < POLL_MS) await new Promise((r) => setTimeout(r, POLL_MS - took));
  }
  return latencies;
}

async function main(): Promise<void> {
  const database = await createThrowawayDatabase(DIALECT, 'bench');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'saraban-stall-'));
  const port = await freePort();
  const server = await startServer({ DATABASE_URL: database.url, DATA_DIR: dataDir, JWT_SECRET: 'bench-secret-0123456789abcdef0123456789', PUBLIC_URL: `http://127.0.0.1:${port}` }, port);
  try {
    const login = await fetch(`${server.base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'clerk', password: 'saraban-demo' }) });
    if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` };
    const save = async (size: number, seed: number) => {
      const t0 = performance.now();
      const res = await fetch(`${server.base}/documents`, {
        method: 'POST', headers,
        body: JSON.stringify({ direction: 'outgoing', type: 'external', subject: `ทดสอบหนังสือยาว ${size} ตัวอักษร`, addressee: 'ผู้ว่าราชการจังหวัดเชียงใหม่', salutation: 'เรียน', body: thaiText(size, seed), closing: 'ขอแสดงความนับถือ' }),
      });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`save of ${size} characters: ${res.status} ${text.slice(0, 300)}`);
      return performance.now() - t0;
    };
    await save(1000, 1); // warm up: first requests compile and open what they need

    const baseline = await pollHealth(server.base, new Promise((r) => setTimeout(r, BASELINE_MS)));
    console.log(`stall: /api/health polled every ${POLL_MS} ms on ${DIALECT}, server ${process.env.SARABAN_SERVER === 'dist' ? 'dist (compiled)' : 'through tsx'}, ${os.availableParallelism()} CPUs`);
    console.log(`  idle (baseline, ${BASELINE_MS / 1000} s):                 ${figures(baseline)}`);
    for (const size of CASES.has('saves') ? SIZES : []) {
      const saves: number[] = [];
      const load = (async () => {
        for (let round = 0; round < ROUNDS; round++) saves.push(...(await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => save(size, round * CONCURRENT + i + 2)))));
      })();
      const during = await pollHealth(server.base, load);
      await load;
      console.log(`  while saving ${ROUNDS}×${CONCURRENT} letters of ${size.toLocaleString('en')} chars: ${figures(during)}`);
      console.log(`    each save: ${figures(saves)}`);
    }
    if (CASES.has('export')) {
      const registerId = await seedRegisterYear(database.url, server.base, headers);
      const year = new Date().getFullYear() + 543;
      const exports: number[] = [];
      let bytes = 0;
      const load = (async () => {
        for (let i = 0; i < EXPORTS; i++) {
          const t0 = performance.now();
          const res = await fetch(`${server.base}/registers/${registerId}/export.csv?year=${year}`, { headers });
          const body = await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`export: ${res.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
          bytes = body.byteLength;
          exports.push(performance.now() - t0);
        }
      })();
      const during = await pollHealth(server.base, load);
      await load;
      console.log(`  while exporting a register year of ${EXPORT_ROWS.toLocaleString('en')} lines as CSV, ${EXPORTS}× in a row: ${figures(during)}`);
      console.log(`    each export (${(bytes / 1e6).toFixed(1)} MB): ${figures(exports)}`);
    }
  } catch (err) {
    console.error(server.output().split('\n').slice(-20).join('\n'));
    throw err;
  } finally {
    await stopServer(server.child);
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** EXPORT_ROWS registered incoming letters in the clerk's incoming register, this B.E. year, written
 * straight into the database (copies of one letter saved through the API); returns the register's id. */
async function seedRegisterYear(url: string, base: string, headers: Record<string, string>): Promise<number> {
  const saved = await fetch(`${base}/documents`, {
    method: 'POST', headers,
    body: JSON.stringify({ direction: 'incoming', type: 'external', subject: 'ต้นแบบหนังสือรับ', senderName: 'สำนักงานปลัดกระทรวง', addressee: 'ผู้อำนวยการ', letterNumber: 'สธ 0201/1', letterDate: '2026-01-15', body: thaiText(1000, 7) }),
  });
  if (saved.status !== 201) throw new Error(`seed letter: ${saved.status} ${await saved.text()}`);
  const { id: templateId } = (await saved.json()) as { id: number };
  const registers = (await (await fetch(`${base}/registers`, { headers })).json()) as { items: Array<{ id: number; kind: string }> };
  const registerId = registers.items.find((r) => r.kind === 'incoming')!.id;
  const db = new Sequelize(url, { logging: false });
  try {
    const [template] = await db.query<Record<string, unknown>>('SELECT * FROM documents WHERE id = :id', { replacements: { id: templateId }, type: QueryTypes.SELECT });
    const year = new Date().getFullYear() + 543;
    const clerk = template.createdById;
    for (let from = 1; from <= EXPORT_ROWS; from += 1000) {
      const n = Math.min(1000, EXPORT_ROWS - from + 1);
      await db.transaction(async (transaction) => {
        const docs = Array.from({ length: n }, (_, i) => {
          const { id: _id, ...copy } = template;
          return { ...copy, status: 'registered', subject: `ขอเชิญประชุมคณะทำงาน ครั้งที่ ${from + i}`, body: thaiText(1000, from + i) };
        });
        await db.getQueryInterface().bulkInsert('documents', docs, { transaction });
        const ids = (await db.query<{ id: number }>('SELECT id FROM documents ORDER BY id DESC LIMIT :n', { replacements: { n }, type: QueryTypes.SELECT, transaction })).map((r) => Number(r.id)).reverse();
        await db.getQueryInterface().bulkInsert(
          'register_entries',
          ids.map((documentId, i) => ({ registerId, year, number: from + i, direction: 'incoming', documentId, status: 'registered', letterNumber: `สธ 0201/${from + i}`, registeredAt: new Date(), registeredById: clerk })),
          { transaction },
        );
      });
    }
  } finally {
    await db.close();
  }
  return registerId;
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
