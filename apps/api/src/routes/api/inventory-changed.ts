import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * After the API changed the inventory: tells every worker to re-sync its poll schedulers now (the message body is
 * ignored) and brings this process's /metrics snapshot and /sd up to date before the response leaves. Other API
 * processes follow through the same publication. A Redis hiccup costs only promptness (workers re-sync
 * periodically), never the change itself, so it is logged, not thrown.
 */
export async function inventoryChanged(
  fastify: FastifyInstance,
  channel: string,
  changedRouterId: string | null,
): Promise<void> {
  await fastify.redis
    .publish(channel, '')
    .catch((err: unknown) => fastify.log.warn({ err }, 'could not announce the inventory change'));
  await (changedRouterId === null ? fastify.syncInventory() : fastify.refreshRouter(changedRouterId));
}

/** Who did it, for the audit log: the token's name. */
export function actorOf(request: FastifyRequest): string {
  return request.principal?.name ?? 'anonymous';
}
