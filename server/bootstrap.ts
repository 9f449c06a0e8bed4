// From configuration to a ready context: connect, migrate, seed code lists (and the demo
// organisation when the database is empty), resolve the signing secret.
import type { Config } from './config';
import type { AppContext } from './context';
import { createDatabase, migrate, seed } from './db';
import { Organisation } from './db/models';
import { resolveJwtSecret } from './lib/secrets';
import { WorkflowRuntime } from './modules/workflow/runtime';
import { watchActorSources } from './modules/auth/actor';
import { deployShippedProcesses } from './modules/workflow/definitions';
import { seedDemoDeliveries } from './modules/deliveries/demo';
import { configureKeySecret, ensureExchangeIdentity } from './modules/exchange/identity';

export async function prepare(config: Config, options: { log?: (line: string) => void } = {}): Promise<AppContext & { seededDemo: boolean }> {
  const log = options.log ?? (() => {});
  const db = createDatabase(config.databaseUrl, { pool: config.dbPool });
  watchActorSources();
  await db.sequelize.authenticate();
  const migrated = await migrate(db);
  if (migrated.length) log(`applied ${migrated.length} migration(s)`);
  const empty = (await Organisation.count()) === 0;
  const seeded = await seed(db, { demo: config.seedDemo && empty });
  if (seeded.length) log(`seeded: ${seeded.join(', ')}`);
  const secret = await resolveJwtSecret(config.jwtSecret);
  // The exchange identity: its key is encrypted under EXCHANGE_KEY_SECRET; generated at first start.
  configureKeySecret(config.exchange.keySecret, config.dataDir, log);
  await ensureExchangeIdentity();
  const shipped = await deployShippedProcesses(db);
  if (shipped.length) log(`deployed processes: ${shipped.join(', ')}`);
  const ctx = {
    config,
    db,
    tokens: { secret, accessTokenTtlSeconds: config.accessTokenTtlSeconds, refreshTokenTtlSeconds: config.refreshTokenTtlSeconds },
    runtime: new WorkflowRuntime(db, { cacheSize: config.engineCacheSize, dataDir: config.dataDir }),
    seededDemo: seeded.some((name) => name.includes('demo')),
  };
  // The demo's letters between its offices go through the real services, so after the processes are deployed.
  if (ctx.seededDemo) await seedDemoDeliveries(ctx);
  return ctx;
}
