/**
 * Camera fleet simulator as its own process (benchmark, demo):
 *   node --import tsx workers/simulator/main.ts --cameras 10000 --control-port 9100
 * Prints one JSON line `{"ready":true,"cameras":N,"control":"http://127.0.0.1:P",…}` once every
 * camera listens, serves the control API (control-api.ts), and exits 0 on SIGTERM/SIGINT after
 * closing every socket. Exit 2 = bad arguments, 1 = could not start (e.g. address in use).
 */
import { parseCli, USAGE } from './cli-args.js';
import { startControlServer } from './control-api.js';
import { startFleet } from './fleet.js';

const STOP_GRACE_MS = 5000;

async function main(): Promise<void> {
  const { config, problems } = parseCli(process.argv.slice(2));
  if (!config) {
    process.stderr.write(`${problems.join('\n')}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const t0 = performance.now();
  let fleet;
  try {
    fleet = await startFleet(config.fleet);
  } catch (err) {
    process.stderr.write(`simulator: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const startMs = Math.round(performance.now() - t0);
  const control = await startControlServer(fleet, config.controlPort);
  const ready = {
    ready: true,
    cameras: fleet.cameras.length,
    control: control.url,
    base: config.fleet.baseAddress,
    port: config.fleet.port,
    startMs,
    rssMb: Math.round(process.memoryUsage().rss / 1048576),
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);

  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), STOP_GRACE_MS).unref();
    control.server.close();
    control.server.closeAllConnections();
    fleet.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`simulator: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
