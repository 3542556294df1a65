/**
 * Everything a console end-to-end test needs: an embedded database with simulated cameras, a worker
 * with a fast policy, the real HTTP + Socket.IO server with a county-wide admin account, and headless
 * Chromium (Debian's, driven by playwright-core — no browser download). The console requires
 * sign-in: `signInContext` gives a browser context the admin's (or anyone's) session cookie.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { loadConfig, type Config } from '../../config/index.js';
import { createContext, type AppContext } from '../../server/context.js';
import { startHttpServer, type RunningHttp } from '../../server/http-server.js';
import { ensureConsoleBuilt } from '../../server/console-build.js';
import { silentLogger } from '../../server/logger.js';
import { CameraRepository, type StoredCameraFields } from '../../server/storage/camera.repository.js';
import type { Database } from '../../server/storage/db.js';
import type { StateChangeEvent } from '../../server/events/state-events.js';
import { startWorker, type Worker } from '../../workers/worker.js';
import type { SimCamera } from '../../workers/simulator/index.js';
import { deviceId } from './cameras.js';
import { adminApi, provisionAdmin, TEST_ADMIN_PASSWORD, TEST_CAMERA_KEY } from './test-server.js';

export const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export const FAST_POLICY = { CHECK_INTERVAL_S: '2', RECHECK_INTERVAL_S: '1', CONFIRM_RECHECKS: '1', RECOVER_CHECKS: '1', PROBE_TIMEOUT_MS: '1500', PROBE_CONNECT_TIMEOUT_MS: '1000' };

/** Whether a browser test can run here; under CI=true a missing Chromium must fail, not skip. */
export function browserMissing(): string | null {
  if (existsSync(CHROMIUM)) return null;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: .ci/run must install Debian's chromium`);
  return `${CHROMIUM} not installed`;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

const TOWNS = ['jianping', 'shizi', 'meizhu', 'xinfa', 'taocheng', 'feili', 'biqiao', 'yaocun'];
const NETWORKS = ['sky', 'ground', 'vehicle', 'station'];
const SEATS: Record<string, [number, number]> = {
  jianping: [119.18, 31.127], shizi: [119.277, 31.17], meizhu: [119.093, 31.175], xinfa: [119.02, 31.06],
  taocheng: [119.205, 31.015], feili: [119.12, 30.955], biqiao: [119.3, 31.04], yaocun: [119.33, 31.1],
};

/** Registry rows spread over the eight towns; the first `sim.length` get the simulated cameras' endpoints. */
export function cameraRows(count: number, sim: readonly SimCamera[], encrypt: (p: string) => string, offset = 0): StoredCameraFields[] {
  return Array.from({ length: count }, (_, i) => {
    const s = sim[i];
    const town = TOWNS[i % TOWNS.length];
    const [lng, lat] = SEATS[town];
    return {
      deviceId: deviceId(offset + i + 1), idEdition: '2016', name: `${town}-${i + 1}号杆`, network: NETWORKS[Math.floor(i / TOWNS.length) % 4], town,
      village: null, address: null, longitude: lng + ((i * 37) % 100 - 50) / 2000, latitude: lat + ((i * 53) % 100 - 50) / 2000,
      pointClass: ((i % 3) + 1) as 1 | 2 | 3, vendor: s?.vendor ?? null, model: s?.model ?? null, installDate: null, ownerUnit: null, maintainer: null, tags: [],
      onvifUrl: s?.onvifUrl ?? null, rtspMainUrl: s?.rtspUrl ?? null, rtspSubUrl: null, username: s?.username ?? null, passwordEnc: s ? encrypt(s.password) : null,
    };
  });
}

export interface Account {
  username: string;
  password: string;
}

export interface ConsoleStack {
  ctx: AppContext;
  http: RunningHttp;
  worker?: Worker;
  port: number;
  /** The county-wide admin (ADMIN_INITIAL_PASSWORD: no forced change). */
  admin: Account;
  /** An admin API token, for sockets and API calls that are not what a test is about. */
  adminToken: string;
  /** fetch() against /api/v1 as the admin (bearer token: no cookie, no CSRF). */
  api(pathAndQuery: string, init?: RequestInit): Promise<Response>;
  /** Stops the HTTP server only (as a restart would), then starts it again on the same port. */
  restartHttp(): Promise<void>;
  stopHttp(): Promise<void>;
  startHttp(): Promise<void>;
  close(): Promise<void>;
}

/** Starts server (+ worker when `withWorker`) on an open database; the console is built first if needed. */
export async function startConsoleStack(db: Database, options: { withWorker: boolean; env?: Record<string, string> }): Promise<ConsoleStack> {
  await ensureConsoleBuilt(() => undefined);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sem-console-'));
  const config: Config = loadConfig({
    DATA_DIR: dataDir, CAMERA_SECRET_KEY: TEST_CAMERA_KEY, LOG_LEVEL: 'silent', ADMIN_INITIAL_PASSWORD: TEST_ADMIN_PASSWORD, ...FAST_POLICY, ...options.env,
  });
  const ctx = await createContext(config, silentLogger, db);
  const { admin, adminToken } = await provisionAdmin(ctx, silentLogger, 'console harness');
  const worker = options.withWorker ? startWorker({ config, db, cipher: ctx.cipher, bus: ctx.bus, logger: silentLogger }) : undefined;
  let http = await startHttpServer(ctx, 0, '127.0.0.1');
  const port = Number(new URL(http.url).port);
  const stack: ConsoleStack = {
    ctx,
    get http() {
      return http;
    },
    worker,
    port,
    admin,
    adminToken,
    // A restart listens on the same port, so the URL outlives the server it was read from.
    api: adminApi(`${http.url}api/v1`, adminToken),
    async stopHttp() {
      await http.close();
    },
    async startHttp() {
      http = await startHttpServer(ctx, port, '127.0.0.1');
    },
    async restartHttp() {
      await stack.stopHttp();
      await stack.startHttp();
    },
    async close() {
      await http.close().catch(() => undefined);
      await worker?.stop();
      await ctx.bus.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}

export interface BrowserSession {
  /** `sem_session=…`, for a Socket.IO client or fetch outside the browser. */
  cookie: string;
  csrfToken: string;
}

/**
 * Signs in over the API and puts the session cookie into the browser context, so the console opens
 * signed in (faster than the form; sign-in.test.ts covers the form). Call before `page.goto`.
 */
export async function signInContext(context: BrowserContext, origin: string, account: Account): Promise<BrowserSession> {
  const res = await fetch(new URL('/api/v1/auth/login', origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${account.username} failed: HTTP ${res.status} ${await res.text()}`);
  const value = res.headers.getSetCookie().map((c) => /^sem_session=([^;]*)/.exec(c)?.[1]).find((v) => v);
  if (!value) throw new Error('sign-in answered without a sem_session cookie');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  await context.addCookies([{ name: 'sem_session', value, url: origin, httpOnly: true, sameSite: 'Strict' }]);
  return { cookie: `sem_session=${value}`, csrfToken };
}

export async function insertCameras(db: Database, rows: StoredCameraFields[]): Promise<void> {
  await new CameraRepository(db).insertMany(rows);
}

/** Records `to` for the given cameras as a worker would (outage rows + status) and announces it. */
export async function recordChanges(ctx: AppContext, cameraIds: string[], to: 'offline' | 'online', cause = 'host down: rtsp: timeout'): Promise<StateChangeEvent[]> {
  const events = await writeChanges(ctx, cameraIds, to, cause);
  await ctx.bus.publish(events);
  return events;
}

/** The write half of `recordChanges`: outage rows and statuses committed, nothing announced yet. */
export async function writeChanges(ctx: AppContext, cameraIds: string[], to: 'offline' | 'online', cause = 'host down: rtsp: timeout'): Promise<StateChangeEvent[]> {
  const at = new Date();
  const rows = await ctx.db.query<{ id: number; camera_id: string; device_id: string; name: string; town_code: string; network_code: string; status: StateChangeEvent['from'] }>(
    `WITH c AS (SELECT id, device_id, name, town_code, network_code, status FROM cameras WHERE id = ANY($1::uuid[])),
          o AS (INSERT INTO outage_log (camera_id, town_code, network_code, from_status, to_status, at, cause)
                SELECT id, town_code, network_code, status, $2, $3, $4 FROM c RETURNING id, camera_id)
     SELECT o.id, o.camera_id, c.device_id, c.name, c.town_code, c.network_code, c.status FROM o JOIN c ON c.id = o.camera_id`,
    [cameraIds, to, at, cause],
  );
  await ctx.db.query('UPDATE cameras SET status = $2, status_since = $3, status_cause = $4 WHERE id = ANY($1::uuid[])', [cameraIds, to, at, to === 'online' ? null : cause]);
  return rows
    .map((r) => ({ seq: r.id, cameraId: r.camera_id, deviceId: r.device_id, name: r.name, town: r.town_code, network: r.network_code, from: r.status, to, at: at.toISOString(), cause: to === 'online' ? null : cause }))
    .sort((a, b) => a.seq - b.seq);
}
