// What the app is built from: configuration, the database and the token settings.
import type { Config } from './config';
import type { Database } from './db';
import type { TokenSettings } from './modules/auth/tokens';
import type { WorkflowRuntime } from './modules/workflow/runtime';
import type { JobScheduler } from './modules/workflow/scheduler';

export interface AppContext {
  config: Config;
  db: Database;
  tokens: TokenSettings;
  runtime: WorkflowRuntime;
  /** Started by serve.ts; tests run due jobs themselves. */
  scheduler?: JobScheduler;
}
