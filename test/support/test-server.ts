import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/index.js';
import { createContext, type AppContext } from '../../server/context.js';
import { startHttpServer } from '../../server/http-server.js';
import type { RealtimeHub } from '../../server/realtime/hub.js';
import { silentLogger } from '../../server/logger.js';
import type { Database } from '../../server/storage/db.js';

export const TEST_CAMERA_KEY = 'a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778';

export interface TestServer {
  /** http://127.0.0.1:<port>/api/v1 */
  url: string;
  /** http://127.0.0.1:<port>/ */
  origin: string;
  ctx: AppContext;
  hub: RealtimeHub;
  close(): Promise<void>;
}

/** Serves the real app on 127.0.0.1:<ephemeral> over the given database. */
export async function startTestServer(db: Database, env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sem-test-data-'));
  const config = loadConfig({ DATA_DIR: dataDir, CAMERA_SECRET_KEY: TEST_CAMERA_KEY, LOG_LEVEL: 'silent', ...env });
  const ctx = await createContext(config, silentLogger, db);
  const http = await startHttpServer(ctx, 0, '127.0.0.1');
  return {
    url: `${http.url}api/v1`,
    origin: http.url,
    ctx,
    hub: http.hub,
    close: async () => {
      await http.close();
      await ctx.bus.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
