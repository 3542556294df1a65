import { ConfigError, describeDatabase, loadConfig, type Config } from '../config/index.js';
import { createLogger } from './logger.js';
import { ensureConsoleBuilt } from './console-build.js';
import { startServer } from './start.js';

/** Composition root: config → console build → storage → services → worker → HTTP. */
async function main(): Promise<void> {
  let config: Config;
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
  const server = await startServer(config, logger);
  const url = server.url;
  logger.info('server started', { url, database: describeDatabase(config) });
  process.stdout.write(
    `Sharp Eyes Monitor is serving ${url}\n  API: ${url}api/v1/cameras  (OpenAPI: ${url}api/v1/openapi.json)\n` +
      `  database: ${describeDatabase(config)}\n  liveness worker: ${server.worker ? config.liveness.workerId : 'off (WORKER_ENABLED=false)'}\n`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
