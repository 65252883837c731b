import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  type ActionKind,
  type ActionLimits,
  ActionRateLimitError,
  ActionsRepository,
  type ActionView,
  RouterBusyError,
  type RouterView,
} from '@tunnelwatch/db';
import { REMEDIATION_JOB_NAMES, REMEDIATION_JOB_OPTIONS } from '@tunnelwatch/model';
import { InvalidRemediationTargetError, remediationCommand } from '@tunnelwatch/ssh';
import { Queue } from 'bullmq';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { HttpError, notFound } from '../errors.js';
import { ActionSchema, ClearIsakmpBody, ClearSaBody, RemediationSettingsSchema } from '../schemas/actions.js';
import { AUTH_ERRORS, ErrorSchema, IdParams, NameParams } from '../schemas/common.js';
import { auditRefusal } from './actions-audit.js';

export type ActionsOptions = {
  /** REMEDIATION_ENABLED: false refuses every action (403) before anything is queued. */
  enabled: boolean;
  /** The worker's remediation queue (`remediation`); tests give each file its own. */
  queueName: string;
  queuePrefix?: string | undefined;
  limits: ActionLimits;
};

/** Three actions per router per 15 minutes; an action not finished after 10 minutes is taken as abandoned. */
export const DEFAULT_ACTION_LIMITS: ActionLimits = {
  maxPerWindow: 3,
  windowMs: 15 * 60_000,
  staleAfterMs: 10 * 60_000,
};

const tags = ['remediation'];
const REFUSALS = { 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 422: ErrorSchema, 503: ErrorSchema };

/**
 * Remediation (docs/remediation.md): `clear crypto sa peer X` on one tunnel and `clear crypto isakmp` on one
 * router, queued for the worker and answered with an action id to follow. Registered as its own encapsulated
 * plugin so its audit hook sees only these routes.
 */
const actions: FastifyPluginAsyncTypebox<ActionsOptions> = async (fastify, options) => {
  const repo = new ActionsRepository(fastify.db);
  const queue = new Queue(options.queueName, {
    connection: fastify.redis,
    ...(options.queuePrefix ? { prefix: options.queuePrefix } : {}),
  });
  queue.on('error', (err) => fastify.log.warn({ err }, 'remediation queue error'));
  fastify.addHook('onClose', () => queue.close());

  // Requests whose audit row the repository wrote with the action (accepted, even if queueing failed later).
  const auditedWithAction = new WeakSet<FastifyRequest>();
  fastify.addHook('onError', async (request, _reply, error) => {
    const kind = request.routeOptions.config.remediation;
    if (kind === undefined || auditedWithAction.has(request)) return;
    const code = (error as { statusCode?: number }).statusCode;
    const status = code !== undefined && code >= 400 && code < 600 ? code : 500;
    await auditRefusal(fastify.repos, request.log, request, kind, {
      status,
      message: status < 500 ? error.message : 'internal error',
    });
  });

  const requireEnabled = () => {
    if (!options.enabled) {
      throw new HttpError(403, 'remediation is disabled on this server (REMEDIATION_ENABLED=false)');
    }
  };

  /** Routers that cannot take a command safely are refused before anything is queued. */
  const requireReady = (router: RouterView) => {
    if (!router.enabled) throw new HttpError(409, `router ${router.name} is disabled`);
    if (router.pendingHostKey !== null) {
      throw new HttpError(409, `router ${router.name} presented a new host key: accept it before any action`);
    }
    if (router.hostKey === null) {
      throw new HttpError(409, `router ${router.name} has no pinned host key yet: it must be polled first`);
    }
  };

  const commandFor = (kind: ActionKind, router: RouterView, peer?: string, fvrf?: string) => {
    try {
      return remediationCommand(kind, { platform: router.platform, peer: peer ?? null, fvrf: fvrf ?? null });
    } catch (err) {
      if (err instanceof InvalidRemediationTargetError) throw new HttpError(422, err.message);
      throw err;
    }
  };

  const submit = async (request: FastifyRequest, input: Parameters<ActionsRepository['create']>[0]) => {
    let action: ActionView;
    try {
      action = await repo.create(input, options.limits);
    } catch (err) {
      if (err instanceof RouterBusyError) throw new HttpError(409, err.message);
      if (err instanceof ActionRateLimitError) {
        throw new HttpError(429, err.message, { 'retry-after': String(err.retryAfterSeconds) });
      }
      throw err;
    }
    auditedWithAction.add(request);
    try {
      await queue.add(
        REMEDIATION_JOB_NAMES[action.kind],
        { actionId: action.id },
        {
          ...REMEDIATION_JOB_OPTIONS,
          jobId: action.id,
        },
      );
    } catch (err) {
      request.log.error({ err, actionId: action.id }, 'could not queue a remediation action');
      await repo.finish(action.id, { status: 'failed', error: 'could not be queued (Redis unavailable)' });
      throw new HttpError(503, 'the action could not be queued: try again later');
    }
    return action;
  };

  fastify.post(
    '/tunnels/:id/actions/clear-sa',
    {
      config: { scope: 'operate', remediation: 'clear_crypto_sa' },
      schema: {
        tags,
        summary: "Clear one tunnel's IPsec SAs (clear crypto sa peer X): they are re-negotiated",
        description:
          'IOS / IOS-XE: `clear crypto sa peer [vrf V] X`; ASA: `clear crypto ipsec sa peer X` (422 for an ASA tunnel with a front-door VRF: the ASA command has no VRF keyword).',
        params: IdParams,
        body: ClearSaBody,
        response: { 202: ActionSchema, ...REFUSALS, ...AUTH_ERRORS },
      },
      // The body is optional: a bare POST is the common case.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      requireEnabled();
      const tunnel = await fastify.repos.tunnels.get(request.params.id);
      if (!tunnel) throw notFound(`tunnel ${request.params.id}`);
      const router = await fastify.repos.routers.getByName(tunnel.routerName);
      if (!router) throw notFound(`router ${tunnel.routerName}`);
      requireReady(router);
      const command = commandFor('clear_crypto_sa', router, tunnel.peer, tunnel.fvrf);
      const action = await submit(request, {
        kind: 'clear_crypto_sa',
        routerId: router.id,
        routerName: router.name,
        tunnelId: tunnel.id,
        peer: tunnel.peer,
        fvrf: tunnel.fvrf,
        command,
        requestedBy: request.principal!.name,
        reason: request.body.reason ?? null,
      });
      return reply.code(202).header('location', `/api/v1/actions/${action.id}`).send(toBody(action));
    },
  );

  fastify.post(
    '/routers/:name/actions/clear-isakmp',
    {
      config: { scope: 'operate', remediation: 'clear_crypto_isakmp' },
      schema: {
        tags,
        summary: 'Clear every IKE SA of a router (clear crypto isakmp): every tunnel of it drops',
        description:
          'The body must confirm the router name exactly. 422 on ASA routers: they clear IKEv1 and IKEv2 SAs with separate commands, so no single command clears every IKE SA.',
        params: NameParams,
        body: ClearIsakmpBody,
        response: { 202: ActionSchema, ...REFUSALS, ...AUTH_ERRORS },
      },
    },
    async (request, reply) => {
      requireEnabled();
      const router = await fastify.repos.routers.getByName(request.params.name);
      if (!router) throw notFound(`router ${request.params.name}`);
      if (request.body.confirm !== router.name) {
        throw new HttpError(
          422,
          `body/confirm must be the router name exactly (${JSON.stringify(router.name)}): clear crypto isakmp drops every tunnel of the router`,
        );
      }
      requireReady(router);
      const command = commandFor('clear_crypto_isakmp', router);
      const action = await submit(request, {
        kind: 'clear_crypto_isakmp',
        routerId: router.id,
        routerName: router.name,
        command,
        requestedBy: request.principal!.name,
        reason: request.body.reason ?? null,
      });
      return reply.code(202).header('location', `/api/v1/actions/${action.id}`).send(toBody(action));
    },
  );

  fastify.get(
    '/actions/:id',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary:
          "A remediation action's outcome: queued, sent, succeeded or failed, with the router's output",
        params: IdParams,
        response: { 200: ActionSchema, 400: ErrorSchema, 404: ErrorSchema, ...AUTH_ERRORS },
      },
    },
    async (request) => {
      const action = await repo.get(request.params.id);
      if (!action) throw notFound(`action ${request.params.id}`);
      return toBody(action);
    },
  );

  fastify.get(
    '/routers/:name/actions',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: "A router's latest remediation actions, newest first",
        params: NameParams,
        response: {
          200: Type.Object({ items: Type.Array(ActionSchema) }),
          400: ErrorSchema,
          404: ErrorSchema,
          ...AUTH_ERRORS,
        },
      },
    },
    async (request) => {
      const router = await fastify.repos.routers.getByName(request.params.name);
      if (!router) throw notFound(`router ${request.params.name}`);
      return { items: (await repo.listForRouter(router.id)).map(toBody) };
    },
  );

  fastify.get(
    '/remediation',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'Whether remediation is enabled and this token may use it (the status page asks this)',
        response: { 200: RemediationSettingsSchema, ...AUTH_ERRORS },
      },
    },
    async (request) => ({
      enabled: options.enabled,
      canOperate: request.principal?.scopes.includes('operate') ?? false,
    }),
  );
};

function toBody(action: ActionView) {
  const { routerId: _routerId, routerName, ...rest } = action;
  return { ...rest, router: routerName };
}

export default actions;
