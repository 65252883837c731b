import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError } from '@tunnelwatch/db';
import { importInventory, parseInventory } from '@tunnelwatch/inventory';
import { JOB_NAMES } from '@tunnelwatch/model';
import Type from 'typebox';
import { HttpError, notFound } from '../../errors.js';
import { AUTH_ERRORS, ErrorSchema, NameParams, Page } from '../../schemas/common.js';
import {
  CreateRouterSchema,
  ImportSummarySchema,
  RawOutputSchema,
  RouterListQuery,
  RouterSchema,
  UpdateRouterSchema,
} from '../../schemas/routers.js';
import { actorOf, inventoryChanged } from './inventory-changed.js';

export type RoutersOptions = { inventoryChangedChannel: string; secretKey: Buffer | null };

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];
const CSV_TYPES = ['text/csv'];

/** A manual poll runs once: the next scheduled poll is the retry. */
const POLL_NOW_OPTIONS = {
  attempts: 1,
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 86_400, count: 10_000 },
};

const tags = ['routers'];

/** The router inventory (DESIGN.md §7): CRUD, bulk import, poll now, last raw outputs, host-key accept. */
const routers: FastifyPluginAsyncTypebox<RoutersOptions> = async (fastify, options) => {
  const repo = fastify.repos.routers;
  const channel = options.inventoryChangedChannel;
  fastify.addContentTypeParser([...YAML_TYPES, ...CSV_TYPES], { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );

  fastify.get(
    '/routers',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'List routers by name',
        querystring: RouterListQuery,
        response: { 200: Page(RouterSchema), 400: ErrorSchema, ...AUTH_ERRORS },
      },
    },
    async (request) => repo.list(request.query),
  );

  fastify.post(
    '/routers',
    {
      config: { scope: 'write' },
      schema: {
        tags,
        summary: 'Add a router',
        body: CreateRouterSchema,
        response: { 201: RouterSchema, 400: ErrorSchema, 409: ErrorSchema, ...AUTH_ERRORS },
      },
    },
    async (request, reply) => {
      const router = await repo.create(request.body).catch((err: unknown) => {
        // The only thing create can miss is the credential the body names.
        throw err instanceof NotFoundError ? new HttpError(400, `body/credentialName: ${err.message}`) : err;
      });
      await fastify.repos.auditLog.record({
        actor: actorOf(request),
        action: 'router.create',
        routerId: router.id,
        target: router.name,
      });
      await inventoryChanged(fastify, channel, router.id);
      return reply.code(201).send(router);
    },
  );

  fastify.post(
    '/routers/import',
    {
      config: { scope: 'write' },
      schema: {
        tags,
        summary: 'Add or update routers (and credentials) from a YAML or CSV inventory file',
        description:
          'Send the file as the body with Content-Type application/yaml or text/csv. Idempotent by name; ' +
          'routers not in the file are left alone. Bad rows are reported by line and field; good rows import.',
        body: Type.String({ minLength: 1 }),
        response: { 200: ImportSummarySchema, 400: ErrorSchema, 415: ErrorSchema, ...AUTH_ERRORS },
      },
    },
    async (request) => {
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      const format = YAML_TYPES.includes(type) ? 'yaml' : CSV_TYPES.includes(type) ? 'csv' : null;
      if (format === null) {
        throw new HttpError(415, 'send the inventory as application/yaml or text/csv');
      }
      const summary = await importInventory(
        fastify.db,
        options.secretKey,
        parseInventory(request.body, format),
      );
      await fastify.repos.auditLog.record({
        actor: actorOf(request),
        action: 'router.import',
        detail: { format, routers: summary.routers, credentials: summary.credentials },
      });
      await inventoryChanged(fastify, channel, null);
      return summary;
    },
  );

  fastify.get(
    '/routers/:name',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'One router',
        params: NameParams,
        response: { 200: RouterSchema, 400: ErrorSchema, 404: ErrorSchema, ...AUTH_ERRORS },
      },
    },
    async (request) => {
      const router = await repo.getByName(request.params.name);
      if (!router) throw notFound(`router ${request.params.name}`);
      return router;
    },
  );

  fastify.patch(
    '/routers/:name',
    {
      config: { scope: 'write' },
      schema: {
        tags,
        summary: 'Change some fields of a router',
        params: NameParams,
        body: UpdateRouterSchema,
        response: { 200: RouterSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, ...AUTH_ERRORS },
      },
    },
    async (request) => {
      const router = await repo.update(request.params.name, request.body);
      await fastify.repos.auditLog.record({
        actor: actorOf(request),
        action: 'router.update',
        routerId: router.id,
        target: router.name,
        detail: { fields: Object.keys(request.body) },
      });
      await inventoryChanged(fastify, channel, router.id);
      return router;
    },
  );

  fastify.delete(
    '/routers/:name',
    {
      config: { scope: 'write' },
      schema: {
        tags,
        summary: 'Remove a router with its polls, tunnels, events and raw outputs',
        params: NameParams,
        response: { 204: Type.Null(), 400: ErrorSchema, 404: ErrorSchema, ...AUTH_ERRORS },
      },
    },
    async (request, reply) => {
      const router = await repo.getByName(request.params.name);
      if (!router) throw notFound(`router ${request.params.name}`);
      await repo.delete(router.name);
      await fastify.repos.auditLog.record({
        actor: actorOf(request),
        action: 'router.delete',
        target: router.name,
      });
      await inventoryChanged(fastify, channel, router.id);
      return reply.code(204).send(null);
    },
  );

  fastify.post(
    '/routers/:name/poll',
    {
      config: { scope: 'operate' },
      schema: {
        tags,
        summary: 'Poll the router now (queued for the workers)',
        params: NameParams,
        response: {
          202: Type.Object({ jobId: Type.String() }),
          400: ErrorSchema,
          404: ErrorSchema,
          503: ErrorSchema,
          ...AUTH_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const router = await repo.getByName(request.params.name);
      if (!router) throw notFound(`router ${request.params.name}`);
      // The job carries the router id only: workers read credentials from Postgres, never from Redis.
      const job = await fastify.pollQueue
        .add(JOB_NAMES.routerPoll, { routerId: router.id }, POLL_NOW_OPTIONS)
        .catch((err) => {
          request.log.warn({ err }, 'could not queue a poll');
          throw new HttpError(503, 'the poll queue (Redis) is unavailable, try again shortly');
        });
      return reply.code(202).send({ jobId: String(job.id) });
    },
  );

  fastify.get(
    '/routers/:name/raw',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'The last output of each command on the router',
        params: NameParams,
        response: { 200: Type.Array(RawOutputSchema), 400: ErrorSchema, 404: ErrorSchema, ...AUTH_ERRORS },
      },
    },
    async (request) => {
      const router = await repo.getByName(request.params.name);
      if (!router) throw notFound(`router ${request.params.name}`);
      return fastify.repos.rawOutputs.listForRouter(router.id);
    },
  );

  fastify.post(
    '/routers/:name/host-key/accept',
    {
      config: { scope: 'operate' },
      schema: {
        tags,
        summary: 'Pin the changed host key the router presented (after checking it out of band)',
        params: NameParams,
        response: { 200: RouterSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, ...AUTH_ERRORS },
      },
    },
    async (request) => {
      const before = await repo.getByName(request.params.name);
      const router = await repo.acceptHostKey(request.params.name);
      await fastify.repos.auditLog.record({
        actor: actorOf(request),
        action: 'router.host-key.accept',
        routerId: router.id,
        target: router.name,
        detail: { previous: before?.hostKey ?? null, accepted: router.hostKey },
      });
      return router;
    },
  );
};

export default routers;
