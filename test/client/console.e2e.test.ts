import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startFleet, type Fleet } from '../../workers/simulator/index.js';
import { getDatabase, reset } from '../support/backends.js';
import {
  artifactPath, browserMissing, cameraRows, insertCameras, launchBrowser, recordChanges, signInContext, startConsoleStack, type ConsoleStack,
} from '../support/console-harness.js';
import { expectEventually } from '../support/eventually.js';

/** Reads a number from a test id inside an optional scope. */
async function num(page: Page, testId: string, scope?: string): Promise<number> {
  const root = scope ? page.locator(scope) : page;
  return Number((await root.getByTestId(testId).first().innerText()).replace(/[^\d]/g, ''));
}

describe('duty-room console in headless Chromium', function () {
  this.timeout(120_000);
  const missing = browserMissing();
  let fleet: Fleet;
  let stack: ConsoleStack;
  let browser: Browser;
  let page: Page;
  let ids: Map<string, string>;
  const pageLog: string[] = [];

  before(async function () {
    // Reason: no Debian chromium on this machine; browserMissing() throws instead under CI=true.
    if (missing) return this.skip();
    const db = await getDatabase('pglite');
    await reset(db);
    fleet = await startFleet({ count: 16, port: 0, baseAddress: '127.1.80.1', auth: 'digest' });
    const stackPromise = startConsoleStack(db, { withWorker: true });
    stack = await stackPromise;
    await insertCameras(db, cameraRows(16, fleet.cameras, (p) => stack.ctx.cipher.encrypt(p)).concat(cameraRows(600, [], (p) => p, 100).map((r) => ({ ...r, town: 'feili', name: `bulk-${r.deviceId}` }))));
    const rows = await db.query<{ id: string; name: string }>('SELECT id, name FROM cameras');
    ids = new Map(rows.map((r) => [r.name, r.id]));
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await signInContext(context, stack.http.url, stack.admin);
    page = await context.newPage();
    // A missing element fails a polling assertion fast (and it polls again) instead of waiting 30 s.
    page.setDefaultTimeout(5_000);
    page.on('console', (msg) => pageLog.push(`${new Date().toISOString()} ${msg.type()} ${msg.text()}`));
    const violations: string[] = [];
    page.on('console', (msg) => msg.type() === 'error' && /Content Security Policy/.test(msg.text()) && violations.push(msg.text()));
    await page.goto(stack.http.url);
    await page.locator('[data-ready="true"]').waitFor({ timeout: 30_000 });
    // wait for the worker's first sweep: every simulated camera online
    await expectEventually(async () => expect(await num(page, 'online-count', '[data-testid="county-totals"]')).to.equal(16), 30_000);
    expect(violations, 'no CSP violations').to.deep.equal([]);
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !page) return;
    // What the console showed and said when a step failed: for a failure seen only on another machine.
    const name = (this.currentTest.title.replace(/[^\w]+/g, '-').slice(0, 60) || 'failed');
    await page.screenshot({ path: artifactPath(`failed-${name}.png`) }).catch(() => undefined);
    const state = await page.getByTestId('conn-state').getAttribute('data-state', { timeout: 1000 }).catch(() => 'absent');
    console.error(`console state at failure: conn-state=${state}\n${pageLog.slice(-40).join('\n')}`);
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
    await fleet?.stop();
  });

  it('shows the map, the town board and the county totals', async () => {
    await page.getByTestId('county-map').waitFor();
    expect(await page.getByTestId('town-tile').count()).to.equal(8);
    expect(await num(page, 'total-count', '[data-testid="county-totals"]')).to.equal(616);
    await page.screenshot({ path: artifactPath('console-overview.png') });
    await page.getByTestId('county-map').screenshot({ path: artifactPath('console-map.png') });
    await page.locator('[data-testid="town-tile"]').first().screenshot({ path: artifactPath('console-board-tile.png') });
  });

  it('kill a camera → its town tile and the feed update without reload; revive → back', async () => {
    const cam = fleet.cameras[2]; // town index 2 = meizhu
    const tile = '[data-testid="town-tile"][data-town="meizhu"]';
    const before = await num(page, 'tile-offline', tile);
    await fleet.kill(cam.index);
    await expectEventually(async () => expect(await num(page, 'tile-offline', tile)).to.equal(before + 1), 20_000);
    const item = page.locator(`[data-testid="feed-item"][data-camera-id="${ids.get('meizhu-3号杆')}"][data-to="offline"]`);
    await item.first().waitFor({ timeout: 10_000 });
    await fleet.revive(cam.index);
    await expectEventually(async () => expect(await num(page, 'tile-offline', tile)).to.equal(before), 20_000);
  });

  it('a server restart → the console reconnects and resyncs with correct counts', async () => {
    await stack.stopHttp();
    await expectEventually(async () => expect(await page.getByTestId('conn-state').getAttribute('data-state')).to.not.equal('live'), 15_000);
    // meanwhile a camera goes down: the console must learn it after reconnecting
    await fleet.kill(5);
    await new Promise((r) => setTimeout(r, 6000));
    await stack.startHttp();
    await expectEventually(async () => expect(await page.getByTestId('conn-state').getAttribute('data-state')).to.equal('live'), 30_000);
    const tile = '[data-testid="town-tile"][data-town="feili"]';
    await expectEventually(async () => expect(await num(page, 'tile-offline', tile)).to.be.at.least(1), 20_000);
    expect(await num(page, 'online-count', '[data-testid="county-totals"]')).to.be.at.most(15).and.at.least(14);
    await fleet.revive(5);
  });

  it('a burst of 500 changes in one town shows as one grouped entry', async () => {
    const feili = [...ids.entries()].filter(([name]) => name.startsWith('bulk-')).map(([, id]) => id).slice(0, 500);
    await recordChanges(stack.ctx, feili, 'offline');
    const group = page.locator('[data-testid="feed-group"][data-town="feili"]');
    await group.first().waitFor({ timeout: 15_000 });
    expect(Number(await group.first().getAttribute('data-count'))).to.be.at.least(500);
    expect(await page.locator('[data-testid="feed-item"][data-to="offline"]').count()).to.be.below(50);
    await page.getByTestId('event-feed').screenshot({ path: artifactPath('console-feed-burst.png') });
  });

  it('opens a camera detail drawer and checks it now', async () => {
    await page.getByTestId('camera-filter-q').fill('meizhu-3号杆');
    const row = page.locator(`[data-testid="camera-row"][data-camera-id="${ids.get('meizhu-3号杆')}"]`);
    await row.first().waitFor({ timeout: 10_000 });
    await row.first().click();
    const drawer = page.getByTestId('camera-detail');
    await drawer.waitFor();
    await drawer.getByTestId('check-now').click();
    await drawer.getByTestId('check-result').waitFor({ timeout: 15_000 });
    expect(await drawer.innerText()).to.not.match(/admin12345/);
    await drawer.screenshot({ path: artifactPath('console-detail.png') });
  });
});
