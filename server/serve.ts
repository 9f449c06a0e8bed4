// One server process: prepare the database → listen → sockets and mail → job scheduler. main.ts
// runs it under a supervising primary, which starts it again if it dies.
import cluster from 'node:cluster';
import http from 'node:http';
import { Config } from './config';
import { prepare } from './bootstrap';
import { createApp } from './app';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../seeders/20261123000200-demo-organisation';
import { Organisation, User } from './db/models';
import { JobScheduler } from './modules/workflow/scheduler';
import { startRetentionSweep } from './modules/retention/sweep';
import { startNotifications } from './modules/notify';
import { letterPool } from './modules/letters/chromium';
import { renderHtmlToPdf } from './modules/letters/render';
import { setAppearanceRenderer } from './modules/signatures/appearance';
import { startExchangeWorker } from './modules/exchange/outbox';
import { loadEcmsSettings } from './modules/exchange/ecms/config';
import { wireEcms } from './modules/exchange/ecms-transport';
import { startEcmsPolling } from './modules/exchange/ecms-polling';

export const log = (line: string) => console.log(`[saraban] ${line}`);
export const READY = 'saraban:ready';

/** What the server prints once it serves: where, on what, and the demo logins if any. */
export async function banner(config: Config, dialect: string, processes: number): Promise<string> {
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

/**
 * An error that escapes a request (thrown in a stream or timer callback, a promise nobody awaits)
 * is logged and the process goes on serving, as issue 12 asks: one request must not stop the
 * server for everyone. Node's advice is to exit instead, because such an error may leave state
 * half-changed; here the state that matters is in the database, written by whole transactions
 * (an abandoned one rolls back), and the supervising primary (main.ts) is still there for a
 * process that does die. Exiting would hand anyone who finds such a bug a way to cut every other
 * user's requests, again and again. The log line says so loudly, so the bug gets fixed.
 */
function keepServingThroughEscapedErrors(): void {
  const report = (what: string) => (err: unknown) => {
    console.error(`[saraban] ${what} (the server goes on serving; this is a bug, please report it): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  };
  process.on('uncaughtException', report('uncaught error'));
  process.on('unhandledRejection', report('unhandled promise rejection'));
}

/**
 * Serves until SIGINT/SIGTERM. `quiet`: the primary speaks for this process (many processes, or
 * one started again after a crash), so no startup log and no banner.
 */
export async function serve(config: Config, opts: { processes: number; quiet: boolean }): Promise<void> {
  const ctx = await prepare(config, { log: opts.quiet ? () => {} : log });
  ctx.scheduler = new JobScheduler(ctx.db, ctx.runtime, { pollMs: config.jobPollMs });
  const ecms = loadEcmsSettings(config);
  if (ecms.enabled) ctx.ecms = wireEcms(ctx, ecms);
  const app = createApp(ctx);
  const server = http.createServer(app);
  const notifications = await startNotifications(server, ctx, log);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.port, config.host, resolve));
  ctx.scheduler.start();
  // Chromium starts now, not on the first letter; without it the server serves on and renders answer 503 (one line logged).
  void letterPool().warm().catch(() => undefined);
  // Signature blocks and stamps are drawn by the same pool (Thai needs Chromium); without it, signing and stamping answer 503.
  setAppearanceRenderer((html) => renderHtmlToPdf(html));
  const exchange = startExchangeWorker(ctx, config.exchange, log);
  const retention = startRetentionSweep(ctx, log);
  const ecmsPolling = ecms.enabled ? startEcmsPolling(ctx, ecms, log) : null;
  keepServingThroughEscapedErrors(); // only now: a failure while starting still ends the start
  // One write, so whoever waits for "is running at" sees the whole banner.
  if (!opts.quiet) console.log(await banner(config, ctx.db.dialect, opts.processes));
  if (cluster.isWorker) process.send!({ type: READY });

  let stopping = false;
  const stop = () => {
    // Ctrl-C reaches this process and its primary, which then sends SIGTERM too: stop once.
    if (stopping) return;
    stopping = true;
    // Closing Socket.io closes the HTTP server too.
    retention.close();
    void ctx.scheduler!.stop().then(() => exchange.close()).then(() => ecmsPolling?.close()).then(() => letterPool().close()).then(() => notifications.close()).then(() => ctx.db.close()).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
