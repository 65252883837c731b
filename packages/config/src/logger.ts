import { type Logger, type LoggerOptions, pino } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from './load-config.js';

export type { Logger } from 'pino';

/** Keys whose values never reach a log line, at any of the first four levels of nesting. */
const SECRET_KEYS = [
  'password',
  'secret',
  'enableSecret',
  'privateKey',
  'passphrase',
  'token',
  'secretKey',
  'authorization',
  'cookie',
];

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of SECRET_KEYS) {
    for (let depth = 0; depth < 4; depth++) paths.push([...Array<string>(depth).fill('*'), key].join('.'));
  }
  // Fastify's request serializer puts headers under req.headers.
  paths.push('req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie');
  return paths;
}

export type LoggerFactoryOptions = {
  level?: LogLevel;
  /** Component name, e.g. `api` or `worker`. */
  name?: string;
  /** Pretty output; defaults to whether stdout is a terminal (never decided by NODE_ENV). */
  pretty?: boolean;
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
};

export function createLogger(options: LoggerFactoryOptions = {}): Logger {
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: redactPaths(), censor: '[redacted]' },
  };
  if (options.name !== undefined) config.name = options.name;
  const destination = options.destination ?? process.stdout;
  const usePretty = options.pretty ?? process.stdout.isTTY === true;
  if (usePretty) {
    return pino(config, pretty({ colorize: process.stdout.isTTY === true, destination }));
  }
  return pino(config, destination);
}
