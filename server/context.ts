// What the app is built from: configuration, the database and the token settings.
import type { Config } from './config';
import type { Database } from './db';
import type { TokenSettings } from './modules/auth/tokens';

export interface AppContext {
  config: Config;
  db: Database;
  tokens: TokenSettings;
}
