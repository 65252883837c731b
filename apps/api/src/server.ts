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
