// The server: config → migrate → seed if empty → listen → sockets and mail → job scheduler.
// With SERVER_PROCESSES above 1 (MariaDB/MySQL only) a node:cluster primary prepares the database
// once and starts that many server processes sharing the port; it restarts one that dies.
import cluster from 'node:cluster';
import http from 'node:http';
import os from 'node:os';
import { setupPrimary as setupClusterAdapterPrimary } from '@socket.io/cluster-adapter';
import { loadConfig, Config } from './config';
import { prepare } from './bootstrap';
import { createApp } from './app';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../seeders/20261123000200-demo-organisation';
import { Organisation, User } from './db/models';
import { JobScheduler } from './modules/workflow/scheduler';
import { startNotifications } from './modules/notify';

const log = (line: string) => console.log(`[saraban] ${line}`);
const READY = 'saraban:ready';

/** What the server prints once it serves: where, on what, and the demo logins if any. */
async function banner(config: Config, dialect: string, processes: number): Promise<string> {
  const where = dialect === 'sqlite' ? config.databaseUrl.replace(/^sqlite:/, 'SQLite file ') : 'MariaDB/MySQL';
  const live = config.redisUrl ? ' across processes through Redis' : processes > 1 ? ` across ${processes} processes` : ' (one process; set REDIS_URL for many)';
  const lines = [
    `\nSaraban ระบบสารบรรณอิเล็กทรอนิกส์ is running at ${config.publicUrl}${processes > 1 ? ` (${processes} server processes)` : ''}`,
    `  API: ${config.publicUrl}/api   docs: ${config.publicUrl}/api/docs   database: ${where}`,
    `  live updates: Socket.io${live}   e-mail: ${config.smtpUrl ? 'SMTP' : 'queued, not sent (set SMTP_URL)'}`,
  ];
  const demoUsers = await User.count({ where: { username: DEMO_LOGINS.map((l) => l.username) } });
  if (demoUsers > 0) {
    const orgs = await Organisation.count();
    lines.push(`\nDemo organisation (${orgs} organisations). Demo logins, password "${DEMO_PASSWORD}" unless changed:`);
    for (const l of DEMO_LOGINS) lines.push(`  ${l.username.padEnd(12)} ${l.roleTh} (${l.roleEn})`);
    lines.push('  Demo accounts have a known password: start with SEED_DEMO=false on an empty production database.');
    lines.push(`\nTry: curl -s -X POST ${config.publicUrl}/api/auth/login -H 'content-type: application/json' -d '{"username":"clerk","password":"${DEMO_PASSWORD}"}'`);
  }
  return lines.join('\n');
}

/** One server process: the whole server alone, or one of a cluster's processes. */
async function serve(config: Config): Promise<void> {
  const ctx = await prepare(config, { log: cluster.isWorker ? () => {} : log });
  ctx.scheduler = new JobScheduler(ctx.db, ctx.runtime, { pollMs: config.jobPollMs });
  const app = createApp(ctx);
  const server = http.createServer(app);
  const notifications = await startNotifications(server, ctx, log);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.port, config.host, resolve));
  ctx.scheduler.start();
  // One write, so whoever waits for "is running at" sees the whole banner.
  if (cluster.isWorker) process.send!({ type: READY });
  else console.log(await banner(config, ctx.db.dialect, 1));

  const stop = (signal: string) => {
    if (!cluster.isWorker) log(`${signal}: closing`);
    // Closing Socket.io closes the HTTP server too.
    void ctx.scheduler!.stop().then(() => notifications.close()).then(() => ctx.db.close()).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** The primary of SERVER_PROCESSES server processes: it serves nothing itself. */
async function supervise(config: Config, processes: number): Promise<void> {
  const ctx = await prepare(config, { log }); // migrations and seeding run once, here
  if (ctx.db.dialect === 'sqlite') {
    await ctx.db.close();
    throw new Error('SERVER_PROCESSES above 1 needs MariaDB/MySQL (DATABASE_URL=mysql://…): SQLite takes one writer at a time, in one process.');
  }
  const text = await banner(config, ctx.db.dialect, processes);
  await ctx.db.close();
  if (!config.redisUrl) setupClusterAdapterPrimary(); // the processes nudge each other through here

  let stopping = false;
  await Promise.all(Array.from({ length: processes }, () => new Promise<void>((resolve, reject) => {
    const worker = cluster.fork();
    worker.on('message', (m: { type?: string }) => m?.type === READY && resolve());
    worker.once('exit', (code) => reject(new Error(`a server process exited with ${code} while starting`)));
  })));
  console.log(text);
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log(`server process ${worker.process.pid} ended (${signal ?? code}); starting another`);
    cluster.fork();
  });

  const stop = (signal: string) => {
    stopping = true;
    log(`${signal}: closing ${processes} server processes`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    const done = () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0);
    cluster.on('exit', done);
    done();
    setTimeout(() => process.exit(0), 8000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

async function main(): Promise<void> {
  const config = loadConfig();
  const processes = config.serverProcesses === 0 ? os.availableParallelism() : config.serverProcesses;
  if (processes > 1 && cluster.isPrimary) await supervise(config, processes);
  else await serve(config);
}

main().catch((err) => {
  console.error('[saraban] failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
