import { ConflictError, InvalidCursorError, NotFoundError, SecretKeyMissingError } from '@tunnelwatch/db';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** An error whose message is safe to show the client, whatever its status. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, `${what} not found`);

/** The db package's domain errors as HTTP errors; anything else stays as it is (a 500). */
function fromDomainError(err: unknown): unknown {
  if (err instanceof NotFoundError) return new HttpError(404, err.message);
  if (err instanceof ConflictError) return new HttpError(409, err.message);
  if (err instanceof InvalidCursorError) return new HttpError(400, `query/cursor: ${err.message}`);
  // A configuration problem the operator must fix; the message names the variable and holds no secret.
  if (err instanceof SecretKeyMissingError) return new HttpError(503, err.message);
  return err;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

type ValidationIssue = {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
};

/** `body/port must be <= 65535`, `query must NOT have additional property "foo"`: always names the field. */
function describeValidation(context: string | undefined, issue: ValidationIssue): string {
  const part = context === 'querystring' ? 'query' : (context ?? 'request');
  const where = `${part}${issue.instancePath}`;
  if (issue.keyword === 'additionalProperties') {
    return `${where} must not have the property "${String(issue.params.additionalProperty)}"`;
  }
  if (issue.keyword === 'required') {
    return `${where}/${String(issue.params.missingProperty)} is required`;
  }
  return `${where} ${issue.message ?? 'is invalid'}`;
}

/**
 * Errors the router raises before any route runs (a malformed or over-long URL) skip `setErrorHandler`;
 * Fastify's `frameworkErrors` option sends them here, so they keep the `{ error, message }` shape too.
 */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  const message =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'a path parameter is longer than 100 characters'
      : 'the URL is not valid (bad percent-encoding?)';
  reply.code(status).send({ error: STATUS_TEXT[status] ?? 'Bad Request', message });
}

/**
 * One error shape for the whole API: `{ error, message }`. 4xx messages say what was wrong (naming the field
 * for validation errors); 5xx messages never carry internals, which go to the log instead.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { validation?: ValidationIssue[] }, request, reply) => {
    const err = fromDomainError(error) as typeof error;
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (err instanceof HttpError) {
      reply.headers(err.headers);
      return reply.code(status).send({ error: STATUS_TEXT[status] ?? 'Error', message: err.message });
    }
    if (status >= 500) {
      request.log.error(
        { err, request: { method: request.method, url: request.routeOptions.url, params: request.params } },
        'request failed',
      );
      return reply.code(status).send({ error: STATUS_TEXT[status] ?? 'Error', message: 'internal error' });
    }
    let message = err.message;
    const first = err.validation?.[0];
    if (first) message = describeValidation(err.validationContext, first);
    return reply.code(status).send({ error: STATUS_TEXT[status] ?? 'Error', message });
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send({ error: 'Not Found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
}
