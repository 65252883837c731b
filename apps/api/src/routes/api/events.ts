import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AUTH_ERRORS, ErrorSchema, Page } from '../../schemas/common.js';
import { EventListQuery, EventSchema } from '../../schemas/tunnels.js';

/** Tunnel events (state changes, rekeys, vanished peers, host-key changes), newest first. */
const events: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/events',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['events'],
        summary: 'List events, newest first, with filters',
        querystring: EventListQuery,
        response: { 200: Page(EventSchema), 400: ErrorSchema, ...AUTH_ERRORS },
      },
    },
    async (request) => {
      const { router, tunnel, since, until, ...rest } = request.query;
      return fastify.repos.events.list({
        ...rest,
        ...(router !== undefined ? { routerName: router } : {}),
        ...(tunnel !== undefined ? { tunnelId: tunnel } : {}),
        ...(since !== undefined ? { since: new Date(since) } : {}),
        ...(until !== undefined ? { until: new Date(until) } : {}),
      });
    },
  );
};

export default events;
