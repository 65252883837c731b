import { connect } from 'node:net';
import type { Fleet } from '@tunnelwatch/sim';
import { startFleet } from '@tunnelwatch/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACTIONS, demoRouters } from '../src/runtime/demo-fleet.js';

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({ routers: demoRouters(), timeScale: 0 });
});
afterAll(() => fleet?.close());

/** An open TCP connection to a router, as a worker's kept session holds one. */
async function openConnection(name: string): Promise<void> {
  const { host, port } = fleet.router(name).access;
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port }, () => resolve());
    socket.on('error', () => {}); // the router drops it below
    socket.once('error', reject);
  });
  await expect.poll(() => fleet.router(name).connectionCount).toBe(1);
}

describe('the demo’s scripted trouble', () => {
  it('a failing router also drops its open sessions, so kept sessions cannot hide the failure', async () => {
    for (const [index, router, kind] of [
      [1, 'branch-00005', 'reject-login'],
      [4, 'branch-00011', 'hang-on-connect'],
    ] as const) {
      const action = DEMO_ACTIONS[index]!;
      expect(action.what).toContain(router);
      await openConnection(router);
      await action.run(fleet);
      expect(fleet.router(router).fault?.kind).toBe(kind);
      await expect.poll(() => fleet.router(router).connectionCount).toBe(0);
      await fleet.router(router).setFault(null);
    }
  });
});
