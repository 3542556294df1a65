/**
 * `npm run demo`: the whole product on its own embedded database (./data-demo, wiped at start)
 * watching ~2,000 simulated cameras on loopback spread over 郎溪县's towns and networks, with a
 * scripted day of failures (see script.ts). Prints the console URL and a legend; each scripted
 * event and a status line every 30 s go to stdout. Stops cleanly on SIGINT/SIGTERM.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../../config/index.js';
import { createLogger } from '../logger.js';
import { ensureConsoleBuilt } from '../console-build.js';
import { startServer, type RunningServer } from '../start.js';
import { acquireDirectoryLock, DatabaseLockedError } from '../storage/pglite-lock.js';
import { startFleet, type Fleet } from '../../workers/simulator/index.js';
import { castFromPlan, loadDemoRegions, POWER_CUT_TOWN } from './cast.js';
import { planDemoFleet, DEMO_TOWN_WEIGHTS } from './fleet-plan.js';
import { DEMO_ADMIN_PASSWORD, DEMO_DATA_DIR, DEMO_USAGE, demoEnv, parseDemoArgs, type DemoOptions } from './options.js';
import { ScriptPlayer } from './player.js';
import { registerDemoFleet } from './register.js';
import { legend } from './script.js';

const out = (line: string): void => void process.stdout.write(line + '\n');
const FIRST_CHECKS_WITHIN_MS = 10_000;
const STATUS_EVERY_MS = 30_000;

function settings(argv: string[]): { options: DemoOptions; config: Config } {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(DEMO_USAGE);
    process.exit(0);
  }
  try {
    return { options: parseDemoArgs(argv), config: loadConfig(demoEnv(process.env)) };
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
    process.exit(2);
  }
}

/** Empties the demo folder, refusing while another demo holds its database. */
function wipeDemoData(config: Config): void {
  if (path.resolve(config.dataDir) !== path.resolve(DEMO_DATA_DIR)) throw new Error(`refusing to wipe ${config.dataDir}: not the demo folder`);
  try {
    if (existsSync(config.dataDir)) acquireDirectoryLock(config.pgliteDir)(); // probe: throws while a live demo holds it
  } catch (err) {
    if (err instanceof DatabaseLockedError) throw new Error(`another demo (process ${err.holderPid}) is using ${config.dataDir}; stop it first`);
    throw err;
  }
  rmSync(config.dataDir, { recursive: true, force: true });
}

async function main(argv: string[]): Promise<void> {
  const { options, config } = settings(argv);
  const logger = createLogger(config.logLevel);
  wipeDemoData(config);
  const regions = loadDemoRegions();
  const plan = planDemoFleet({ count: options.cameras, nvrChannels: options.nvrChannels, seed: options.seed, countyCode: config.countyCode, regions, weights: DEMO_TOWN_WEIGHTS });
  const cast = castFromPlan(plan, regions);
  out(`starting ${options.cameras} simulated cameras on ${options.base}… port ${options.simPort} (NVR: ${options.nvrChannels} channels on ${options.base}) and the server`);
  const started = Date.now();
  // The fleet, the console build and the database start side by side; registration needs all three.
  const fleetStarting = startFleet({
    count: options.cameras,
    baseAddress: options.base,
    port: options.simPort,
    nvr: [{ channels: options.nvrChannels }],
    auth: { digest: 0.75, basic: 0.15, none: 0.1 },
    h265Ratio: 0.3,
    vendors: ['hikvision', 'hikvision', 'hikvision', 'axis', 'dlink', 'happytimesoft'],
    seed: options.seed,
  });
  fleetStarting.catch(() => undefined); // awaited below; reported there
  const consoleBuilt = ensureConsoleBuilt(out).catch((err: Error) => out(`the console could not be built (${err.message.split('\n')[0]}); the API runs without it`));
  let server: RunningServer;
  try {
    server = await startServer(config, logger, {
      beforeWorker: async (ctx) => {
        const unknown = regions.filter((r) => !ctx.catalog.towns.resolve(r.code));
        if (unknown.length > 0) throw new Error(`towns missing from the configuration: ${unknown.map((r) => r.code).join(', ')}`);
        const [fleet] = await Promise.all([fleetStarting, consoleBuilt]);
        const t = Date.now();
        const n = await registerDemoFleet(ctx, plan, fleet.cameras, FIRST_CHECKS_WITHIN_MS);
        out(`ready in ${((t - started) / 1000).toFixed(1)} s; registered ${n} cameras in ${Date.now() - t} ms; first checks spread over ${FIRST_CHECKS_WITHIN_MS / 1000} s`);
      },
    });
  } catch (err) {
    await fleetStarting.then((f) => f.stop(), () => undefined);
    throw err;
  }
  const fleet = await fleetStarting;
  const player = new ScriptPlayer({ fleet, cast, seed: options.seed, log: out });
  player.start();
  const townsAt = server.url + 'api/v1/towns';
  out(`\nSharp Eyes Monitor demo — console: ${server.url}   (API: ${townsAt}, data: ${config.dataDir})`);
  out(`sign in as admin with ${config.auth.adminInitialPassword === DEMO_ADMIN_PASSWORD ? `the demo password "${DEMO_ADMIN_PASSWORD}"` : 'ADMIN_INITIAL_PASSWORD'} (set when the demo data folder was first created)`);
  out(legend(cast, options.seed));
  out('Ctrl-C stops the demo.\n');
  const status = setInterval(() => void printStatus(server, player), STATUS_EVERY_MS);
  handleSignals(async () => {
    clearInterval(status);
    await player.stop();
    await server.stop();
    await fleet.stop();
  }, fleet);
}

/** One line: the county's cameras by status, and the power-cut town's offline count. */
async function printStatus(server: RunningServer, player: ScriptPlayer): Promise<void> {
  try {
    const towns = await server.ctx.registry.tally('town');
    const total: Record<string, number> = {};
    for (const t of towns) for (const [s, n] of Object.entries(t.byStatus)) total[s] = (total[s] ?? 0) + n;
    const cut = towns.find((t) => t.code === POWER_CUT_TOWN);
    const counts = ['online', 'degraded', 'offline', 'unknown'].map((s) => `${s} ${total[s] ?? 0}`).join(' · ');
    out(`[T+${player.elapsedS}s] status: ${counts}${cut ? ` | ${cut.name} offline ${cut.byStatus.offline ?? 0}/${cut.cameras}` : ''}`);
  } catch (err) {
    out(`[T+${player.elapsedS}s] status unavailable: ${(err as Error).message}`);
  }
}

function handleSignals(stop: () => Promise<void>, fleet: Fleet): void {
  let stopping = false;
  const onSignal = (signal: string): void => {
    if (stopping) return void process.exit(130); // a second Ctrl-C: leave now
    stopping = true;
    out(`\n${signal}: stopping the demo…`);
    const guard = setTimeout(() => {
      process.stderr.write('the demo did not stop within 20 s; exiting\n');
      process.exit(1);
    }, 20_000);
    guard.unref();
    stop()
      .then(() => process.exit(0))
      .catch(async (err: Error) => {
        process.stderr.write(`error while stopping: ${err.message}\n`);
        await fleet.stop().catch(() => undefined);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`demo failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
