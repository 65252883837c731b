import type { ActionKind, ApiRepositories } from '@tunnelwatch/db';
import { auditActionOf } from '@tunnelwatch/db';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A remediation route: every request to it is written to the audit log, refused ones included. */
    remediation?: ActionKind;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Router and peer a remediation request was about, as far as they can be known from the URL. */
type Target = { routerId: string | null; target: string | null; detail: Record<string, unknown> };

async function targetOf(repos: ApiRepositories, kind: ActionKind, request: FastifyRequest): Promise<Target> {
  const params = (request.params ?? {}) as { id?: unknown; name?: unknown };
  if (kind === 'clear_crypto_sa') {
    const id = typeof params.id === 'string' ? params.id : '';
    const tunnel = UUID.test(id) ? await repos.tunnels.get(id) : null;
    if (!tunnel) return { routerId: null, target: null, detail: { tunnelId: id.slice(0, 100) } };
    return {
      routerId: tunnel.routerId,
      target: tunnel.peer,
      detail: { tunnelId: tunnel.id, router: tunnel.routerName, peer: tunnel.peer, fvrf: tunnel.fvrf },
    };
  }
  const name = typeof params.name === 'string' ? params.name.slice(0, 200) : '';
  const router = name === '' ? null : await repos.routers.getByName(name);
  return { routerId: router?.id ?? null, target: name, detail: { router: name } };
}

/** The token's name also when the request was refused for its scope (the auth hook sets no principal then). */
async function actorOf(repos: ApiRepositories, request: FastifyRequest): Promise<string | null> {
  if (request.principal) return request.principal.name;
  const match = /^Bearer +(\S{1,100})$/i.exec(request.headers.authorization ?? '');
  if (!match?.[1]) return null;
  return (await repos.apiTokens.verify(match[1]))?.name ?? null;
}

/**
 * Writes the audit row of a refused remediation request: who (token name, or `unauthenticated`), router, peer,
 * the status and the reason. Accepted requests are audited by the actions repository together with the action.
 * Requests the failed-authentication limiter turned away are not written: they carry no identity, and an
 * audit row each would let anyone fill the table at the rate they can send.
 */
export async function auditRefusal(
  repos: ApiRepositories,
  log: FastifyBaseLogger,
  request: FastifyRequest,
  kind: ActionKind,
  refusal: { status: number; message: string },
): Promise<void> {
  try {
    const actor = await actorOf(repos, request);
    if (actor === null && refusal.status === 429) return;
    const target = await targetOf(repos, kind, request);
    await repos.auditLog.record({
      actor: actor ?? 'unauthenticated',
      action: auditActionOf(kind),
      routerId: target.routerId,
      target: target.target,
      detail: {
        outcome: 'refused',
        status: refusal.status,
        message: refusal.message,
        ip: request.ip,
        ...target.detail,
      },
    });
  } catch (err) {
    log.error({ err, kind }, 'could not write the audit row of a refused remediation request');
  }
}
