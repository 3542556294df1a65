import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/index.js';
import { createContext, type AppContext } from '../../server/context.js';
import { createApp } from '../../server/app.js';
import { silentLogger } from '../../server/logger.js';
import type { Database } from '../../server/storage/db.js';

export const TEST_CAMERA_KEY = 'a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778';

export interface TestServer {
  url: string;
  ctx: AppContext;
  close(): Promise<void>;
}

/** Serves the real app on 127.0.0.1:<ephemeral> over the given database. */
export async function startTestServer(db: Database, env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sem-test-data-'));
  const config = loadConfig({ DATA_DIR: dataDir, CAMERA_SECRET_KEY: TEST_CAMERA_KEY, LOG_LEVEL: 'silent', ...env });
  const ctx = await createContext(config, silentLogger, db);
  const server = createApp(ctx).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    ctx,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ctx.bus.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
