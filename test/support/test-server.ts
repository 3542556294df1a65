import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/index.js';
import { createContext, type AppContext } from '../../server/context.js';
import { startHttpServer } from '../../server/http-server.js';
import type { RealtimeHub } from '../../server/realtime/hub.js';
import type { Logger } from '../../server/logger.js';
import { runLogger } from './run-log.js';
import type { Database } from '../../server/storage/db.js';
import { ensureFirstAdmin, FIRST_ADMIN } from '../../server/services/access/bootstrap-admin.js';
import { cliActor } from '../../server/services/access/audit-trail.js';
import { rememberSecret } from './secrets.js';

export const TEST_CAMERA_KEY = 'a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778';
/** The first admin's password on every test database (set as ADMIN_INITIAL_PASSWORD: no forced change). */
export const TEST_ADMIN_PASSWORD = 'Duty-room 3am power cut';
rememberSecret(TEST_CAMERA_KEY, TEST_ADMIN_PASSWORD);

export interface TestServer {
  /** http://127.0.0.1:<port>/api/v1 */
  url: string;
  /** http://127.0.0.1:<port>/ */
  origin: string;
  ctx: AppContext;
  hub: RealtimeHub;
  /** The county-wide admin account, for browser sign-in. */
  admin: { username: string; password: string };
  /** An admin API token ("sem_…"), for requests and sockets that are not about accounts. */
  adminToken: string;
  /** fetch() against /api/v1 as the admin (bearer token), e.g. `api('/cameras')`. */
  api(pathAndQuery: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Serves the real app on 127.0.0.1:<ephemeral> over the given database, with an admin ready. */
export async function startTestServer(db: Database, env: Record<string, string> = {}, logger: Logger = runLogger()): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sem-test-data-'));
  const config = loadConfig({ DATA_DIR: dataDir, CAMERA_SECRET_KEY: TEST_CAMERA_KEY, LOG_LEVEL: 'silent', ADMIN_INITIAL_PASSWORD: TEST_ADMIN_PASSWORD, ...env });
  const ctx = await createContext(config, logger, db);
  const { admin, adminToken } = await provisionAdmin(ctx, logger, 'test harness');
  const http = await startHttpServer(ctx, 0, '127.0.0.1');
  const url = `${http.url}api/v1`;
  return {
    url,
    origin: http.url,
    ctx,
    hub: http.hub,
    admin,
    adminToken,
    api: adminApi(url, adminToken),
    close: async () => {
      await http.close();
      await ctx.bus.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The first admin (TEST_ADMIN_PASSWORD when the config sets it) and an API token of theirs named `tokenName`. */
export async function provisionAdmin(ctx: AppContext, logger: Logger, tokenName: string): Promise<{ admin: { username: string; password: string }; adminToken: string }> {
  await ensureFirstAdmin(ctx.userRepo, ctx.audit, logger, ctx.config.auth.adminInitialPassword);
  const admin = (await ctx.userRepo.findByUsername(FIRST_ADMIN))!;
  const { secret: adminToken } = await ctx.tokens.create({ userId: admin.id, name: tokenName }, null, cliActor());
  rememberSecret(adminToken);
  return { admin: { username: FIRST_ADMIN, password: TEST_ADMIN_PASSWORD }, adminToken };
}

/** fetch() against `apiUrl` (…/api/v1) with the admin's bearer token, unless the call sets its own Authorization. */
export function adminApi(apiUrl: string, adminToken: string): (pathAndQuery: string, init?: RequestInit) => Promise<Response> {
  return (pathAndQuery, init = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${adminToken}`);
    return fetch(apiUrl + pathAndQuery, { ...init, headers });
  };
}
