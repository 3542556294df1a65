import { once } from 'node:events';
import { ConfigError, describeDatabase, loadConfig } from '../config/index.js';
import { createLogger } from './logger.js';
import { createContext } from './context.js';
import { createApp } from './app.js';
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
  const ctx = await createContext(config, logger);
  // One process tree on the embedded database: the server also runs the liveness worker.
  const worker: Worker | undefined = config.liveness.workerEnabled
    ? startWorker({ config, db: ctx.db, cipher: ctx.cipher, bus: ctx.bus, logger })
    : undefined;
  const server = createApp(ctx).listen(config.port, config.host);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/`;
  logger.info('server started', { url, database: describeDatabase(config) });
  process.stdout.write(`Sharp Eyes Monitor is serving ${url}\n  API: ${url}api/v1/cameras  (OpenAPI: ${url}api/v1/openapi.json)\n  database: ${describeDatabase(config)}\n  liveness worker: ${worker ? config.liveness.workerId : 'off (WORKER_ENABLED=false)'}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    server.close();
    server.closeAllConnections();
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
