import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Fleet } from './fleet.js';
import type { Fault, FaultKind } from './types.js';

const FAULT_KINDS: readonly FaultKind[] = [
  'refuse',
  'hang-on-connect',
  'hang-mid-output',
  'drop-mid-output',
  'slow',
  'garbage',
  'reject-login',
  'force-paging',
  'reject-command',
];

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A small JSON control surface for a running fleet, on loopback only (docs/simulator.md lists the routes):
 * inspect routers and their ground truth, run commands, trigger events and faults, move the clock.
 */
export async function startControlServer(
  fleet: Fleet,
  port = 0,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    handle(fleet, request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const code = error instanceof HttpError ? error.code : 'internal';
      const message = error instanceof Error && status < 500 ? error.message : 'internal error';
      send(response, status, { error: code, message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${boundPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(fleet: Fleet, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const method = request.method ?? 'GET';
  if (parts[0] === 'clock' && parts.length === 1) {
    if (method === 'POST') {
      const body = await readJson(request);
      if (typeof body.advanceSeconds === 'number') fleet.clock.advance(body.advanceSeconds);
      if (typeof body.timeScale === 'number') fleet.clock.setTimeScale(body.timeScale);
    }
    send(response, 200, { now: new Date(fleet.clock.now()).toISOString(), timeScale: fleet.clock.timeScale });
    return;
  }
  if (parts[0] !== 'routers') throw new HttpError(404, 'not_found', `no route ${method} ${url.pathname}`);
  if (parts.length === 1 && method === 'GET') {
    send(response, 200, fleet.routers);
    return;
  }
  const name = parts[1] ?? '';
  const router = (() => {
    try {
      return fleet.router(name);
    } catch {
      throw new HttpError(404, 'not_found', `no router named ${name}`);
    }
  })();
  const action = `${method} ${parts.slice(2).join('/')}`;
  switch (action) {
    case 'GET ':
      send(response, 200, { ...router.access, fault: router.fault });
      return;
    case 'GET truth':
      send(response, 200, router.truth());
      return;
    case 'GET output': {
      const command = url.searchParams.get('command') ?? '';
      if (!command.trim().startsWith('sh'))
        throw new HttpError(400, 'bad_request', 'command must be a show command');
      try {
        response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(router.run(command));
      } catch (error) {
        throw new HttpError(400, 'bad_request', (error as Error).message);
      }
      return;
    }
    case 'POST events': {
      const body = await readJson(request);
      const peer = typeof body.peer === 'string' ? body.peer : undefined;
      try {
        const tunnels = applyEvent(router, String(body.kind), peer, body);
        send(response, 200, { tunnels });
      } catch (error) {
        throw new HttpError(400, 'bad_request', (error as Error).message);
      }
      return;
    }
    case 'PUT fault': {
      const body = await readJson(request);
      if (!FAULT_KINDS.includes(body.kind as FaultKind)) {
        throw new HttpError(400, 'bad_request', `fault kind must be one of ${FAULT_KINDS.join(', ')}`);
      }
      if (body.kind === 'reject-command' && (typeof body.prefix !== 'string' || body.prefix.trim() === '')) {
        throw new HttpError(
          400,
          'bad_request',
          'fault reject-command needs prefix, the start of the commands to reject',
        );
      }
      await router.setFault(body as Fault);
      send(response, 200, { fault: router.fault });
      return;
    }
    case 'DELETE fault':
      await router.setFault(null);
      send(response, 200, { fault: null });
      return;
    case 'POST host-key':
      send(response, 200, { hostKeyFingerprint: router.changeHostKey() });
      return;
    default:
      throw new HttpError(404, 'not_found', `no route ${method} ${url.pathname}`);
  }
}

function applyEvent(
  router: ReturnType<Fleet['router']>,
  kind: string,
  peer: string | undefined,
  body: Record<string, unknown>,
): number {
  switch (kind) {
    case 'down':
      return router.down(peer);
    case 'up':
      return router.up(peer);
    case 'fail-rekey':
      return router.failRekey(peer);
    case 'clear-sa':
      return router.clearSa(peer);
    case 'clear-ike':
      return router.clearIke();
    case 'flap':
      return router.flap(peer, {
        downSeconds: Number(body.downSeconds ?? 30),
        times: Number(body.times ?? 1),
        ...(body.periodSeconds === undefined ? {} : { periodSeconds: Number(body.periodSeconds) }),
      });
    default:
      throw new Error('event kind must be one of down, up, flap, fail-rekey, clear-sa, clear-ike');
  }
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of request) {
    text += chunk;
    if (text.length > 65536) throw new HttpError(413, 'too_large', 'body over 64 KiB');
  }
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new HttpError(400, 'bad_request', 'body must be a JSON object');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
