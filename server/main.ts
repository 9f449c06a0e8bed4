// The server: config → migrate → seed if empty → listen → live updates and e-mail.
import http from 'node:http';
import { loadConfig } from './config';
import { prepare } from './bootstrap';
import { createApp } from './app';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../seeders/20261123000200-demo-organisation';
import { Organisation, User } from './db/models';
import { startNotifications } from './modules/notify';

async function main(): Promise<void> {
  const config = loadConfig();
  const ctx = await prepare(config, { log: (line) => console.log(`[saraban] ${line}`) });
  const app = createApp(ctx);
  const server = http.createServer(app);
  const log = (line: string) => console.log(`[saraban] ${line}`);
  const notifications = await startNotifications(server, ctx, log);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.port, config.host, resolve));

  // Counted before printing, so that the banner and the logins come out together.
  const demoUsers = await User.count({ where: { username: DEMO_LOGINS.map((l) => l.username) } });
  const orgs = demoUsers > 0 ? await Organisation.count() : 0;
  const where = ctx.db.dialect === 'sqlite' ? config.databaseUrl.replace(/^sqlite:/, 'SQLite file ') : 'MariaDB/MySQL';
  console.log(`\nSaraban ระบบสารบรรณอิเล็กทรอนิกส์ is running at ${config.publicUrl}`);
  console.log(`  API: ${config.publicUrl}/api   docs: ${config.publicUrl}/api/docs   database: ${where}`);
  console.log(`  live updates: Socket.io${config.redisUrl ? ' across processes through Redis' : ' (one process; set REDIS_URL for many)'}   e-mail: ${config.smtpUrl ? 'SMTP' : 'queued, not sent (set SMTP_URL)'}`);
  if (demoUsers > 0) {
    console.log(`\nDemo organisation (${orgs} organisations). Demo logins, password "${DEMO_PASSWORD}" unless changed:`);
    for (const l of DEMO_LOGINS) console.log(`  ${l.username.padEnd(12)} ${l.roleTh} (${l.roleEn})`);
    console.log('  Demo accounts have a known password: start with SEED_DEMO=false on an empty production database.');
    console.log(`\nTry: curl -s -X POST ${config.publicUrl}/api/auth/login -H 'content-type: application/json' -d '{"username":"clerk","password":"${DEMO_PASSWORD}"}'`);
  }

  const stop = (signal: string) => {
    console.log(`[saraban] ${signal}: closing`);
    // Closing Socket.io closes the HTTP server too.
    void notifications.close().then(() => ctx.db.close()).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error('[saraban] failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
