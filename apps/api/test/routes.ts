import type { TokenScope } from '@tunnelwatch/db';

/** Every authenticated route, with the scope it needs and a request that is valid apart from the token. */
export type RouteCase = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** `:name` / `:id` placeholders are filled by the test. */
  url: string;
  scope: TokenScope;
  payload?: unknown;
};

export const ROUTES: RouteCase[] = [
  { method: 'GET', url: '/metrics', scope: 'read' },
  { method: 'GET', url: '/sd', scope: 'read' },
  { method: 'GET', url: '/api/v1/routers', scope: 'read' },
  {
    method: 'POST',
    url: '/api/v1/routers',
    scope: 'write',
    payload: { name: 'x', host: 'x', platform: 'ios' },
  },
  { method: 'POST', url: '/api/v1/routers/import', scope: 'write' },
  { method: 'GET', url: '/api/v1/routers/:name', scope: 'read' },
  { method: 'PATCH', url: '/api/v1/routers/:name', scope: 'write', payload: { enabled: false } },
  { method: 'DELETE', url: '/api/v1/routers/:name', scope: 'write' },
  { method: 'POST', url: '/api/v1/routers/:name/poll', scope: 'operate' },
  { method: 'GET', url: '/api/v1/routers/:name/raw', scope: 'read' },
  { method: 'POST', url: '/api/v1/routers/:name/host-key/accept', scope: 'operate' },
  { method: 'GET', url: '/api/v1/credentials', scope: 'read' },
  { method: 'POST', url: '/api/v1/credentials', scope: 'write', payload: { name: 'c', username: 'u' } },
  { method: 'GET', url: '/api/v1/credentials/:name', scope: 'read' },
  { method: 'DELETE', url: '/api/v1/credentials/:name', scope: 'write' },
  { method: 'GET', url: '/api/v1/tunnels', scope: 'read' },
  { method: 'GET', url: '/api/v1/tunnels/:id', scope: 'read' },
  { method: 'GET', url: '/api/v1/events', scope: 'read' },
  { method: 'GET', url: '/api/v1/polls', scope: 'read' },
  { method: 'GET', url: '/api/v1/polls/:id', scope: 'read' },
];

export const SCOPES: TokenScope[] = ['read', 'write', 'operate'];

export function fill(url: string, values: { name: string; id: string }): string {
  return url.replace(':name', encodeURIComponent(values.name)).replace(':id', encodeURIComponent(values.id));
}
