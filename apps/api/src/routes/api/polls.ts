import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { notFound } from '../../errors.js';
import { AUTH_ERRORS, ErrorSchema, IdParams, Page } from '../../schemas/common.js';
import { PollListQuery, PollSchema } from '../../schemas/tunnels.js';

const tags = ['polls'];

/** Poll attempts with their outcome and failure reason, newest first. */
const polls: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/polls',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'List polls, newest first, with filters',
        querystring: PollListQuery,
        response: { 200: Page(PollSchema), 400: ErrorSchema, ...AUTH_ERRORS },
      },
    },
    async (request) => {
      const { router, reason, since, until, ...rest } = request.query;
      return fastify.repos.polls.list({
        ...rest,
        ...(router !== undefined ? { routerName: router } : {}),
        ...(reason !== undefined ? { failureReason: reason } : {}),
        ...(since !== undefined ? { since: new Date(since) } : {}),
        ...(until !== undefined ? { until: new Date(until) } : {}),
      });
    },
  );

  fastify.get(
    '/polls/:id',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'One poll',
        params: IdParams,
        response: { 200: PollSchema, 400: ErrorSchema, 404: ErrorSchema, ...AUTH_ERRORS },
      },
    },
    async (request) => {
      const poll = await fastify.repos.polls.get(request.params.id);
      if (!poll) throw notFound(`poll ${request.params.id}`);
      return poll;
    },
  );
};

export default polls;
