// `npm start`: a supervising node:cluster primary and the server process(es) it starts.
// The primary serves nothing itself; it starts a server process again when one dies, with a
// growing pause when they keep dying, so a crash loop does not spin. One process on SQLite (one
// writer) or MariaDB; with SERVER_PROCESSES above 1 (MariaDB/MySQL only) that many share the port,
// and the primary prepares the database once and prints the banner for them.
// The primary loads only the config: serve.ts (the whole app) is loaded in the server processes.
import cluster, { Worker } from 'node:cluster';
import os from 'node:os';
import { loadConfig, Config } from './config';

const log = (line: string) => console.log(`[saraban] ${line}`);
// require, not import(): under tsx (`npm run dev`, the tests) a dynamic import() skips its TypeScript loader.
/* eslint-disable @typescript-eslint/no-require-imports */
const loadServe = () => require('./serve') as typeof import('./serve');
const loadBootstrap = () => require('./bootstrap') as typeof import('./bootstrap');
const loadClusterAdapter = () => require('@socket.io/cluster-adapter') as typeof import('@socket.io/cluster-adapter');
/* eslint-enable @typescript-eslint/no-require-imports */
const READY = 'saraban:ready'; // as serve.ts sends it
const RESTARTED = 'SARABAN_RESTARTED'; // env of a server process started after a crash

/** Crashes closer than this to each other count towards the pause before the next start. */
const CRASH_WINDOW_MS = 5 * 60_000;
const MAX_PAUSE_MS = 30_000;

/** Prepares the database once and builds the banner, for many processes (they stay quiet). */
async function prepareForMany(config: Config, processes: number): Promise<string> {
  const [{ prepare }, { banner }] = [loadBootstrap(), loadServe()];
  const ctx = await prepare(config, { log }); // migrations and seeding run once, here
  try {
    if (ctx.db.dialect === 'sqlite') {
      throw new Error('SERVER_PROCESSES above 1 needs MariaDB/MySQL (DATABASE_URL=mysql://…): SQLite takes one writer at a time, in one process.');
    }
    if (!config.redisUrl) loadClusterAdapter().setupPrimary(); // the processes nudge each other through here
    return await banner(config, ctx.db.dialect, processes);
  } finally {
    await ctx.db.close();
  }
}

async function supervise(config: Config, processes: number): Promise<void> {
  const text = processes > 1 ? await prepareForMany(config, processes) : '';
  let stopping = false;
  const crashes: number[] = [];
  const pending = new Set<NodeJS.Timeout>();

  const start = (restarted: boolean): Worker => cluster.fork(restarted ? { [RESTARTED]: '1' } : {});
  await Promise.all(Array.from({ length: processes }, () => new Promise<void>((resolve, reject) => {
    const worker = start(false);
    worker.on('message', (m: { type?: string }) => m?.type === READY && resolve());
    worker.once('exit', (code) => reject(new Error(`a server process exited with ${code} while starting`)));
  })));
  if (text) console.log(text);

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    const now = Date.now();
    while (crashes.length && now - crashes[0] > CRASH_WINDOW_MS) crashes.shift();
    crashes.push(now);
    // The first crash in a while: at once; then 1 s, 2 s, 4 s … up to 30 s.
    const pause = crashes.length < 2 ? 0 : Math.min(MAX_PAUSE_MS, 1000 * 2 ** (crashes.length - 2));
    log(`server process ${worker.process.pid} ended (${signal ?? `exit code ${code}`}); starting another${pause ? ` in ${pause / 1000} s (${crashes.length} ended within ${CRASH_WINDOW_MS / 60_000} minutes)` : ''}`);
    const timer = setTimeout(() => {
      pending.delete(timer);
      if (stopping) return;
      const next = start(true);
      next.on('message', (m: { type?: string }) => m?.type === READY && log(`server process ${next.process.pid} is serving again at ${config.publicUrl}`));
    }, pause);
    pending.add(timer);
  });

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    for (const timer of pending) clearTimeout(timer);
    log(`${signal}: closing${processes > 1 ? ` ${processes} server processes` : ''}`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    const done = () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0);
    cluster.on('exit', done);
    done();
    setTimeout(() => process.exit(0), 8000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(): Promise<void> {
  const config = loadConfig();
  const processes = config.serverProcesses === 0 ? os.availableParallelism() : config.serverProcesses;
  if (cluster.isPrimary) {
    if (process.env.PASSWORD_HASH_COST === 'test') log('WARNING: PASSWORD_HASH_COST=test makes new password hashes weak (for the test suite only): unset it in a deployment');
    return supervise(config, processes);
  }
  await loadServe().serve(config, { processes, quiet: processes > 1 || process.env[RESTARTED] === '1' });
}

main().catch((err) => {
  console.error('[saraban] failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
