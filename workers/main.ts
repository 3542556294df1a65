/**
 * `npm run worker`: an extra liveness worker process against the PostgreSQL server in
 * DATABASE_URL. (The embedded database belongs to the `npm start` process, which runs its own worker.)
 */
import { ConfigError, describeDatabase, loadConfig } from '../config/index.js';
import { createLogger } from '../server/logger.js';
import { openConfiguredDatabase } from '../server/storage/db.js';
import { openCameraCipher } from '../server/secrets/camera-key.js';
import { createStateEventBus } from '../server/events/create-bus.js';
import { startWorker } from './worker.js';

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.databaseUrl) {
    process.stderr.write(
      'npm run worker needs DATABASE_URL (a PostgreSQL server). With the embedded database, `npm start` already runs a worker; ' +
        'a second process cannot open the same PGlite folder.\n',
    );
    return 2;
  }
  const logger = createLogger(config.logLevel);
  const db = await openConfiguredDatabase(config);
  const { cipher } = openCameraCipher(config.dataDir, config.cameraSecretKey, logger);
  const bus = createStateEventBus(db, logger);
  const worker = startWorker({ config, db, cipher, bus, logger });
  process.stdout.write(`liveness worker ${config.liveness.workerId} running on ${describeDatabase(config)}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info('stopping worker');
  await worker.stop();
  await bus.close();
  await db.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof ConfigError ? '' : 'worker failed: '}${(err as Error).message}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);
