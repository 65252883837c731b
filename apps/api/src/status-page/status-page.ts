import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';

/**
 * The status page at `/`: static HTML, CSS and JS (no build step) that read only the public REST API with the
 * bearer token the user gives it. The files sit in src/status-page/assets; from src/ or dist/ alike that is
 * `../../src/status-page/assets`, so the compiled server serves the same files without copying them.
 */
const ASSETS_DIR = fileURLToPath(new URL('../../src/status-page/assets/', import.meta.url));

const FILES = {
  'index.html': 'text/html; charset=utf-8',
  'status-page.css': 'text/css; charset=utf-8',
  'status-page.js': 'text/javascript; charset=utf-8',
} as const;

// The page loads nothing from elsewhere, runs no inline code and cannot be framed.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const statusPage: FastifyPluginAsync = async (fastify) => {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const [name, type] of Object.entries(FILES)) {
    files.set(name, { body: await readFile(`${ASSETS_DIR}${name}`), type });
  }
  const send = (name: string) => {
    const file = files.get(name);
    if (!file) throw new Error(`status page asset ${name} missing`);
    return file;
  };
  const schema = { hide: true };
  fastify.get('/', { schema }, async (_request, reply) => {
    const { body, type } = send('index.html');
    return reply.headers(SECURITY_HEADERS).type(type).send(body);
  });
  for (const name of ['status-page.css', 'status-page.js']) {
    fastify.get(`/status-page/${name}`, { schema }, async (_request, reply) => {
      const { body, type } = send(name);
      return reply.headers(SECURITY_HEADERS).type(type).send(body);
    });
  }
};

export default statusPage;
