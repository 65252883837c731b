import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RemediationFixture, startRemediationFixture } from './remediation-fixture.js';

// The status page's "Clear SAs" button (docs/remediation.md) in real Chromium against the real API, remediation
// worker and simulator.

let f: RemediationFixture;
let browser: Browser;
let url: string;

beforeAll(async () => {
  f = await startRemediationFixture({
    routers: [
      { name: 'r1', platform: 'iosxe', tunnels: [{ peer: '198.51.100.2' }] },
      { name: 'asa1', platform: 'asa', tunnels: [{ peer: '192.0.2.201' }] },
    ],
    tokens: { 'noc-alice': ['read', 'operate'], viewer: ['read'] },
  });
  await f.api.app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(f.api.app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await f?.close();
});

const rowOf = (page: Page, router: string) => page.locator(`#tunnel-rows tr[data-router="${router}"]`);

async function openAs(tokenName: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${url}/#token=${f.bearer[tokenName]!.slice('Bearer '.length)}`);
  await expect.poll(() => page.locator('#tunnel-rows tr').count(), { timeout: 20_000 }).toBe(2);
  return { page, errors };
}

describe('the Clear SAs button', () => {
  it('is not offered to a token without operate', async () => {
    const { page, errors } = await openAs('viewer');
    expect(await page.locator('#actions-col').isHidden()).toBe(true);
    expect(await page.locator('button.clear-sa').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('asks first, clears the SAs on the router when confirmed, and shows the outcome', async () => {
    const { page, errors } = await openAs('noc-alice');
    expect(await page.locator('#actions-col').isVisible()).toBe(true);
    // An ASA tunnel in the global table can be cleared too (`clear crypto ipsec sa peer X`).
    expect(await rowOf(page, 'asa1').locator('button.clear-sa').count()).toBe(1);
    const button = rowOf(page, 'r1').locator('button.clear-sa');
    expect(await button.textContent()).toBe('Clear SAs');

    const before = f.fleet.router('r1').truth();
    const jobs = await f.queue.getJobCounts();
    page.once('dialog', (dialog) => {
      expect(dialog.message()).toContain('198.51.100.2 on r1');
      void dialog.dismiss();
    });
    await button.click();
    await page.waitForTimeout(500);
    expect(f.fleet.router('r1').truth()).toEqual(before);
    expect(await f.queue.getJobCounts()).toEqual(jobs);

    page.once('dialog', (dialog) => void dialog.accept());
    await button.click();
    await expect.poll(() => button.textContent(), { timeout: 30_000 }).toBe('Cleared');
    const peer = f.fleet.router('r1').truth().tunnels[0]!;
    expect(peer.flows[0]!.counters.encaps).toBe(0);
    await expect
      .poll(() => page.locator('#event-rows').textContent(), { timeout: 15_000 })
      .toContain('clear crypto sa peer 198.51.100.2 succeeded (by noc-alice)');
    expect(errors).toEqual([]);
    await page.close();
  });
});
