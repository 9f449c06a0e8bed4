// Benchmark: latency from commit to receipt at the client, with 1,000 connected sockets and 50
// event commits per second, on one server process or on two sharing MariaDB and Redis.
//
//   node --require tsx/cjs bench/realtime-latency.ts                      # one process, SQLite
//   BENCH_DB=mariadb node --require tsx/cjs bench/realtime-latency.ts     # one process, MariaDB
//   BENCH_PROCESSES=2 node --require tsx/cjs bench/realtime-latency.ts    # two processes, MariaDB + Redis
//
// Real server processes (server/main.ts); commits go through the API of the first process
// (POST /api/me/notifications/test: one transaction with one outbox event, like a task change);
// sockets are spread over all processes, and every event is addressed to one connected user.
// Latency = receipt at the client − the event's createdAt (taken just before the INSERT, so the
// commit itself is included). Prints p50/p90/p99/max; asserts nothing.
import jwt from 'jsonwebtoken';
import { io as connectClient, Socket } from 'socket.io-client';
import { loadConfig } from '../server/config';
import { prepare } from '../server/bootstrap';
import { issueRefreshToken } from '../server/modules/auth/tokens';
import { Organisation, User } from '../server/db/models';
import { createThrowawayDatabase } from '../test/helpers/databases';
import { startServerProcess, ServerProcess } from '../test/helpers/processes';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 1);
const DIALECT = (process.env.BENCH_DB ?? (PROCESSES > 1 ? 'mariadb' : 'sqlite')) as 'sqlite' | 'mariadb';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'bench-secret-0123456789abcdef0123456789';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  if (PROCESSES > 1 && DIALECT !== 'mariadb') throw new Error('several processes need MariaDB (BENCH_DB=mariadb)');
  const database = await createThrowawayDatabase(DIALECT, 'bench');
  const servers: ServerProcess[] = [];
  const sockets: Socket[] = [];
  try {
    // Users, one per socket, made directly: the bench measures delivery, not sign-in.
    const ctx = await prepare(loadConfig({ databaseUrl: database.url, jwtSecret: SECRET, seedDemo: true }));
    const org = (await Organisation.findOne({ where: { parentId: null } }))!;
    const users = await User.bulkCreate(
      Array.from({ length: SOCKETS }, (_, i) => ({ organisationId: org.id, username: `bench${i}`, passwordHash: 'x', firstNameTh: 'ทดสอบ', lastNameTh: `${i}` })),
    );
    const ids = (await User.findAll({ where: { username: users.map((u) => u.username) }, attributes: ['id'], order: [['id', 'ASC']] })).map((u) => u.id);
    const sessions = new Map<number, string>();
    for (const id of ids) sessions.set(id, (await issueRefreshToken(ctx.tokens, id)).sessionId);
    await ctx.db.close();
    const token = (id: number) => jwt.sign({ sub: String(id), org: org.id, tv: 0, sid: sessions.get(id) }, SECRET, { algorithm: 'HS256', expiresIn: 3600, issuer: 'saraban' });

    const env: Record<string, string> = { DATABASE_URL: database.url, JWT_SECRET: SECRET, SEED_DEMO: 'false' };
    if (PROCESSES > 1) env.REDIS_URL = REDIS_URL;
    for (let i = 0; i < PROCESSES; i++) servers.push(await startServerProcess(env));

    const latencies: number[] = [];
    const commitTimes: number[] = [];
    let received = 0;
    await Promise.all(
      ids.map(
        (id, i) =>
          new Promise<void>((resolve, reject) => {
            // Every other socket on the second process: half the receipts cross Redis.
            const s = connectClient(servers[i % servers.length].url, { auth: { token: token(id) }, transports: ['websocket'], reconnection: false, forceNew: true });
            s.on('event', (e: { id: number; at: string }) => {
              const now = Date.now();
              received++;
              latencies.push(now - new Date(e.at).getTime());
            });
            s.once('connect', () => resolve());
            s.once('connect_error', reject);
            sockets.push(s);
          }),
      ),
    );
    console.log(`${SOCKETS} sockets connected to ${PROCESSES} process(es) on ${DIALECT}; committing ${RATE} events/s for ${SECONDS} s…`);

    const total = RATE * SECONDS;
    const started = Date.now();
    const inflight: Promise<unknown>[] = [];
    for (let n = 0; n < total; n++) {
      const due = started + (n * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      // The event goes to one user; on two processes, alternately to users on either.
      const userIndex = (n * 7) % SOCKETS;
      const http = servers[0];
      const sent = Date.now();
      inflight.push(
        fetch(`${http.url}/api/me/notifications/test`, { method: 'POST', headers: { authorization: `Bearer ${token(ids[userIndex])}` } }).then((r) => {
          if (r.status !== 202) throw new Error(`commit failed: ${r.status}`);
          commitTimes.push(Date.now() - sent);
          return r.arrayBuffer();
        }),
      );
    }
    await Promise.all(inflight);
    const deadline = Date.now() + 10000;
    while (received < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    latencies.sort((a, b) => a - b);
    commitTimes.sort((a, b) => a - b);
    const actualRate = total / ((Date.now() - started) / 1000);
    console.log(`\nrealtime latency, ${PROCESSES} process(es)${PROCESSES > 1 ? ' through Redis' : ''}, ${DIALECT}, ${SOCKETS} sockets, ${RATE} commits/s (${actualRate.toFixed(1)} achieved incl. drain)`);
    console.log(`  received ${received}/${total}`);
    console.log(`  commit → client: p50 ${pct(latencies, 50)} ms   p90 ${pct(latencies, 90)} ms   p99 ${pct(latencies, 99)} ms   max ${latencies[latencies.length - 1]} ms`);
    console.log(`  the commit request itself (HTTP + transaction): p50 ${pct(commitTimes, 50)} ms   p99 ${pct(commitTimes, 99)} ms`);
    console.log(`  goal: p99 < 100 ms → ${pct(latencies, 99) < 100 ? 'met' : 'NOT met'}`);
  } catch (err) {
    for (const s of servers) console.error(s.output().split('\n').filter((l) => /error|fail|busy/i.test(l)).slice(0, 20).join('\n'));
    throw err;
  } finally {
    for (const s of sockets) s.disconnect();
    for (const s of servers) await s.stop();
    await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
