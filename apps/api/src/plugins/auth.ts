import { hashToken, type TokenScope } from '@tunnelwatch/db';
import { isUuid } from '@tunnelwatch/model';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { FailedAuthLimiter } from '../auth/failed-auth-limiter.js';
import { VerifiedTokenCache } from '../auth/verified-token-cache.js';
import { HttpError } from '../errors.js';

export type Principal = { tokenId: string; name: string; scopes: TokenScope[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a bearer token needs for this route; absent: the route is open. */
    scope?: TokenScope;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export type AuthOptions = {
  /** Failed authentications one client may make per minute before it is refused (429). */
  failedAuthPerMinute: number;
  /** How long a verified token is trusted without asking Postgres again (0: ask on every request). */
  tokenCacheMs: number;
  /** Redis channel of revoked token ids (API_TOKEN_REVOKED_CHANNEL): such a token leaves the cache at once. */
  tokenRevokedChannel: string;
};

const unauthorized = (message: string) =>
  new HttpError(401, message, { 'www-authenticate': 'Bearer realm="tunnelwatch"' });

/**
 * Bearer-token authentication for every route whose config names a scope. Only the SHA-256 of a token is
 * stored (the db's ApiTokensRepository creates and verifies them), and a verified token is trusted for
 * `tokenCacheMs` (VerifiedTokenCache), or until its id arrives on `tokenRevokedChannel`. A wrong, revoked or
 * expired token counts as a failure for the client's address, and a client that fails too often is refused
 * before its token is even looked up.
 */
export default fp<AuthOptions>(
  async (fastify, options) => {
    const limiter = new FailedAuthLimiter(options.failedAuthPerMinute, 60_000);
    const verified = new VerifiedTokenCache(options.tokenCacheMs);
    async function verify(token: string) {
      if (token.length > 100) return null;
      const key = hashToken(token);
      const cached = verified.get(key);
      if (cached) return cached;
      const mark = verified.mark();
      const view = await fastify.repos.apiTokens.verify(token);
      if (view) verified.set(key, view, mark);
      return view;
    }

    let subscriber: Redis | null = null;
    fastify.addHook('onReady', async () => {
      subscriber = fastify.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
      subscriber.on('error', (err) => fastify.log.warn({ err }, 'redis token-revocation subscriber error'));
      // Revocations published while the subscriber was disconnected are lost: trust no cached token after that.
      subscriber.on('ready', () => verified.clear());
      subscriber.on('message', (channel: string, message: string) => {
        if (!isUuid(message)) {
          // Never log the message itself: a careless publisher might have sent a token.
          fastify.log.warn({ channel, length: message.length }, 'ignored a malformed token-revoked message');
          return;
        }
        const cached = verified.drop(message);
        fastify.log.info({ tokenId: message, cached }, 'api token revoked; dropped from the token cache');
      });
      await subscriber
        .subscribe(options.tokenRevokedChannel)
        .catch((err) =>
          fastify.log.error({ err }, 'subscribing to token revocations failed; ioredis will retry'),
        );
    });
    fastify.addHook('onClose', async () => {
      if (subscriber) await subscriber.quit().catch(() => subscriber?.disconnect());
    });
    fastify.decorateRequest('principal', null);
    fastify.addHook('onRequest', async (request: FastifyRequest) => {
      const scope = request.routeOptions.config.scope;
      if (scope === undefined) return;
      const retryAfter = limiter.retryAfterSeconds(request.ip);
      if (retryAfter > 0) {
        throw new HttpError(429, `too many failed authentications, retry in ${retryAfter} s`, {
          'retry-after': String(retryAfter),
        });
      }
      const header = request.headers.authorization;
      if (header === undefined) throw unauthorized('missing bearer token (Authorization: Bearer <token>)');
      const match = /^Bearer +(\S+)$/i.exec(header);
      if (!match) {
        limiter.fail(request.ip);
        throw unauthorized('the Authorization header must be "Bearer <token>"');
      }
      const token = match[1] ?? '';
      const view = await verify(token);
      if (view === null) {
        limiter.fail(request.ip);
        throw unauthorized('invalid, expired or revoked token');
      }
      if (!view.scopes.includes(scope)) {
        throw new HttpError(403, `this token lacks the "${scope}" scope`);
      }
      request.principal = { tokenId: view.id, name: view.name, scopes: view.scopes };
    });
  },
  { name: 'auth', dependencies: ['db', 'redis'] },
);
