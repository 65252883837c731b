import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config, Logger } from '@tunnelwatch/config';
import Fastify from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import app, { type ApiOptions } from './app.js';
import { frameworkErrors } from './errors.js';
import { validatorCompiler } from './validation.js';

export type ServerOptions = {
  /** The process logger (Fastify 5 `loggerInstance`); tests leave it out for a silent server. */
  logger?: Logger;
};

/** A Fastify instance with the API registered, not yet listening (tests `inject` into it). */
export function createApiServer(options: ApiOptions, server: ServerOptions = {}) {
  const fastify = Fastify({
    ...(server.logger ? { loggerInstance: server.logger } : { logger: false }),
    // Bulk imports of a few thousand routers fit; anything larger is refused with 413.
    bodyLimit: 5 * 1024 * 1024,
    requestTimeout: 60_000,
    frameworkErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();
  fastify.setValidatorCompiler(validatorCompiler);
  // fastify-plugin: the app's decorators and error handler apply to the root instance.
  fastify.register(fastifyPlugin(app), options);
  return fastify;
}

export type ApiServer = ReturnType<typeof createApiServer>;

export function apiOptionsFromConfig(config: Config): ApiOptions {
  if (config.databaseUrl === null) {
    throw new Error('DATABASE_URL is not set: the API needs a PostgreSQL URL (tunnelwatch start embeds one)');
  }
  return {
    databaseUrl: config.databaseUrl,
    redisUrl: config.redisUrl,
    metricsPublic: config.metricsPublic,
    secretKey: config.secretKey,
    remediationEnabled: config.remediationEnabled,
  };
}

/**
 * Runs the API as a process: listens on HOST:PORT and closes gracefully on SIGINT/SIGTERM (in-flight requests
 * finish, connections and the snapshot subscription close); a second signal, or 10 s, ends it at once.
 */
export async function runApiServer(config: Config, logger: Logger): Promise<ApiServer> {
  const fastify = createApiServer(apiOptionsFromConfig(config), { logger });
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 10 s: exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    fastify.close().then(
      () => {
        process.exitCode ??= 0;
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  fastify.addHook('onClose', async () => {
    process.off('SIGINT', shutdown);
    process.off('SIGTERM', shutdown);
  });
  await fastify.listen({ host: config.host, port: config.port });
  return fastify;
}
