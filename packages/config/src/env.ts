import Type, { type Static } from 'typebox';

/**
 * Every environment variable tunnelwatch reads, in one place. The README's configuration table is this
 * schema: keep each `description` short, it is what `loadConfig()` prints when a value is wrong.
 * Absent optional variables stay `undefined`; defaults are applied before validation.
 */
export const EnvSchema = Type.Object({
  HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'address the API listens on' }),
  PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 8080,
    description: 'TCP port of the API (0-65535)',
  }),
  LOG_LEVEL: Type.Union(
    [
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ],
    { default: 'info', description: 'one of fatal, error, warn, info, debug, trace, silent' },
  ),
  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: '^postgres(ql)?://',
      description: 'a postgresql:// URL; unset runs an embedded PostgreSQL under TUNNELWATCH_DATA_DIR',
    }),
  ),
  REDIS_URL: Type.String({
    pattern: '^rediss?://',
    default: 'redis://127.0.0.1:6379',
    description: 'a redis:// or rediss:// URL',
  }),
  TUNNELWATCH_DATA_DIR: Type.String({
    minLength: 1,
    default: './.tunnelwatch',
    description: 'folder for the embedded PostgreSQL and other local state',
  }),
  TUNNELWATCH_SECRET_KEY: Type.Optional(
    Type.String({
      pattern: '^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$',
      description: 'the 32-byte key that encrypts credentials, as 64 hex digits or 44 base64 characters',
    }),
  ),
  POLL_INTERVAL_SECONDS: Type.Integer({
    minimum: 10,
    maximum: 86400,
    default: 60,
    description: 'default seconds between two polls of a router (10-86400)',
  }),
  WORKER_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 10000,
    default: 100,
    description: 'polls one worker process runs at once (1-10000)',
  }),
  MAX_CONCURRENT_LOGINS: Type.Integer({
    minimum: 1,
    maximum: 10000,
    default: 200,
    description: 'SSH logins in flight across all workers (1-10000)',
  }),
  SSH_CONNECT_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    default: 10000,
    description: 'milliseconds for TCP connect plus SSH handshake and login',
  }),
  SSH_COMMAND_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    default: 30000,
    description: 'milliseconds one command may take to return to the prompt',
  }),
  SSH_SESSION_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    default: 120000,
    description: 'milliseconds a whole poll session may take',
  }),
  SSH_KEEP_SESSIONS: Type.Boolean({
    default: true,
    description:
      "true keeps each router's SSH session open between polls (one VTY line per router and worker); false logs in for every poll",
  }),
  SSH_SESSION_MAX_AGE_SECONDS: Type.Integer({
    minimum: 60,
    maximum: 86400,
    default: 3600,
    description:
      'seconds a kept session is used before a fresh login re-checks credential and host key (60-86400)',
  }),
  RETENTION_DAYS: Type.Integer({
    minimum: 1,
    maximum: 3650,
    default: 7,
    description:
      'days polls, events and raw outputs are kept; unconfigured tunnels down this long are forgotten',
  }),
  METRICS_PUBLIC: Type.Boolean({
    default: false,
    description: 'true leaves /metrics and /sd open without a token (/health is always open)',
  }),
  REMEDIATION_ENABLED: Type.Boolean({
    default: false,
    description: 'true allows clear crypto sa / clear crypto isakmp through the API (operate scope)',
  }),
});

export type Env = Static<typeof EnvSchema>;
