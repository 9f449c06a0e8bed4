// Benchmark: sending numbered letters to 50 organisations each, through a real server process.
//
//   node --require tsx/cjs bench/deliveries.ts [sqlite|mariadb] [letters=40] [concurrency=4]
//
// 50 provincial offices are made below the demo's central office, each with a clerk whose socket is
// connected. The central clerk sends each letter to all 50 (one transaction per letter). Prints
// letters/s (each letter = 50 deliveries) and the time from the start of the send request to the
// arrival event at each recipient clerk's socket (what makes it appear in the tray live): p50/p95/max.
// Asserts only that every arrival came and that a tray lists every letter.
import jwt from 'jsonwebtoken';
import { io as connectClient, Socket } from 'socket.io-client';
import { loadConfig } from '../server/config';
import { prepare } from '../server/bootstrap';
import { Group, GroupMember, Organisation, User, ROLE_KEYS } from '../server/db/models';
import { hashPassword } from '../server/modules/auth/passwords';
import { issueRefreshToken } from '../server/modules/auth/tokens';
import { createThrowawayDatabase } from '../test/helpers/databases';
import { startServerProcess, ServerProcess } from '../test/helpers/processes';

const DIALECT = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'mariadb';
const LETTERS = Number(process.argv[3] ?? 40);
const CONCURRENCY = Number(process.argv[4] ?? 4);
const RECIPIENTS = 50;
const SECRET = 'bench-secret-0123456789abcdef0123456789';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const database = await createThrowawayDatabase(DIALECT, 'bench');
  let server: ServerProcess | undefined;
  const sockets: Socket[] = [];
  try {
    const ctx = await prepare(loadConfig({ databaseUrl: database.url, jwtSecret: SECRET, seedDemo: true }));
    const central = (await Organisation.findOne({ where: { agencyCode: 'สธ 02' } }))!;
    const passwordHash = await hashPassword('bench-password');
    const recipients: Array<{ org: Organisation; clerk: User }> = [];
    for (let i = 0; i < RECIPIENTS; i++) {
      const org = await Organisation.create({ parentId: central.id, kind: 'provincial_office', nameTh: `สำนักงานทดสอบที่ ${i + 1}`, agencyCode: `ทส ${1000 + i}`, active: true });
      const groups = await Group.bulkCreate(ROLE_KEYS.map((key) => ({ organisationId: org.id, key, nameTh: key })));
      const clerk = await User.create({ organisationId: org.id, username: `bench.clerk${i}`, passwordHash, firstNameTh: 'สารบรรณ', lastNameTh: `${i}` });
      await GroupMember.create({ groupId: groups.find((g) => g.key === 'registry_clerk')!.id, userId: clerk.id });
      recipients.push({ org, clerk });
    }
    const sender = (await User.findOne({ where: { username: 'clerk' } }))!;
    // One sign-in session per user, made directly: the bench measures sending, not sign-in.
    const sessions = new Map<number, string>();
    for (const u of [sender, ...recipients.map((r) => r.clerk)]) sessions.set(u.id, (await issueRefreshToken(ctx.tokens, u.id)).sessionId);
    await ctx.db.close();
    const token = (u: User) => jwt.sign({ sub: String(u.id), org: u.organisationId, tv: u.tokenVersion ?? 0, sid: sessions.get(u.id) }, SECRET, { algorithm: 'HS256', expiresIn: 3600, issuer: 'saraban' });

    server = await startServerProcess({ DATABASE_URL: database.url, JWT_SECRET: SECRET, SEED_DEMO: 'false' });
    const api = async (method: string, path: string, user: User, body?: unknown): Promise<any> => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const res = await fetch(`${server!.url}/api${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token(user)}` }, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = await res.json();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };

    const arrivedAt = new Map<number, number>();
    await Promise.all(recipients.map(({ clerk }) => new Promise<void>((resolve, reject) => {
      const s = connectClient(server!.url, { auth: { token: token(clerk) }, transports: ['websocket'], reconnection: false, forceNew: true });
      s.on('event', (e: { type: string; summary: { deliveryId: number } }) => {
        if (e.type === 'delivery.arrived') arrivedAt.set(e.summary.deliveryId, Date.now());
      });
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
      sockets.push(s);
    })));

    // Numbered letters, made before the clock starts: the bench measures sending, not numbering.
    const outgoing = (await api('GET', '/registers', sender)).items.find((r: { kind: string; unitId: number | null }) => r.kind === 'circular' && r.unitId === null).id;
    const letters: number[] = [];
    for (let i = 0; i < LETTERS; i++) {
      const doc = await api('POST', '/documents', sender, { direction: 'outgoing', type: 'external', subject: `หนังสือเวียนทดสอบฉบับที่ ${i + 1}`, body: 'เพื่อโปรดทราบและถือปฏิบัติ' });
      await api('POST', `/registers/${outgoing}/entries`, sender, { documentId: doc.id });
      letters.push(doc.id);
    }
    console.log(`${RECIPIENTS} recipient organisations, their clerks' sockets connected; sending ${LETTERS} letters on ${DIALECT}, ${CONCURRENCY} at a time…`);

    const sendStart = new Map<number, number>();
    const sendTimes: number[] = [];
    const started = Date.now();
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < letters.length) {
        const documentId = letters[next++];
        const t0 = Date.now();
        const sent = await api('POST', `/documents/${documentId}/send`, sender, { recipients: recipients.map(({ org }) => ({ organisationId: org.id })) });
        sendTimes.push(Date.now() - t0);
        for (const d of sent.items as Array<{ id: number }>) sendStart.set(d.id, t0);
      }
    }));
    const elapsed = (Date.now() - started) / 1000;
    const deadline = Date.now() + 15000;
    while (arrivedAt.size < sendStart.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    const latencies = [...sendStart].filter(([id]) => arrivedAt.has(id)).map(([id, t0]) => arrivedAt.get(id)! - t0).sort((a, b) => a - b);
    sendTimes.sort((a, b) => a - b);
    const tray = await api('GET', '/deliveries/arrivals?limit=500', recipients[0].clerk);
    console.log(`\ndeliveries, ${DIALECT}, one server process, ${LETTERS} letters × ${RECIPIENTS} recipients, ${CONCURRENCY} concurrent senders`);
    console.log(`  ${(LETTERS / elapsed).toFixed(1)} letters/s sent to ${RECIPIENTS} recipients (${((LETTERS * RECIPIENTS) / elapsed).toFixed(0)} deliveries/s)`);
    console.log(`  one send request (${RECIPIENTS} deliveries, one transaction): p50 ${pct(sendTimes, 50)} ms   p95 ${pct(sendTimes, 95)} ms   max ${sendTimes[sendTimes.length - 1]} ms`);
    console.log(`  send → arrival at the recipient's socket: p50 ${pct(latencies, 50)} ms   p95 ${pct(latencies, 95)} ms   max ${latencies[latencies.length - 1]} ms`);
    console.log(`  arrivals received ${arrivedAt.size}/${sendStart.size}; one tray lists ${tray.items.length}/${LETTERS}`);
    if (arrivedAt.size !== sendStart.size || tray.items.length !== LETTERS) throw new Error('some arrivals were lost');
  } catch (err) {
    if (server) console.error(server.output().split('\n').filter((l) => /error|fail|busy/i.test(l)).slice(0, 20).join('\n'));
    throw err;
  } finally {
    for (const s of sockets) s.disconnect();
    if (server) await server.stop();
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
