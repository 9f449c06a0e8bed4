// Benchmark: the native exchange between two real deployments on loopback (A on SQLite, B on MariaDB).
//
//   node --require tsx/cjs bench/exchange.ts [letters=200] [drain=1000] [concurrency=4] [sender=sqlite|mariadb]
//
// (`sender` mariadb swaps the databases: A on MariaDB, B on SQLite.) A's clerk sends `letters` numbered letters (each with a small PDF) to B's Chiang Mai office, with
// `concurrency` sends at a time. Prints letters/s (first send started → last letter in B's tray) and
// the time from the start of each send request to the letter being in B's tray (B's deliveredAt,
// same machine clock): p50/p95/max; the goal for p95 is under 2 s. Then B stops, A sends `drain`
// letters that wait in its outbox, B starts again, and the time until all are in B's tray is printed
// (it includes the wait until the next retry: EXCHANGE_MAX_BACKOFF_MS is 5 s here).
import { Deployment } from '../test/exchange/helpers';
import { outgoingLetter } from '../test/registry/helpers';

const LETTERS = Number(process.argv[2] ?? 200);
const DRAIN = Number(process.argv[3] ?? 1000);
const CONCURRENCY = Number(process.argv[4] ?? 4);
const SENDER_DB = process.argv[5] === 'mariadb' ? 'mariadb' : 'sqlite';
const PEER_DB = SENDER_DB === 'sqlite' ? 'mariadb' : 'sqlite';
const ENV = { EXCHANGE_BACKOFF_MS: '1000', EXCHANGE_MAX_BACKOFF_MS: '5000', EXCHANGE_POLL_MS: '1000', EXCHANGE_MAX_AGE_MS: '900000', EXCHANGE_MAX_BYTES: '80000000' };

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/** Every letter in B's tray: subject → deliveredAt. */
async function trayTimes(b: Deployment): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let offset = 0; ; offset += 500) {
    const page = (await b.as('cm.clerk', 'GET', `/deliveries/arrivals?limit=500&offset=${offset}`)).body.items as Array<{ letter: { subject: string }; deliveredAt: string }>;
    for (const d of page) out.set(d.letter.subject, Date.parse(d.deliveredAt));
    if (page.length < 500) return out;
  }
}

/** Until A's outbox has nothing waiting (a cheap look; reading B's whole tray meanwhile would load B). */
async function outboxEmpty(a: Deployment): Promise<void> {
  for (;;) {
    const r = await a.as('admin', 'GET', '/exchange/outbox?status=queued&limit=1');
    if (r.status !== 200) throw new Error(`outbox: ${r.status}`);
    if (!r.body.items.length) return;
    await new Promise((res) => setTimeout(res, 200));
  }
}

async function letters(a: Deployment, prefix: string, n: number): Promise<Array<{ id: number; subject: string }>> {
  const out: Array<{ id: number; subject: string }> = [];
  await pool(Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`), CONCURRENCY, async (subject) => {
    out.push({ id: await a.numberedLetter(subject), subject });
  });
  return out;
}

async function main(): Promise<void> {
  const a = await Deployment.create('bencha', SENDER_DB, ENV);
  const b = await Deployment.create('benchb', PEER_DB, ENV);
  try {
    await Promise.all([a.start(), b.start()]);
    const peer = await a.importPeer((await b.introduce('ชม 0033')).file);
    console.log(`exchange A(${SENDER_DB}) → B(${PEER_DB})`);
    await b.importPeer((await a.introduce('สธ 02')).file);

    // One at a time first: the path's own latency, without a queue in front of it.
    const single = await letters(a, 'ทีละฉบับ', 30);
    const alone: number[] = [];
    for (const { id, subject } of single) {
      const t = Date.now();
      const r = await a.as('clerk', 'POST', `/documents/${id}/send`, { recipients: [{ agencyId: peer.id }] });
      if (r.status !== 201) throw new Error(`send: ${r.status} ${JSON.stringify(r.body)}`);
      for (;;) {
        const seen = (await trayTimes(b)).get(subject);
        if (seen) {
          alone.push(seen - t);
          break;
        }
        await new Promise((res) => setTimeout(res, 50));
      }
    }
    alone.sort((x, y) => x - y);
    console.log(`  one letter at a time (30): send → peer's tray p50 ${pct(alone, 50)} ms, p95 ${pct(alone, 95)} ms, max ${alone[alone.length - 1]} ms`);

    const batch = await letters(a, 'วัดความเร็ว', LETTERS);
    const started = new Map<string, number>();
    const answered: number[] = [];
    const t0 = Date.now();
    await pool(batch, CONCURRENCY, async ({ id, subject }) => {
      started.set(subject, Date.now());
      const r = await a.as('clerk', 'POST', `/documents/${id}/send`, { recipients: [{ agencyId: peer.id }] });
      if (r.status !== 201) throw new Error(`send: ${r.status} ${JSON.stringify(r.body)}`);
      answered.push(Date.now() - started.get(subject)!);
    });
    const sendsDone = Date.now();
    answered.sort((x, y) => x - y);
    await outboxEmpty(a);
    let times = await trayTimes(b);
    if (batch.some((l) => !times.has(l.subject))) throw new Error('a letter is missing from the tray');
    const lat = batch.map((l) => times.get(l.subject)! - started.get(l.subject)!).sort((x, y) => x - y);
    const last = Math.max(...batch.map((l) => times.get(l.subject)!));
    console.log(`  burst of ${LETTERS} letters, ${CONCURRENCY} sends at a time:`);
    console.log(`  throughput: ${(LETTERS / ((last - t0) / 1000)).toFixed(1)} letters/s (first send → last in the tray)`);
    console.log(`  the send requests: ${(LETTERS / ((sendsDone - t0) / 1000)).toFixed(1)} letters/s accepted by A, each answered in p50 ${pct(answered, 50)} ms, p95 ${pct(answered, 95)} ms`);
    console.log(`  send → peer's tray: p50 ${pct(lat, 50)} ms, p95 ${pct(lat, 95)} ms, max ${lat[lat.length - 1]} ms (goal p95 < 2000 ms)`);

    await b.stop();
    const queued = await letters(a, 'ระหว่างปลายทางปิด', DRAIN);
    // A's outbox meanwhile fails and reschedules each letter (its transactions go ahead of requests): the sends must not stall.
    const downSends: number[] = [];
    const downStart = Date.now();
    await pool(queued, CONCURRENCY, async ({ id }) => {
      const t = Date.now();
      const r = await a.as('clerk', 'POST', `/documents/${id}/send`, { recipients: [{ agencyId: peer.id }] });
      if (r.status !== 201) throw new Error(`send: ${r.status}`);
      downSends.push(Date.now() - t);
    });
    downSends.sort((x, y) => x - y);
    console.log(`  while B was down A accepted ${DRAIN} sends at ${(DRAIN / ((Date.now() - downStart) / 1000)).toFixed(1)} letters/s, each answered in p50 ${pct(downSends, 50)} ms, p95 ${pct(downSends, 95)} ms, max ${downSends[downSends.length - 1]} ms`);
    await b.start();
    const back = Date.now();
    // Meanwhile a clerk of A keeps working: the outbox's transactions go ahead of requests on SQLite, which must not stall them.
    let draining = true;
    const drafts: number[] = [];
    const clerkWorks = (async () => {
      while (draining) {
        const t = Date.now();
        const r = await a.as('clerk', 'POST', '/documents', outgoingLetter({ subject: 'ร่างระหว่างส่งค้าง' }));
        if (r.status !== 201) throw new Error(`draft: ${r.status}`);
        drafts.push(Date.now() - t);
        await new Promise((res) => setTimeout(res, 200));
      }
    })();
    await outboxEmpty(a);
    draining = false;
    await clerkWorks;
    drafts.sort((x, y) => x - y);
    times = await trayTimes(b);
    if (queued.some((l) => !times.has(l.subject))) throw new Error('a letter is missing from the tray');
    const drained = Math.max(...queued.map((l) => times.get(l.subject)!));
    console.log(`  drain: ${DRAIN} letters queued while B was down, all in B's tray ${((drained - back) / 1000).toFixed(1)} s after B was back (${(DRAIN / ((drained - back) / 1000)).toFixed(1)} letters/s; includes up to 5 s until the next retry)`);
    console.log(`  meanwhile a clerk of A saved ${drafts.length} drafts: p50 ${pct(drafts, 50)} ms, p95 ${pct(drafts, 95)} ms, max ${drafts[drafts.length - 1]} ms`);
  } finally {
    await Promise.all([a.stop(), b.stop()]); // SIGTERM first: a server run with --cpu-prof (SARABAN_NODE_ARGS) writes its profile
    await Promise.all([a.drop(), b.drop()]);
  }
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
