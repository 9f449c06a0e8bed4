// Registrations per second into ONE register with C concurrent HTTP clients (default 32), on
// SQLite or MariaDB, then checks the register: numbers 1..N, zero gaps, zero duplicates.
//   npx tsx bench/registrations.ts [sqlite|mariadb] [N=2000] [C=32]
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

    let next = 0;
    let failures = 0;
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < total) {
          next++;
          const t0 = performance.now();
          const res = await fetch(`${base}/registers/${registerId}/entries`, { method: 'POST', headers, body: JSON.stringify({ idempotencyKey: crypto.randomUUID() }) });
          await res.arrayBuffer();
          latencies.push(performance.now() - t0);
          if (res.status !== 201) failures++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const [rows] = (await ctx.db.sequelize.query('SELECT number FROM register_entries WHERE registerId = ? ORDER BY number', { replacements: [registerId] })) as [Array<{ number: number }>, unknown];
    const numbers = rows.map((r) => Number(r.number));
    const duplicates = numbers.length - new Set(numbers).size;
    const max = numbers.length ? numbers[numbers.length - 1] : 0;
    const gaps = max - new Set(numbers).size;
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
    console.log(JSON.stringify({
      bench: 'registrations', dialect, clients, requested: total, registered: numbers.length, failures, seconds: Number(seconds.toFixed(2)),
      perSecond: Number((numbers.length / seconds).toFixed(1)), latencyMs: { p50: p(0.5), p95: p(0.95), p99: p(0.99) },
      check: { first: numbers[0], last: max, gaps, duplicates, ok: gaps === 0 && duplicates === 0 && numbers[0] === 1 && numbers.length === total },
    }));
  } finally {
    server.close();
    await ctx.db.close();
    await database.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
