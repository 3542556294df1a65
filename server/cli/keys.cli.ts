/**
 * `npm run keys -- rotate`: re-seals every stored camera password with a new key and installs
 * it (see rotateCameraKey for the crash-safety steps). Run it with the server and workers stopped.
 * Prints one JSON line; never a password or a key.
 * Exit codes: 0 rotated, 1 failed or refused (the old key still opens everything), 2 bad arguments.
 */
import { parseArgs } from 'node:util';
import { ConfigError, describeDatabase, loadConfig } from '../../config/index.js';
import { openConfiguredDatabase } from '../storage/db.js';
import { DatabaseLockedError } from '../storage/pglite-lock.js';
import { cliActor } from '../services/access/audit-trail.js';
import { assertRotatable, KeyRotationRefusedError, rotateCameraKey } from '../services/keys/camera-key-rotation.service.js';

const USAGE = `usage:
  npm run keys -- rotate   re-seal every stored camera password with a new key and install it
                           (stop the server and workers first; start them again afterwards)`;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    return badArguments(`${(err as Error).message}\n${USAGE}`);
  }
  if (args.values.help) return void process.stdout.write(USAGE + '\n'), 0;
  if (args.positionals.length !== 1 || args.positionals[0] !== 'rotate') return badArguments(USAGE);

  const config = loadConfig();
  const options = {
    dataDir: config.dataDir,
    configuredKey: config.cameraSecretKey,
    actorName: cliActor().name ?? 'cli',
    embeddedDatabaseDir: config.databaseUrl ? undefined : config.pgliteDir,
  };
  try {
    assertRotatable(options);
  } catch (err) {
    if (err instanceof KeyRotationRefusedError) return failed(`refused: ${err.message}`);
    throw err;
  }
  let db;
  try {
    db = await openConfiguredDatabase(config);
  } catch (err) {
    if (err instanceof DatabaseLockedError) return failed(`cannot rotate the key while another process has the database open: ${err.message}`);
    throw err;
  }
  process.stderr.write(`database: ${describeDatabase(config)}\n`);
  try {
    const result = await rotateCameraKey(db, options);
    process.stdout.write(JSON.stringify(result) + '\n');
    process.stderr.write(
      `installed ${result.keyFile}; start the server and workers again (a worker host with its own DATA_DIR needs a copy of this file)\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

function badArguments(message: string): number {
  process.stderr.write(message + '\n');
  return 2;
}

function failed(message: string): number {
  process.stderr.write(message + '\n');
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof ConfigError ? '' : 'failed: '}${(err as Error).message}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);
