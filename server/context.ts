// What the app is built from: configuration, the database and the token settings.
import type { Config } from './config';
import type { Database } from './db';
import type { TokenSettings } from './modules/auth/tokens';
import type { WorkflowRuntime } from './modules/workflow/runtime';
import type { JobScheduler } from './modules/workflow/scheduler';
import type { EcmsServerOptions } from './modules/exchange/ecms/server';

export interface AppContext {
  config: Config;
  db: Database;
  tokens: TokenSettings;
  runtime: WorkflowRuntime;
  /** Started by serve.ts; tests run due jobs themselves. */
  scheduler?: JobScheduler;
  /** Set (serve.ts, when ECMS_ENABLED=true): the ECMS SOAP endpoint is served at ECMS_PATH. */
  ecms?: EcmsServerOptions;
}
