import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderExposition, type SyntheticRouter } from './synthetic-fleet.js';

/**
 * An HTTP server with the API's monitoring surface (docs/operations.md#the-sd-contract): bearer-token auth,
 * `/sd` (one target group per router labelled `__param_router` and `router`, or per shard with `?shards=N`),
 * `/metrics?router=NAME`, `/metrics?shard=K&shards=N` and plain `/metrics` (the fleet plus the process's own
 * metrics), rendered from a synthetic fleet that tests may change.
 */
export interface SyntheticApi {
  /** host:port */
  address: string;
  fleet: SyntheticRouter[];
  /** Requests served so far, as "METHOD path?query" (to check what Prometheus asked for). */
  requests: string[];
  stop(): Promise<void>;
}

export async function startSyntheticApi(options: {
  fleet: SyntheticRouter[];
  token: string;
}): Promise<SyntheticApi> {
  const startSeconds = Date.now() / 1000;
  const requests: string[] = [];

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    const fail = (status: number, error: string, message: string) =>
      send(status, 'application/json', JSON.stringify({ error, message }));

    if (request.headers.authorization !== `Bearer ${options.token}`) {
      fail(401, 'unauthorized', 'a bearer token with the read scope is required');
      return;
    }
    if (url.pathname === '/sd') {
      // The shape of apps/api's /sd. The Host header is the address Prometheus used, so it can reach /metrics.
      const host = request.headers.host ?? '';
      const shards = Number(url.searchParams.get('shards') ?? 0);
      const groups =
        shards > 0
          ? Array.from({ length: shards }, (_, k) => ({
              targets: [host],
              labels: { __param_shard: String(k), __param_shards: String(shards), shard: String(k) },
            }))
          : options.fleet.map((router) => ({
              targets: [host],
              labels: { __param_router: router.name, router: router.name },
            }));
      send(200, 'application/json', JSON.stringify(groups));
      return;
    }
    if (url.pathname === '/metrics') {
      const now = Date.now() / 1000;
      const name = url.searchParams.get('router');
      const exposition = 'text/plain; version=0.0.4; charset=utf-8';
      const shard = url.searchParams.get('shard');
      if (shard !== null) {
        // Any stable partition will do here (the API hashes names); the test checks Prometheus's side.
        const shards = Number(url.searchParams.get('shards'));
        const members = options.fleet.filter((_, index) => index % shards === Number(shard));
        send(200, exposition, renderExposition(members, startSeconds, now));
        return;
      }
      if (name === null) {
        const own = `# HELP process_start_time_seconds Start time of the process.\n# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds ${Math.floor(startSeconds)}\n`;
        send(200, exposition, renderExposition(options.fleet, startSeconds, now) + own);
        return;
      }
      const router = options.fleet.find((candidate) => candidate.name === name);
      if (router === undefined) {
        fail(404, 'not_found', `no router named ${name}`);
        return;
      }
      send(200, exposition, renderExposition([router], startSeconds, now));
      return;
    }
    fail(404, 'not_found', `no route ${url.pathname}`);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    fleet: options.fleet,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
