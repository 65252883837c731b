import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { notFound } from '../../errors.js';
import { AUTH_ERRORS, ErrorSchema, IdParams, Page } from '../../schemas/common.js';
import { TunnelDetailSchema, TunnelListQuery, TunnelSchema } from '../../schemas/tunnels.js';

const tags = ['tunnels'];

/** Tunnels as of each router's last successful poll (DESIGN.md §5). */
const tunnels: FastifyPluginAsyncTypebox = async (fastify) => {
  const repo = fastify.repos.tunnels;

  fastify.get(
    '/tunnels',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'List tunnels (by router, peer, VRF) with filters',
        querystring: TunnelListQuery,
        response: { 200: Page(TunnelSchema), 400: ErrorSchema, ...AUTH_ERRORS },
      },
    },
    async (request) => {
      const { router, vrf, expiringWithin, ...rest } = request.query;
      return repo.list({
        ...rest,
        ...(router !== undefined ? { routerName: router } : {}),
        ...(vrf !== undefined ? { vrf } : {}),
        ...(expiringWithin !== undefined ? { expiringWithinSeconds: expiringWithin } : {}),
      });
    },
  );

  fastify.get(
    '/tunnels/:id',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'One tunnel with its flows, their SAs, and its recent events',
        params: IdParams,
        response: { 200: TunnelDetailSchema, 400: ErrorSchema, 404: ErrorSchema, ...AUTH_ERRORS },
      },
    },
    async (request) => {
      const tunnel = await repo.get(request.params.id);
      if (!tunnel) throw notFound(`tunnel ${request.params.id}`);
      return tunnel;
    },
  );
};

export default tunnels;
