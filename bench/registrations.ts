// Registrations per second into ONE register with C concurrent HTTP clients (default 32), on
// SQLite or MariaDB: N reservations (a number alone), then L incoming letters, each registration
// starting the letter's routing process in its transaction. Then checks the register: numbers
// 1..N+L, zero gaps, zero duplicates, one routing instance per letter.
//   npx tsx bench/registrations.ts [sqlite|mariadb] [N=2000] [C=32] [L=500]
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import crypto from 'node:crypto';
import { loadConfig } from '../server/config';
import { prepare } from '../server/bootstrap';
import { createApp } from '../server/app';
import { createThrowawayDatabase } from '../test/helpers/databases';

async function main() {
  const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'mariadb';
  const total = Number(process.argv[3] ?? 2000);
  const clients = Number(process.argv[4] ?? 32);
  const letters = Number(process.argv[5] ?? 500);
  const database = await createThrowawayDatabase(dialect, 'bench');
  const ctx = await prepare(loadConfig({ databaseUrl: database.url, seedDemo: true, publicUrl: 'http://127.0.0.1' }));
  const server = http.createServer(createApp(ctx)).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  try {
    const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'clerk', password: 'saraban-demo' }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` };
    const registers = (await (await fetch(`${base}/registers`, { headers })).json()) as { items: Array<{ id: number; kind: string; unitId: number | null }> };
    const registerId = registers.items.find((r) => r.kind === 'incoming' && r.unitId === null)!.id;
    const drive = (count: number, c: number, body: () => unknown) => driveWith(`${base}/registers/${registerId}/entries`, headers, count, c, body);

    // 1. Reservations (จองเลข): the number alone.
    const reservations = await drive(total, clients, () => ({ idempotencyKey: crypto.randomUUID() }));
    // 2. Incoming letters: each registration numbers a letter and starts its routing (the
    //    incoming_letter process, up to its first task) in the same transaction. The letters are
    //    written first, outside the measurement.
    const letterIds: number[] = [];
    for (let i = 0; i < letters; i += 50) {
      const made = await Promise.all(Array.from({ length: Math.min(50, letters - i) }, (_, j) => fetch(`${base}/documents`, {
        method: 'POST', headers, body: JSON.stringify({
          direction: 'incoming', type: 'external', subject: `ขอเชิญประชุม ครั้งที่ ${i + j + 1}`, letterNumber: `นร 0105/${i + j + 1}`, letterDate: '2025-02-10',
          senderName: 'สำนักเลขาธิการนายกรัฐมนตรี', addressee: 'ปลัดกระทรวงสาธารณสุข', salutation: 'เรียน', body: 'ด้วยสำนักเลขาธิการนายกรัฐมนตรีจะจัดประชุม',
        }),
      }).then((r) => r.json() as Promise<{ id: number }>)));
      letterIds.push(...made.map((d) => d.id));
    }
    const queue = [...letterIds];
    const incoming = await drive(letterIds.length, clients, () => ({ documentId: queue.shift() }));

    const [rows] = (await ctx.db.sequelize.query('SELECT number FROM register_entries WHERE registerId = ? ORDER BY number', { replacements: [registerId] })) as [Array<{ number: number }>, unknown];
    const numbers = rows.map((r) => Number(r.number));
    const duplicates = numbers.length - new Set(numbers).size;
    const max = numbers.length ? numbers[numbers.length - 1] : 0;
    const gaps = max - new Set(numbers).size;
    const [routed] = (await ctx.db.sequelize.query(
      `SELECT COUNT(*) AS n FROM process_instances WHERE processKey = 'incoming_letter' AND documentId IN (${letterIds.length ? letterIds.join(',') : 'NULL'})`,
    )) as [Array<{ n: number }>, unknown];
    const check = {
      first: numbers[0], last: max, gaps, duplicates, routed: Number(routed[0].n),
      ok: gaps === 0 && duplicates === 0 && numbers[0] === 1 && numbers.length === total + letterIds.length && Number(routed[0].n) === letterIds.length,
    };
    console.log(JSON.stringify({ bench: 'registrations', dialect, clients, reservations, incomingWithRouting: incoming, check }));
  } finally {
    server.close();
    await ctx.db.close();
    await database.drop();
  }
}

/** Sends `count` registrations from `clients` concurrent clients; the figures of the run. */
async function driveWith(url: string, headers: Record<string, string>, count: number, clients: number, body: () => unknown) {
  let next = 0;
  let failures = 0;
  const statuses: Record<number, number> = {};
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) {
        next++;
        const t0 = performance.now();
        const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body()) });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (res.status !== 201) {
          failures++;
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]?.toFixed(1) ?? 0);
  return {
    requested: count, registered: count - failures, failures, ...(failures ? { statuses } : {}), seconds: Number(seconds.toFixed(2)),
    perSecond: Number(((count - failures) / seconds).toFixed(1)), latencyMs: { p50: p(0.5), p95: p(0.95), p99: p(0.99) },
  };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
