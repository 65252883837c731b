import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { notFound } from '../../errors.js';
import { AUTH_ERRORS, ErrorSchema, NameParams } from '../../schemas/common.js';
import { CreateCredentialSchema, CredentialSchema } from '../../schemas/credentials.js';
import { actorOf } from './inventory-changed.js';

const tags = ['credentials'];

/**
 * Login credentials for routers. Secrets are write-only: they are encrypted on the way in (AES-256-GCM, db
 * package) and the response schema carries only whether each one is set, so no handler can leak one.
 */
const credentials: FastifyPluginAsyncTypebox = async (fastify) => {
  const repo = fastify.repos.credentials;

  fastify.get(
    '/credentials',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'List credentials by name (without secrets)',
        response: { 200: Type.Object({ items: Type.Array(CredentialSchema) }), ...AUTH_ERRORS },
      },
    },
    async () => ({ items: await repo.list() }),
  );

  fastify.post(
    '/credentials',
    {
      config: { scope: 'write' },
      schema: {
        tags,
        summary: 'Store a credential; its secrets are never returned',
        body: CreateCredentialSchema,
        response: {
          201: CredentialSchema,
          400: ErrorSchema,
          409: ErrorSchema,
          503: ErrorSchema,
          ...AUTH_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const credential = await repo.create(request.body);
      await fastify.repos.auditLog.record({
        actor: actorOf(request),
        action: 'credential.create',
        target: credential.name,
      });
      return reply.code(201).send(credential);
    },
  );

  fastify.get(
    '/credentials/:name',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'One credential (without secrets)',
        params: NameParams,
        response: { 200: CredentialSchema, 400: ErrorSchema, 404: ErrorSchema, ...AUTH_ERRORS },
      },
    },
    async (request) => {
      const credential = await repo.getByName(request.params.name);
      if (!credential) throw notFound(`credential ${request.params.name}`);
      return credential;
    },
  );

  fastify.delete(
    '/credentials/:name',
    {
      config: { scope: 'write' },
      schema: {
        tags,
        summary: 'Delete a credential no router uses',
        params: NameParams,
        response: { 204: Type.Null(), 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, ...AUTH_ERRORS },
      },
    },
    async (request, reply) => {
      await repo.delete(request.params.name);
      await fastify.repos.auditLog.record({
        actor: actorOf(request),
        action: 'credential.delete',
        target: request.params.name,
      });
      return reply.code(204).send(null);
    },
  );
};

export default credentials;
