/**
 * npm run bench:console — prints one JSON line:
 * {"bench":"console","cameras":10000,"firstPaintMs":…,"actionMs":…,"clients":200,"burst":500,"fanoutP95Ms":…}
 * - firstPaintMs: headless Chromium, navigation start → the console's first full render with 10,000
 *   cameras (the app sets data-ready once the first snapshot is drawn). Median of 3 cold page loads,
 *   each already signed in (the session cookie is set before navigation; /auth/me is in the time).
 * - actionMs: a filter or drill-down (click a town tile; type in the list's search box) until the
 *   list shows the result. p95 over the actions.
 * - fanoutP95Ms: 200 Socket.IO clients connected; a burst of 500 state changes is committed to the
 *   database (outage rows + statuses, as a worker's flush does), then published on the state bus;
 *   per client, the time from the publish to holding all 500 events. p95 over clients. The clients
 *   run in this process, beside the server: their decoding (~1 ms per client for a 126 kB batch)
 *   competes with the server for the same event loop, so the figure is pessimistic. The write's own
 *   time is logged, with the p95 counted from before it.
 * Runs on the embedded default (the console is served the same way on either backend).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { openDatabase, type Database } from '../../server/storage/db.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/realtime/events.js';
import { cameraRows, insertCameras, launchBrowser, signInContext, startConsoleStack, writeChanges, type Account } from '../support/console-harness.js';
import type { StateChangeEvent } from '../../server/events/state-events.js';

const CAMERAS = 10_000;
const CLIENTS = 200;
const BURST = 500;
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sem-bench-console-'));
  let db: Database | undefined;
  try {
    db = await openDatabase({ pgliteDir: path.join(dir, 'pg') });
    await insertCameras(db, cameraRows(CAMERAS, [], (p) => p));
    await db.query('VACUUM (ANALYZE) cameras');
    const stack = await startConsoleStack(db, { withWorker: false, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
    try {
      const firstPaintMs = await measureFirstPaint(stack.http.url, stack.admin);
      const actionMs = await measureActions(stack.http.url, stack.admin);
      const fanoutP95Ms = await measureFanout(stack.http.url, stack.adminToken, { write: (ids) => writeChanges(stack.ctx, ids, 'offline'), publish: (events) => stack.ctx.bus.publish(events) }, db);
      process.stdout.write(JSON.stringify({ bench: 'console', backend: db.backend, cameras: CAMERAS, firstPaintMs, actionMs, clients: CLIENTS, burst: BURST, fanoutP95Ms }) + '\n');
    } finally {
      await stack.close();
    }
  } finally {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureFirstPaint(url: string, account: Account): Promise<number> {
  const browser = await launchBrowser();
  try {
    const samples: number[] = [];
    for (let i = 0; i < 4; i++) {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      await signInContext(context, url, account);
      const page = await context.newPage();
      await page.goto(url);
      await page.locator('[data-ready="true"]').waitFor({ timeout: 60_000 });
      // rAF after ready: the frame that shows the first full render has been produced
      const ms = await page.evaluate(() => new Promise<number>((resolve) => (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => resolve(performance.now()))));
      if (i > 0) samples.push(ms); // the first load warms the server's caches and the disk
      log(`first paint ${i}: ${ms.toFixed(0)} ms`);
      await context.close();
    }
    return Math.round(percentile(samples, 50));
  } finally {
    await browser.close();
  }
}

async function measureActions(url: string, account: Account): Promise<number> {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await signInContext(context, url, account);
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('[data-ready="true"]').waitFor({ timeout: 60_000 });
    const samples: number[] = [];
    const towns = ['meizhu', 'shizi', 'feili', 'jianping', 'yaocun', 'xinfa'];
    for (const town of towns) {
      const start = Date.now();
      await page.locator(`[data-testid="town-tile"][data-town="${town}"]`).click();
      await page.locator(`[data-testid="camera-row"]`).first().waitFor();
      await page.waitForFunction(rowsAllContain, `${town}-`, { timeout: 10_000 });
      samples.push(Date.now() - start);
    }
    for (const q of ['meizhu-1', 'shizi-22', 'feili-333', 'xinfa-4444']) {
      const start = Date.now();
      await page.getByTestId('camera-filter-q').fill(q);
      await page.waitForFunction(rowsAllContain, q, { timeout: 10_000 });
      samples.push(Date.now() - start);
    }
    log(`actions (ms): ${samples.join(', ')}`);
    return Math.round(percentile(samples, 95));
  } finally {
    await browser.close();
  }
}

interface Burst {
  /** Commits the changes (the worker's transaction); answers the events to announce. */
  write(ids: string[]): Promise<StateChangeEvent[]>;
  publish(events: StateChangeEvent[]): Promise<void>;
}

async function measureFanout(url: string, token: string, burst: Burst, db: Database): Promise<number> {
  const sockets: Array<Socket<ServerToClientEvents, ClientToServerEvents>> = [];
  try {
    const received = new Array<number>(CLIENTS).fill(0);
    const doneAt = new Array<number>(CLIENTS).fill(0);
    // Connect in waves, as wall screens and desks come up over a morning, not in one instant.
    for (let wave = 0; wave < CLIENTS; wave += 25) await Promise.all(
      Array.from({ length: Math.min(25, CLIENTS - wave) }, (_, k) => wave + k).map((i) => new Promise<void>((resolve, reject) => {
        const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
        sockets.push(socket);
        socket.once('state:snapshot', () => resolve());
        socket.once('connect_error', reject);
        socket.on('camera:state', (events) => {
          received[i] += events.length;
          if (received[i] >= BURST && doneAt[i] === 0) doneAt[i] = Date.now();
        });
      })),
    );
    log(`${CLIENTS} clients connected and synced`);
    const ids = (await db.query<{ id: string }>(`SELECT id FROM cameras WHERE town_code = 'meizhu' ORDER BY device_id LIMIT ${BURST}`)).map((r) => r.id);
    const writeStart = Date.now();
    const events = await burst.write(ids);
    const start = Date.now();
    await burst.publish(events);
    const deadline = Date.now() + 30_000;
    while (doneAt.some((t) => t === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    if (doneAt.some((t) => t === 0)) throw new Error(`only ${doneAt.filter((t) => t > 0).length}/${CLIENTS} clients got the whole burst`);
    const latencies = doneAt.map((t) => t - start);
    log(`write ${start - writeStart} ms; fan-out from the publish p50 ${percentile(latencies, 50)} ms, max ${Math.max(...latencies)} ms; p95 from before the write ${percentile(doneAt.map((t) => t - writeStart), 95)} ms`);
    return Math.round(percentile(latencies, 95));
  } finally {
    for (const s of sockets) s.close();
  }
}

/** Runs in the page (a function, not source text: the console's CSP forbids eval). */
function rowsAllContain(text: string): boolean {
  const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document;
  const rows = Array.from(doc.querySelectorAll('[data-testid="camera-row"]'));
  return rows.length > 0 && rows.every((r) => (r.textContent ?? '').includes(text));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:console failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
