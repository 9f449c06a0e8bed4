// Workflow runtime benchmark (issue 3). Prints, in one run:
//  - the ceiling: a 3-user-task approval flow run by bare bpmn-engine in memory;
//  - completed 3-task instances per second through the HTTP API with persistence, on SQLite and
//    MariaDB, at 1 and 32 concurrent clients, with p50/p95/p99 of "complete task"; then at a fixed
//    offered rate (open loop); with no engine kept in memory (every command hydrates, as in real
//    use, where the next step comes hours later); on MariaDB also with two server processes, and
//    with SERVER_PROCESSES=2 on one port;
//  - server RSS with 10,000 and 100,000 waiting instances, and time from restart to serving.
// Usage: npx tsx bench/workflow.ts [--seconds 15] [--waiting 10000,100000] [--only sqlite|mariadb]
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import mysql from 'mysql2/promise';
import { createThrowawayDatabase, ThrowawayDatabase, TestDialect } from '../test/helpers/databases';
import { call, freePort, startServer, stopServer, RunningServer } from '../test/helpers/server';
import { threeStepXml } from '../test/helpers/workflow';
import { createDatabase } from '../server/db';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SECONDS = Number(arg('seconds', '15'));
const WAITING = arg('waiting', '10000,100000').split(',').map(Number).filter(Boolean);
const ONLY = arg('only', '');
const XML = threeStepXml('bench_approval', 'registry_clerk');

function pct(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function ceiling(seconds: number): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  while (Date.now() < deadline) {
    const listener = new EventEmitter();
    listener.on('activity.wait', (api: { signal(): void }) => setImmediate(() => api.signal()));
    const engine = new Engine({ name: 'ceiling', source: XML } as never);
    await new Promise<void>((resolve, reject) => {
      engine.once('end', () => resolve());
      engine.once('error', reject);
      void engine.execute({ listener } as never);
    });
    done++;
  }
  return done / seconds;
}

/**
 * The load's own HTTP client: node:http with kept-alive connections. fetch (undici) cost the load
 * generator about twice the CPU, taken from the two cores the server and MariaDB also need.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
function send(base: string, method: string, route: string, token: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (process.env.BENCH_FETCH) return call(base, method, route, token, body);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${route}`, { method, agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(payload ? { 'content-length': Buffer.byteLength(payload) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** CPU seconds (user + system) a server has used, with its server processes (SERVER_PROCESSES):
 * steadier than wall-clock rates on a shared host. */
function cpuSeconds(server: RunningServer): number {
  const of = (pid: number) => {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  };
  const pid = server.child.pid!;
  const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return of(pid) + children.reduce((sum, child) => sum + of(child), 0);
}

/** A clerk's access token for the load. */
async function clerkToken(server: RunningServer): Promise<string> {
  return (await call(server.base, 'POST', '/auth/login', undefined, { username: 'clerk', password: 'saraban-demo' })).body.accessToken as string;
}

/** Starts one instance and completes its three tasks, timing each completion: true when it ended, false on an error. */
async function oneInstance(server: RunningServer, token: string, latencies: number[]): Promise<boolean> {
  const started = await send(server.base, 'POST', '/workflow/instances', token, { processKey: 'bench_approval' });
  if (started.status !== 201) return false;
  let taskId: number | undefined = started.body.tasks[0]?.id;
  while (taskId) {
    const t0 = performance.now();
    const res = await send(server.base, 'POST', `/tasks/${taskId}/complete`, token, { variables: {} });
    latencies.push(performance.now() - t0);
    if (res.status !== 200) return false;
    taskId = res.body.next[0]?.id;
    if (!taskId) return res.body.instanceStatus === 'completed';
  }
  return false;
}

/** Clients spread over the servers (client i talks to server i mod n, as a load balancer with sticky clients would). */
async function throughput(servers: RunningServer[], clients: number, seconds: number) {
  const token = await clerkToken(servers[0]);
  const latencies: number[] = [];
  let completed = 0;
  let errors = 0;
  const deadline = Date.now() + seconds * 1000;
  const cpu0 = servers.map(cpuSeconds);
  const client0 = process.cpuUsage();
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    const server = servers[client % servers.length];
    while (Date.now() < deadline) {
      if (await oneInstance(server, token, latencies)) completed++;
      else errors++;
    }
  }));
  const cpuMs = (servers.reduce((sum, server, i) => sum + cpuSeconds(server) - cpu0[i], 0) * 1000) / Math.max(1, completed);
  const used = process.cpuUsage(client0);
  const clientCpuMs = (used.user + used.system) / 1000 / Math.max(1, completed);
  return { perSecond: completed / seconds, p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), errors, cpuMs, clientCpuMs };
}

/**
 * Open-loop load: a new instance every 1/rate seconds, each run through its three tasks by its own
 * client. With 32 closed-loop clients the latency is set by the queue (Little's law: 32 requests
 * in flight / throughput); at a fixed offered rate it shows what one person waits for.
 */
async function paced(servers: RunningServer[], rate: number, seconds: number) {
  const token = await clerkToken(servers[0]);
  const latencies: number[] = [];
  let completed = 0;
  let errors = 0;
  const flows: Array<Promise<void>> = [];
  const t0 = Date.now();
  for (let k = 0; Date.now() - t0 < seconds * 1000; k++) {
    const server = servers[k % servers.length];
    flows.push(oneInstance(server, token, latencies).then((ok) => {
      if (ok) completed++;
      else errors++;
    }));
    const next = t0 + ((k + 1) * 1000) / rate;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
  }
  await Promise.all(flows);
  return { perSecond: completed / ((Date.now() - t0) / 1000), p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), errors, cpuMs: NaN, clientCpuMs: NaN };
}

/** Copies one real waiting instance (state, task, candidates) N times with INSERT … SELECT. */
async function fillWaiting(url: string, dialect: TestDialect, target: number) {
  const db = createDatabase(url, { models: false });
  const q = (sql: string) => db.sequelize.query(sql);
  const [[seed]] = (await q("SELECT i.id AS instanceId, t.id AS taskId FROM process_instances i JOIN tasks t ON t.instanceId = i.id AND t.status = 'open' WHERE i.status = 'running' ORDER BY i.id LIMIT 1")) as [Array<{ instanceId: number; taskId: number }>, unknown];
  const [[{ n }]] = (await q("SELECT COUNT(*) AS n FROM process_instances WHERE status = 'running'")) as [Array<{ n: number }>, unknown];
  let have = Number(n);
  while (have < target) {
    const batch = Math.min(5000, target - have);
    await db.sequelize.transaction(async (t) => {
      const [[{ maxId }]] = (await db.sequelize.query('SELECT MAX(id) AS maxId FROM process_instances', { transaction: t })) as [Array<{ maxId: number }>, unknown];
      const [[{ maxTask }]] = (await db.sequelize.query('SELECT MAX(id) AS maxTask FROM tasks', { transaction: t })) as [Array<{ maxTask: number }>, unknown];
      const seq = dialect === 'sqlite'
        ? `WITH RECURSIVE seq(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM seq WHERE k < ${batch}) SELECT k FROM seq`
        : `SELECT k FROM (SELECT @k := @k + 1 AS k FROM information_schema.columns a, information_schema.columns b, (SELECT @k := 0) init LIMIT ${batch}) s`;
      await db.sequelize.query(`INSERT INTO process_instances (id, definitionId, organisationId, processKey, businessKey, documentId, status, state, version, startedById, startedAt, endedAt, updatedAt)
        SELECT ${maxId} + s.k, i.definitionId, i.organisationId, i.processKey, NULL, NULL, 'running', i.state, i.version, i.startedById, i.startedAt, NULL, i.updatedAt
        FROM process_instances i, (${seq}) s WHERE i.id = ${seed.instanceId}`, { transaction: t });
      await db.sequelize.query(`INSERT INTO tasks (id, instanceId, organisationId, processKey, elementId, executionId, name, title, status, assigneeUserId, ownerUserId, priority, urgency, dueAt, formKey, formFields, documentId, createdAt, claimedAt, completedAt, completedById, completedCapacity, completedForPositionId, updatedAt)
        SELECT ${maxTask} + s.k, ${maxId} + s.k, t.organisationId, t.processKey, t.elementId, t.executionId, t.name, t.title, 'open', NULL, NULL, t.priority, t.urgency, t.dueAt, t.formKey, t.formFields, NULL, t.createdAt, NULL, NULL, NULL, NULL, NULL, t.updatedAt
        FROM tasks t, (${seq}) s WHERE t.id = ${seed.taskId}`, { transaction: t });
      await db.sequelize.query(`INSERT INTO task_candidates (taskId, kind, refId) SELECT ${maxTask} + s.k, c.kind, c.refId FROM task_candidates c, (${seq}) s WHERE c.taskId = ${seed.taskId}`, { transaction: t });
    });
    have += batch;
  }
  await db.close();
  return { seedInstance: seed.instanceId };
}

async function rssOf(pid: number): Promise<number> {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function touchSample(server: RunningServer, count: number) {
  // Complete tasks of random waiting instances: every one is hydrated from the database.
  const token = await clerkToken(server);
  const page = await call(server.base, 'GET', `/tasks?processKey=bench_approval&sort=created&limit=200`, token);
  let done = 0;
  for (const t of page.body.items.slice(0, count)) {
    const res = await call(server.base, 'POST', `/tasks/${t.id}/complete`, token, { variables: {} });
    if (res.status === 200) done++;
  }
  return done;
}

async function run(dialect: TestDialect, ceil: number) {
  const database: ThrowawayDatabase = await createThrowawayDatabase(dialect, 'bench');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'saraban-bench-'));
  const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, WORKFLOW_ENGINE_CACHE: '64' };
  const port = await freePort();
  const results: string[] = [];
  let server = await startServer(env, port);
  try {
    const designer = (await call(server.base, 'POST', '/auth/login', undefined, { username: 'designer', password: 'saraban-demo' })).body.accessToken as string;
    await call(server.base, 'POST', '/workflow/definitions', designer, { xml: XML });
    const report = (label: string, r: Awaited<ReturnType<typeof throughput>>) => {
      results.push(`${dialect.padEnd(7)} ${label}: ${r.perSecond.toFixed(1)} instances/s (3 tasks each) = ${(r.perSecond / ceil).toFixed(2)} of the ceiling; complete-task latency p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; errors ${r.errors}${Number.isNaN(r.cpuMs) ? '' : `; server CPU ${r.cpuMs.toFixed(1)} ms per instance (the load generator's ${r.clientCpuMs.toFixed(1)} ms)`}`);
      console.log(results.at(-1));
    };
    let best = 0;
    for (const clients of [1, 32]) {
      const r = await throughput([server], clients, SECONDS);
      best = Math.max(best, r.perSecond);
      report(`1 process, ${String(clients).padStart(2)} clients`, r);
    }
    const rate = Math.max(1, Math.floor(best * 0.7));
    report(`1 process, ${rate} new instances/s offered (70% of its best)`, await paced([server], rate, SECONDS));
    // In real use the next step comes hours later, long after the engine left memory: with no
    // engine kept, every command reads the state and recovers the engine.
    await stopServer(server.child);
    server = await startServer({ ...env, WORKFLOW_ENGINE_CACHE: '0' }, port);
    report('1 process, 32 clients, no engine kept in memory (every command hydrates)', await throughput([server], 32, SECONDS));
    await stopServer(server.child);
    server = await startServer(env, port);
    if (dialect === 'mariadb') {
      // The runtime is built for several server processes on one MariaDB (version-checked commands,
      // SKIP LOCKED jobs, outbox delivery). Two ways to use the second core:
      // - two servers, each client staying with one (a load balancer with sticky sessions): the
      //   engines stay hot where the instance's next command goes;
      // - SERVER_PROCESSES=2 on one port: the primary deals out connections, so an instance's next
      //   command usually finds its engine in the other process. In real use engines are cold
      //   anyway (the next step comes hours later), so it is measured against the cold run above.
      const second = await startServer(env, await freePort());
      try {
        report('2 processes, 32 clients each staying with one', await throughput([server, second], 32, SECONDS));
      } finally {
        await stopServer(second.child);
      }
      const cluster = await startServer({ ...env, SERVER_PROCESSES: '2', WORKFLOW_ENGINE_CACHE: '0' }, await freePort());
      try {
        report('SERVER_PROCESSES=2 (one port), 32 clients, no engine kept in memory', await throughput([cluster], 32, SECONDS));
      } finally {
        await stopServer(cluster.child);
      }
    }
    // One waiting instance to copy, then the waiting population.
    const clerk = await clerkToken(server);
    await call(server.base, 'POST', '/workflow/instances', clerk, { processKey: 'bench_approval' });
    for (const target of WAITING) {
      await stopServer(server.child);
      const t0 = performance.now();
      await fillWaiting(database.url, dialect, target);
      const fillSeconds = (performance.now() - t0) / 1000;
      const restart0 = performance.now();
      server = await startServer(env, port);
      let healthy = false;
      while (!healthy) healthy = (await call(server.base, 'GET', '/health')).status === 200;
      const restartMs = performance.now() - restart0;
      const touched = await touchSample(server, 200);
      const rss = await rssOf(server.child.pid!);
      results.push(`${dialect.padEnd(7)} ${target.toLocaleString('en')} waiting instances: server RSS ${rss.toFixed(0)} MB after hydrating ${touched} of them; restart to serving ${(restartMs / 1000).toFixed(2)} s (fill ${fillSeconds.toFixed(1)} s)`);
      console.log(results.at(-1));
    }
  } finally {
    await stopServer(server.child);
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}

(async () => {
  console.log(`Workflow benchmark on ${os.cpus().length} cores, ${SECONDS}s per throughput run, node ${process.version}`);
  const ceil = await ceiling(SECONDS);
  console.log(`ceiling: bare bpmn-engine in memory, same 3-task flow: ${ceil.toFixed(1)} instances/s (1 in flight)`);
  const all: string[] = [];
  for (const dialect of ['sqlite', 'mariadb'] as TestDialect[]) {
    if (ONLY && ONLY !== dialect) continue;
    if (dialect === 'mariadb') {
      try {
        await (await mysql.createConnection('mysql://root@127.0.0.1:3306')).end();
      } catch {
        console.log('mariadb: not reachable, skipped');
        continue;
      }
    }
    all.push(...(await run(dialect, ceil)));
  }
  console.log('\n=== summary ===');
  console.log(`ceiling (bare bpmn-engine, in memory): ${ceil.toFixed(1)} instances/s`);
  for (const line of all) console.log(line);
  process.exit(0);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
