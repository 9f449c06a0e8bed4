// The server: config → migrate → seed if empty → listen.
import http from 'node:http';
import { loadConfig } from './config';
import { prepare } from './bootstrap';
import { createApp } from './app';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../seeders/20261123000200-demo-organisation';
import { Organisation, User } from './db/models';

async function main(): Promise<void> {
  const config = loadConfig();
  const ctx = await prepare(config, { log: (line) => console.log(`[saraban] ${line}`) });
  const app = createApp(ctx);
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.port, config.host, resolve));

  const where = ctx.db.dialect === 'sqlite' ? config.databaseUrl.replace(/^sqlite:/, 'SQLite file ') : 'MariaDB/MySQL';
  // Counted before printing, so the banner and the logins come out together (tests and
  // scripts that wait for "is running at" then find the whole block).
  const demoUsers = await User.count({ where: { username: DEMO_LOGINS.map((l) => l.username) } });
  const orgs = demoUsers > 0 ? await Organisation.count() : 0;
  console.log(`\nSaraban ระบบสารบรรณอิเล็กทรอนิกส์ is running at ${config.publicUrl}`);
  console.log(`  API: ${config.publicUrl}/api   docs: ${config.publicUrl}/api/docs   database: ${where}`);
  if (demoUsers > 0) {
    console.log(`\nDemo organisation (${orgs} organisations). Demo logins, password "${DEMO_PASSWORD}" unless changed:`);
    for (const l of DEMO_LOGINS) console.log(`  ${l.username.padEnd(12)} ${l.roleTh} (${l.roleEn})`);
    console.log('  Demo accounts have a known password: start with SEED_DEMO=false on an empty production database.');
    console.log(`\nTry: curl -s -X POST ${config.publicUrl}/api/auth/login -H 'content-type: application/json' -d '{"username":"clerk","password":"${DEMO_PASSWORD}"}'`);
  }

  const stop = (signal: string) => {
    console.log(`[saraban] ${signal}: closing`);
    server.close(() => void ctx.db.close().then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error('[saraban] failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
