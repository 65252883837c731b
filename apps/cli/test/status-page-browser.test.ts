import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, loadConfig } from '@tunnelwatch/config';
import { ApiTokensRepository } from '@tunnelwatch/db';
import { createTestDatabase, type TestDatabase } from '@tunnelwatch/db/testing';
import { importInventory, parseInventory } from '@tunnelwatch/inventory';
import { type Fleet, inventoryYaml, startFleet } from '@tunnelwatch/sim';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AllInOne, startAllInOne } from '../src/runtime/all-in-one.js';

/**
 * The status page in real Chromium against the real all-in-one runtime (API, worker, PostgreSQL, a private
 * redis-server) polling simulated routers over SSH.
 */
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let workDir: string;
let database: TestDatabase;
let runtime: AllInOne;
let fleet: Fleet;
let browser: Browser;
let token: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'tw-status-page-'));
  await chmod(workDir, 0o755);
  database = await createTestDatabase();
  const config = {
    ...loadConfig({}),
    databaseUrl: database.url,
    // Nothing listens on port 1: the runtime starts its own redis-server, so no queue is shared with other tests.
    redisUrl: 'redis://127.0.0.1:1',
    port: 0,
    dataDir: join(workDir, 'data'),
    pollIntervalSeconds: 10,
  };
  runtime = await startAllInOne(config, createLogger({ level: 'silent' }), { say: () => {} });
  fleet = await startFleet({
    routers: [
      {
        name: 'edge-1',
        platform: 'ios',
        interfaces: [{ name: 'GigabitEthernet0/1', address: '192.0.2.1' }],
        tunnels: [{ peer: '198.51.100.2' }, { peer: '198.51.100.3', ikeVersion: 2 }],
      },
      {
        name: 'edge-2',
        platform: 'asa',
        interfaces: [{ name: 'outside', address: '192.0.2.2' }],
        tunnels: [{ peer: '203.0.113.7' }, { peer: '203.0.113.8', state: 'down' }],
      },
    ],
  });
  const inventory = parseInventory(inventoryYaml(fleet.routers), 'yaml');
  const summary = await importInventory(runtime.db, runtime.config.secretKey, inventory);
  expect(summary.problems).toEqual([]);
  await runtime.worker.syncNow();
  ({ token } = await new ApiTokensRepository(runtime.db).create({
    name: 'status-page',
    scopes: ['read', 'operate'],
  }));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
  await fleet?.close();
  await database?.drop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const rows = (page: Page) => page.locator('#tunnel-rows tr');
const stateOf = (page: Page, router: string, peer: string) =>
  page.locator(`#tunnel-rows tr[data-router="${router}"][data-peer="${peer}"]`).getAttribute('data-state');

async function openPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${runtime.url}/#token=${token}`);
  // Every router polled once: 4 tunnels (3 up, 1 configured down).
  await expect.poll(() => rows(page).count(), { timeout: 60_000, interval: 500 }).toBe(4);
  expect(errors).toEqual([]);
  return page;
}

describe('the status page in Chromium', () => {
  it('renders the fleet from the REST API with the token from the link, then keeps it out of the URL', async () => {
    const page = await openPage();
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate('sessionStorage.getItem("tunnelwatch.token")')).toBe(token);
    expect(await page.textContent('#count-up')).toBe('3');
    expect(await page.textContent('#count-down')).toBe('1');
    // Down tunnels are listed first.
    expect(await rows(page).first().getAttribute('data-state')).toBe('down');
    expect(await page.locator('#expiring-rows tr').count()).toBe(3);
    // Semantic tables with column headers, and every control has a label.
    expect(await page.locator('#tunnel-table thead th[scope="col"]').count()).toBe(8);
    for (const label of ['Router', 'State', 'Peer contains'])
      await expect(page.getByLabel(label, { exact: true }).count()).resolves.toBe(1);
    await page.close();
  }, 90_000);

  it('filters by router and by state, and the filter is kept in the URL', async () => {
    const page = await openPage();
    await page.getByLabel('Router', { exact: true }).selectOption('edge-2');
    expect(await rows(page).count()).toBe(2);
    expect(await page.locator('#tunnel-rows tr[data-router="edge-1"]').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('router')).toBe('edge-2');
    await page.getByLabel('State', { exact: true }).selectOption('up');
    expect(
      await page.locator('#tunnel-rows tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.peer)),
    ).toEqual(['203.0.113.7']);
    // Keyboard: focus the reset button and press Enter.
    await page.getByRole('button', { name: 'Clear filters' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => rows(page).count()).toBe(4);
    await page.getByLabel('Peer contains').fill('198.51');
    expect(await rows(page).count()).toBe(2);
    await page.close();
  }, 90_000);

  it('shows a tunnel taken down in the simulator as down without a reload', async () => {
    const page = await openPage();
    expect(await stateOf(page, 'edge-1', '198.51.100.2')).toBe('up');
    // A marker in the document: still there afterwards means no reload happened.
    await page.evaluate('window.sameDocument = true');
    fleet.router('edge-1').down('198.51.100.2');
    // Poll now instead of waiting for the schedule (POST /routers/{name}/poll, operate scope).
    const response = await fetch(`${runtime.url}/api/v1/routers/edge-1/poll`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBeLessThan(300);
    await expect
      .poll(() => stateOf(page, 'edge-1', '198.51.100.2'), { timeout: 45_000, interval: 500 })
      .toBe('down');
    expect(await page.evaluate('window.sameDocument')).toBe(true);
    expect(await page.textContent('#count-down')).toBe('2');
    await expect
      .poll(() => page.locator('#event-rows').textContent(), { timeout: 15_000 })
      .toContain('198.51.100.2 up → down');
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'status-page.png'), fullPage: true });
    await page.close();
  }, 120_000);

  it('asks the API nothing while its tab is hidden, and refreshes at once when shown again', async () => {
    const page = await openPage();
    const requests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/v1/')) requests.push(request.url());
    });
    const setVisibility = (visibility: 'hidden' | 'visible') =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
        document.dispatchEvent(new Event('visibilitychange'));
      }, visibility);
    await setVisibility('hidden');
    await page.waitForTimeout(500); // a refresh already on its way may still finish
    requests.length = 0;
    await page.waitForTimeout(7_000); // longer than the 5 s refresh period
    expect(requests).toEqual([]);
    await setVisibility('visible');
    await expect.poll(() => requests.some((url) => url.includes('/api/v1/tunnels'))).toBe(true);
    await page.close();
  }, 90_000);

  it('asks for a token when the one it has is refused', async () => {
    const page = await browser.newPage();
    await page.goto(`${runtime.url}/#token=tw_not-a-real-token`);
    await expect
      .poll(() => page.locator('#sign-in-error').textContent(), { timeout: 15_000 })
      .toContain('refused');
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Show the fleet' }).click();
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(4);
    await page.close();
  }, 60_000);
});
