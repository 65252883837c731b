import Value from 'typebox/value';
import { type Env, EnvSchema } from './env.js';

export type LogLevel = Env['LOG_LEVEL'];

/** The validated settings, named for the code that uses them. Built once at start and passed down. */
export type Config = {
  host: string;
  port: number;
  logLevel: LogLevel;
  /** `null`: run the embedded PostgreSQL. */
  databaseUrl: string | null;
  redisUrl: string;
  dataDir: string;
  /** The 32-byte credential key, or `null` when unset (the store then refuses to encrypt). */
  secretKey: Buffer | null;
  pollIntervalSeconds: number;
  workerConcurrency: number;
  maxConcurrentLogins: number;
  ssh: {
    connectTimeoutMs: number;
    commandTimeoutMs: number;
    sessionTimeoutMs: number;
    /** Keep each router's session open between polls (apps/worker SessionPool). */
    keepSessions: boolean;
    sessionMaxAgeSeconds: number;
  };
  retentionDays: number;
  metricsPublic: boolean;
  remediationEnabled: boolean;
};

/** Thrown by `loadConfig()`; its message names every bad variable and what it expects. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
  }
}

/**
 * Reads and validates the environment. Unknown variables are ignored; empty strings count as unset so that
 * `FOO=` in a compose file means "use the default".
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') raw[key] = value.trim();
  }
  const converted = Value.Convert(EnvSchema, Value.Default(EnvSchema, { ...raw }));
  // Each variable is checked on its own: one bad value must not hide the next (the error iterator stops early).
  const problems: { variable: string; message: string }[] = [];
  for (const [variable, schema] of Object.entries(EnvSchema.properties)) {
    const value = (converted as Record<string, unknown>)[variable];
    if (value === undefined && !(EnvSchema.required as readonly string[]).includes(variable)) continue;
    if (Value.Check(schema, value)) continue;
    const { description } = schema as { description?: string };
    problems.push({ variable, message: `expected ${description}, got ${JSON.stringify(raw[variable])}` });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const e = converted as Env;
  return {
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL,
    dataDir: e.TUNNELWATCH_DATA_DIR,
    secretKey: e.TUNNELWATCH_SECRET_KEY ? decodeKey(e.TUNNELWATCH_SECRET_KEY) : null,
    pollIntervalSeconds: e.POLL_INTERVAL_SECONDS,
    workerConcurrency: e.WORKER_CONCURRENCY,
    maxConcurrentLogins: e.MAX_CONCURRENT_LOGINS,
    ssh: {
      connectTimeoutMs: e.SSH_CONNECT_TIMEOUT_MS,
      commandTimeoutMs: e.SSH_COMMAND_TIMEOUT_MS,
      sessionTimeoutMs: e.SSH_SESSION_TIMEOUT_MS,
      keepSessions: e.SSH_KEEP_SESSIONS,
      sessionMaxAgeSeconds: e.SSH_SESSION_MAX_AGE_SECONDS,
    },
    retentionDays: e.RETENTION_DAYS,
    metricsPublic: e.METRICS_PUBLIC,
    remediationEnabled: e.REMEDIATION_ENABLED,
  };
}

/** A 32-byte key from 64 hex digits or 44 base64 characters (the schema has checked the shape). */
export function decodeKey(text: string): Buffer {
  return text.length === 64 ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
}
