import { ConfigError, describeDatabase, loadConfig } from '../config/index.js';
import { createLogger } from './logger.js';
import { createContext } from './context.js';
import { startHttpServer } from './http-server.js';
import { ensureConsoleBuilt } from './console-build.js';
import { startWorker, type Worker } from '../workers/worker.js';

/** Composition root: config → storage → services → HTTP. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  await ensureConsoleBuilt((line) => process.stdout.write(line + '\n'));
  const ctx = await createContext(config, logger);
  // One process tree on the embedded database: the server also runs the liveness worker.
  const worker: Worker | undefined = config.liveness.workerEnabled
    ? startWorker({ config, db: ctx.db, cipher: ctx.cipher, bus: ctx.bus, logger })
    : undefined;
  const http = await startHttpServer(ctx, config.port, config.host);
  const url = http.url;
  logger.info('server started', { url, database: describeDatabase(config) });
  process.stdout.write(`Sharp Eyes Monitor is serving ${url}\n  API: ${url}api/v1/cameras  (OpenAPI: ${url}api/v1/openapi.json)\n  database: ${describeDatabase(config)}\n  liveness worker: ${worker ? config.liveness.workerId : 'off (WORKER_ENABLED=false)'}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    await http.close();
    await worker?.stop();
    await ctx.bus.close();
    await ctx.db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
