import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import credentials from './credentials.js';
import events from './events.js';
import polls from './polls.js';
import routers from './routers.js';
import tunnels from './tunnels.js';

export type ApiV1Options = { inventoryChangedChannel: string; secretKey: Buffer | null };

/** REST `/api/v1` (DESIGN.md §7). */
const apiV1: FastifyPluginAsyncTypebox<ApiV1Options> = async (fastify, options) => {
  await fastify.register(routers, {
    inventoryChangedChannel: options.inventoryChangedChannel,
    secretKey: options.secretKey,
  });
  await fastify.register(credentials);
  await fastify.register(tunnels);
  await fastify.register(events);
  await fastify.register(polls);
};

export default apiV1;
