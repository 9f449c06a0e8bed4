// The server: config → migrate → seed if empty → listen → sockets and mail → job scheduler.
import http from 'node:http';
import { loadConfig } from './config';
import { prepare } from './bootstrap';
import { createApp } from './app';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../seeders/20261123000200-demo-organisation';
import { Organisation, User } from './db/models';
import { JobScheduler } from './modules/workflow/scheduler';
import { startNotifications } from './modules/notify';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = (line: string) => console.log(`[saraban] ${line}`);
  const ctx = await prepare(config, { log });
  ctx.scheduler = new JobScheduler(ctx.db, ctx.runtime, { pollMs: config.jobPollMs });
  const app = createApp(ctx);
  const server = http.createServer(app);
  const notifications = await startNotifications(server, ctx, log);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.port, config.host, resolve));
  ctx.scheduler.start();

  const where = ctx.db.dialect === 'sqlite' ? config.databaseUrl.replace(/^sqlite:/, 'SQLite file ') : 'MariaDB/MySQL';
  const lines = [
    `\nSaraban ระบบสารบรรณอิเล็กทรอนิกส์ is running at ${config.publicUrl}`,
    `  API: ${config.publicUrl}/api   docs: ${config.publicUrl}/api/docs   database: ${where}`,
    `  live updates: Socket.io${config.redisUrl ? ' across processes through Redis' : ' (one process; set REDIS_URL for many)'}   e-mail: ${config.smtpUrl ? 'SMTP' : 'queued, not sent (set SMTP_URL)'}`,
  ];
  const demoUsers = await User.count({ where: { username: DEMO_LOGINS.map((l) => l.username) } });
  if (demoUsers > 0) {
    const orgs = await Organisation.count();
    lines.push(`\nDemo organisation (${orgs} organisations). Demo logins, password "${DEMO_PASSWORD}" unless changed:`);
    for (const l of DEMO_LOGINS) lines.push(`  ${l.username.padEnd(12)} ${l.roleTh} (${l.roleEn})`);
    lines.push('  Demo accounts have a known password: start with SEED_DEMO=false on an empty production database.');
    lines.push(`\nTry: curl -s -X POST ${config.publicUrl}/api/auth/login -H 'content-type: application/json' -d '{"username":"clerk","password":"${DEMO_PASSWORD}"}'`);
  }
  // One write, so whoever waits for "is running at" sees the whole banner.
  console.log(lines.join('\n'));

  const stop = (signal: string) => {
    log(`${signal}: closing`);
    // Closing Socket.io closes the HTTP server too.
    void ctx.scheduler!.stop().then(() => notifications.close()).then(() => ctx.db.close()).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error('[saraban] failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
