// Runtime configuration from environment variables, each with a working default.
import os from 'node:os';
import { dataDir, databaseUrl } from '../config/database';

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string;
  dataDir: string;
  jwtSecret?: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  loginRateLimit: { max: number; windowMs: number };
  bodyLimit: string;
  /** Largest attachment accepted, in bytes (ATTACHMENT_MAX_BYTES, 50 MB by default). */
  attachmentMaxBytes: number;
  seedDemo: boolean;
  logRequests: boolean;
  /** Hydrated engines kept in memory (each ~0.6–2 MB); waiting instances live in the database. */
  engineCacheSize: number;
  jobPollMs: number;
  /** Server processes on this machine sharing the port (node:cluster); 0: one per CPU core. MariaDB only. */
  serverProcesses: number;
  /** MariaDB/MySQL connections per server process (DB_POOL_MAX) and how long a request waits for one (DB_POOL_ACQUIRE_MS). */
  dbPool: { max: number; acquireMs: number };
  /** How often each open socket's session is re-checked (ms): a revoked one closes within this time at most. */
  socketSessionCheckMs: number;
  /** Set: Socket.io fans out across processes through Redis (@socket.io/redis-adapter). */
  redisUrl?: string;
  /** Set: e-mail goes out through this SMTP server; unset: mail is queued and logged as not sent. */
  smtpUrl?: string;
  mailFrom: string;
  /** Minutes between digests of group assignments. */
  mailDigestMinutes: number;
  /** Safety-net poll of the outbox for live updates (ms); commits nudge delivery at once. */
  outboxPollMs: number;
  /** Days delivered outbox events are kept (reconnecting browsers replay from them). */
  outboxKeepDays: number;
  /** Requests per address to the confirmation links of e-mailed letters (CONFIRM_RATE_LIMIT per CONFIRM_RATE_WINDOW_MS). */
  confirmRateLimit: { max: number; windowMs: number };
  /** The citizens' channel (issue 18): proof of work, limits per address and per national ID, files. */
  citizens: {
    /** ALTCHA PBKDF2/SHA-256 iterations per try, and the range the secret counter is drawn from (a browser tries up to it). */
    powCost: number; powCounterMin: number; powCounterMax: number; powTtlSeconds: number;
    submitPerAddress: { max: number; windowMs: number };
    trackPerAddress: { max: number; windowMs: number };
    /** Submissions one national ID number may make in 24 hours. */
    perIdPerDay: number;
    fileMaxBytes: number; maxFiles: number;
    /** Days a request rejected from the tray keeps the citizen's personal data (the reason stays readable that long). */
    rejectedKeepDays: number;
  };
  /** The exchange with agencies elsewhere (issue 15): EXCHANGE_* variables, see README. */
  exchange: ExchangeConfig;
}

export interface ExchangeConfig {
  /** Encrypts the exchange private key at rest (EXCHANGE_KEY_SECRET, ≥ 32 characters); unset: a key file under DATA_DIR. */
  keySecret?: string;
  maxBytes: number;
  rateLimit: number;
  rateWindowMs: number;
  clockSkewMs: number;
  maxAgeMs: number;
  pollMs: number;
  backoffMs: number;
  maxBackoffMs: number;
  giveUpMs: number;
  concurrency: number;
  leaseMs: number;
}

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/**
 * A command holds one connection (all its queries use its transaction), so a pool of 20 keeps two
 * cores busy; more only queues on row locks inside MariaDB. The processes of one machine share
 * MariaDB's max_connections (151 by default): together they stay under 120 unless told otherwise.
 */
function defaultPoolMax(serverProcesses: number): number {
  const processes = serverProcesses === 0 ? os.availableParallelism() : Math.max(1, serverProcesses);
  return Math.max(5, Math.min(20, Math.floor(120 / processes)));
}

export function loadConfig(overrides: Partial<Config> = {}): Config {
  const port = int('PORT', 3000);
  const config: Config = {
    port,
    host: process.env.HOST ?? '0.0.0.0',
    publicUrl: process.env.PUBLIC_URL ?? `http://localhost:${port}`,
    databaseUrl: databaseUrl(),
    dataDir: dataDir(),
    jwtSecret: process.env.JWT_SECRET || undefined,
    accessTokenTtlSeconds: int('ACCESS_TOKEN_TTL', 15 * 60),
    refreshTokenTtlSeconds: int('REFRESH_TOKEN_TTL', 30 * 24 * 3600),
    loginRateLimit: { max: int('LOGIN_RATE_LIMIT', 5), windowMs: int('LOGIN_RATE_WINDOW_MS', 15 * 60 * 1000) },
    bodyLimit: process.env.BODY_LIMIT ?? '1mb',
    attachmentMaxBytes: int('ATTACHMENT_MAX_BYTES', 50 * 1024 * 1024),
    seedDemo: process.env.SEED_DEMO !== 'false',
    logRequests: process.env.LOG_REQUESTS === 'true',
    engineCacheSize: int('WORKFLOW_ENGINE_CACHE', 64),
    jobPollMs: int('WORKFLOW_JOB_POLL_MS', 1000),
    serverProcesses: int('SERVER_PROCESSES', 1),
    dbPool: { max: int('DB_POOL_MAX', defaultPoolMax(int('SERVER_PROCESSES', 1))), acquireMs: int('DB_POOL_ACQUIRE_MS', 30_000) },
    socketSessionCheckMs: int('SOCKET_SESSION_CHECK_MS', 2000),
    redisUrl: process.env.REDIS_URL || undefined,
    smtpUrl: process.env.SMTP_URL || undefined,
    mailFrom: process.env.MAIL_FROM || 'Saraban <saraban@localhost>',
    mailDigestMinutes: int('MAIL_DIGEST_MINUTES', 60),
    outboxPollMs: int('OUTBOX_POLL_MS', 1000),
    outboxKeepDays: int('OUTBOX_KEEP_DAYS', 7),
    confirmRateLimit: { max: int('CONFIRM_RATE_LIMIT', 60), windowMs: int('CONFIRM_RATE_WINDOW_MS', 15 * 60 * 1000) },
    citizens: {
      powCost: int('ALTCHA_COST', 1000), powCounterMin: int('ALTCHA_COUNTER_MIN', 2000), powCounterMax: int('ALTCHA_COUNTER_MAX', 5000), powTtlSeconds: int('ALTCHA_TTL_SECONDS', 600),
      submitPerAddress: { max: int('CITIZEN_SUBMIT_LIMIT', 10), windowMs: int('CITIZEN_SUBMIT_WINDOW_MS', 60 * 60 * 1000) },
      trackPerAddress: { max: int('CITIZEN_TRACK_LIMIT', 60), windowMs: int('CITIZEN_TRACK_WINDOW_MS', 15 * 60 * 1000) },
      perIdPerDay: int('CITIZEN_PER_ID_PER_DAY', 5),
      fileMaxBytes: int('CITIZEN_FILE_MAX_BYTES', 10 * 1024 * 1024), maxFiles: int('CITIZEN_MAX_FILES', 5),
      rejectedKeepDays: int('CITIZEN_REJECTED_KEEP_DAYS', 90),
    },
    exchange: {
      keySecret: process.env.EXCHANGE_KEY_SECRET || undefined,
      // Files travel base64 inside the envelope (4/3 of their size) with the letter's fields.
      maxBytes: int('EXCHANGE_MAX_BYTES', Math.ceil(int('ATTACHMENT_MAX_BYTES', 50 * 1024 * 1024) * 1.4) + 1024 * 1024),
      rateLimit: int('EXCHANGE_RATE_LIMIT', 600),
      rateWindowMs: int('EXCHANGE_RATE_WINDOW_MS', 60_000),
      clockSkewMs: int('EXCHANGE_CLOCK_SKEW_MS', 5 * 60_000),
      maxAgeMs: int('EXCHANGE_MAX_AGE_MS', 15 * 60_000),
      pollMs: int('EXCHANGE_POLL_MS', 2000),
      backoffMs: int('EXCHANGE_BACKOFF_MS', 30_000),
      maxBackoffMs: int('EXCHANGE_MAX_BACKOFF_MS', 3_600_000),
      giveUpMs: int('EXCHANGE_GIVE_UP_MINUTES', 72 * 60) * 60_000,
      concurrency: Math.max(1, int('EXCHANGE_CONCURRENCY', 8)),
      leaseMs: int('EXCHANGE_LEASE_MS', 120_000),
    },
  };
  return { ...config, ...overrides };
}
