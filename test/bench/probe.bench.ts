/**
 * Liveness benchmark: `npm run bench:probe -- --cameras 10000 --duration 120`.
 *
 * Processes: the camera simulator (workers/simulator/main.ts), the floor loop (floor-loop.ts) and the
 * liveness worker (probe-worker.ts) each run as their own child, so each one's CPU and memory are its
 * own. On the embedded default the worker child opens the PGlite folder after this process closed it.
 *
 * 1. Setup (untimed): simulator with N Digest cameras on --base; the cameras registered
 *    (probe-setup.ts); the full-speed floor: 4 × `--floor-rounds` bare rounds at the worker's concurrency
 *    (again once the worker stopped; `floorCpuMsPer1000` pools both runs).
 * 2. Steady state: the worker child puts each camera on its own phase slot in the first interval,
 *    probes for --warmup s (default two intervals: every camera probed twice, JIT warm, answer memo
 *    learned — the cycle before the window is reported as `learningCycleCpuMsPer1000`), then measures
 *    --duration; per round it logs cameraId, lag and latency (onRound). Other processes' CPU is
 *    sampled each second: the machine may be shared. With --outage-pct, a block of the fleet goes dark
 *    when the window starts and the child reports when each camera was declared offline (probe-outage.ts).
 * 3. Saturation (--saturation-s, 0 = skip): every camera due at once; sustained rounds/s →
 *    maxCamerasPerCycle = floor(rate × interval). CPU of worker, simulator and the rest of the machine
 *    are read from /proc so the limiting party is visible.
 * 4. The paced floor (probe-floor.ts), once the worker stopped: the same bare rounds started on the
 *    worker's phase slots at the rate it ran in the window → floorPacedCpuMsPer1000, cpuRatioPaced.
 * Prints one JSON line on stdout (progress on stderr); exit 1 if the worker crashed, coverage < 50 %,
 * or anything failed. Backend: temp PGlite folder, or a throw-away `sem_bench_<pid>` on DATABASE_URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/index.js';
import { BenchChild, log, sampleOtherLoad, startSimulator, stopProcess, throwAwayDatabase, type Backend, type Simulator } from './probe-env.js';
import { cores, coverage, LOOP_DELAY_RESOLUTION_MS, dbDelta, lateRounds, rowsWritten, percentile, r1, type Msg, type WorkerMessage } from './probe-metrics.js';
import { logDb, others, outside, saturation, type Outside } from './probe-saturation.js';
import { pacingOf, pooledFloor, runFloor, runPacedFloor } from './probe-floor.js';
import { endOutage, startOutage } from './probe-outage.js';
import { BENCH_KEY, parseOptions, setupDatabase, slowDown, type BenchOptions, type SimCamera } from './probe-setup.js';
import { WORKER_NODE_FLAGS } from '../../workers/runtime-flags.js';

/**
 * Each of the two full-speed floor runs (before and after the worker) does this many times --floor-rounds
 * (≈ 10 s: a 3-s run swung ±20 % between runs); the paced one runs --floor-rounds at the worker's rate.
 */
const FULL_SPEED_FLOOR_FACTOR = 4;

function workerEnv(o: BenchOptions, dataDir: string, backend: Backend): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['DATABASE_URL', 'PGLITE_DIR', 'CONFIG_FILE', 'LIVENESS_POLICIES']) delete env[key];
  return {
    ...env,
    DATA_DIR: dataDir,
    ...(backend.databaseUrl ? { DATABASE_URL: backend.databaseUrl } : {}),
    CAMERA_SECRET_KEY: BENCH_KEY,
    LOG_LEVEL: 'warn',
    WORKER_ID: 'bench-worker',
    CHECK_INTERVAL_S: String(o.intervalS),
    WORKER_CONCURRENCY: String(o.concurrency),
    WORKER_PER_HOST: String(o.perHost),
    PROBE_TIMEOUT_MS: String(o.timeoutMs),
  };
}

/** The steady-state window and the saturation phase; returns the figures of the JSON line and the window's pacing. */
async function runWorker(sim: Simulator, cameras: SimCamera[], o: BenchOptions, dataDir: string, backend: Backend, children: BenchChild<WorkerMessage>[]) {
  const durationMs = o.durationS * 1000;
  const graceMs = o.timeoutMs + 1500;
  const profile = o.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(o.profile)}`] : [];
  const args = JSON.stringify({ durationMs, leadMs: 5000, warmupMs: o.warmupS * 1000, graceMs });
  // Started as `npm run worker` starts it (its V8 flags), plus the profiler when asked.
  const worker = new BenchChild<WorkerMessage>('worker', './probe-worker.ts', [args], workerEnv(o, dataDir, backend), [...WORKER_NODE_FLAGS, ...profile]);
  children.push(worker);
  const started = (await worker.next('started', 120_000)) as Msg<'started'>;
  log(`worker child up (database opened in ${started.openMs} ms); ${started.ids.length} cameras on their phase slots from now + 5 s; ` +
    `measuring ${o.durationS} s after ${o.warmupS} s of warm-up`);
  const around: Partial<Record<'before' | 'after', Outside>> = {};
  let sampler: ReturnType<typeof sampleOtherLoad> | undefined;
  const timers = [
    setTimeout(() => {
      around.before = outside(sim, backend);
      sampler = sampleOtherLoad([sim.child.pid!, worker.child.pid!, process.pid], backend.dbName);
    }, started.t0 - Date.now()),
    setTimeout(() => (around.after = outside(sim, backend)), started.t0 + durationMs - Date.now()),
  ];
  // --outage-pct: the block goes dark when the window starts; the child hears which cameras and when.
  const outage = o.outagePct > 0
    ? new Promise((resolve) => setTimeout(resolve, started.t0 - Date.now()))
      .then(() => startOutage(sim.control, cameras, o.outagePct, o.outageKind))
      .then((dark) => {
        worker.send(dark);
        log(`outage: ${dark.urls.length} cameras (${o.outagePct} %) set to ${dark.kind} in ${dark.switchMs} ms`);
        return dark;
      })
    : undefined;
  outage?.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  const win = (await worker.next('window', started.t0 - Date.now() + durationMs + graceMs + 60_000)) as Msg<'window'>;
  const dark = await outage;
  if (dark) await endOutage(sim.control, dark, cameras);
  timers.forEach(clearTimeout);
  if (win.outage) {
    const x = win.outage;
    log(`outage: ${x.detectedPct} % of ${x.cameras} declared offline; detected ${x.detectP50Ms} ms (p50), ${x.detectP99Ms} ms (p99), ${x.detectMaxMs} ms (max) after ` +
      `their fault; the other cameras' lag p99 ${x.healthyLagP99Ms} ms, max ${x.healthyLagMaxMs} ms, ${x.healthyRoundsOver5sLate} rounds > 5 s late`);
  }
  const load = sampler?.stop() ?? [];
  const figures = windowFigures(o, backend, started, win, graceMs, around.before, around.after, load);

  const sat = o.saturationS > 0 ? await saturation(worker, sim, backend, o) : undefined;
  worker.send({ type: 'stop' });
  const stopped = (await worker.next('stopped', 60_000)) as Msg<'stopped'>;
  await worker.ended(10_000);
  const writeErrors = win.end.writeErrors;
  if (writeErrors > 0 || stopped.loggedErrors > 0) throw new Error(`worker reported ${writeErrors} write errors and logged ${stopped.loggedErrors} errors (see its log above)`);
  const pacing = pacingOf(started.firstDue, started.begin, o.intervalS * 1000, figures.probesPerSec);
  return {
    figures: { ...figures, ...(win.outage ? { outage: win.outage } : {}), peakRssMb: Math.max(stopped.peakRssMb, stopped.sampledPeakRssMb), maxCamerasPerCycle: sat ? sat.maxCamerasPerCycle : null, ...(sat ? { saturation: sat } : {}) },
    pacing,
  };
}

/** Coverage, lag, CPU and writes of the steady-state window (logged on stderr too). */
function windowFigures(
  o: BenchOptions, backend: Backend, started: Msg<'started'>, win: Msg<'window'>, graceMs: number,
  before: Outside | undefined, after: Outside | undefined, load: Array<{ t: number; cores: number }>,
) {
  const durationMs = o.durationS * 1000;
  const intervalMs = o.intervalS * 1000;
  const { start, end } = win;
  const wall = end.wall - start.wall;
  const rounds = end.rounds - start.rounds;
  const cov = coverage(started.ids, started.firstDue, win.log, started.t0, durationMs, intervalMs, started.t0 + durationMs + graceMs);
  const db = dbDelta(start.db, end.db);
  const cpuMsPer1000 = ((end.cpuMs - start.cpuMs) * 1000) / rounds;
  const mainMsPer1000 = ((end.mainCpuMs - start.mainCpuMs) * 1000) / rounds;
  const dbEngineCpuMsPer1000 = start.dbEngineCpuMs !== null && end.dbEngineCpuMs !== null ? r1(((end.dbEngineCpuMs - start.dbEngineCpuMs) * 1000) / rounds) : null;
  log(`window: ${rounds} rounds in ${wall} ms; coverage ${cov.coveragePct}% (${cov.slotsServed}/${cov.slots} due slots served; ≥${Math.floor(durationMs / intervalMs)} rounds: ${cov.minRoundsPct}%); not online: ${win.log.notOnline}`);
  const late = lateRounds(win.log, started.t0, started.t0 + durationMs, 1000);
  const warm = lateRounds(win.log, started.begin, started.t0, 1000);
  log(`lag: ${late.count} rounds of the window started > 1 s late` + (late.count ? ` (due ${late.firstS}…${late.lastS} s into it, worst at ${late.worstS} s)` : '') +
    `; event-loop delay (sampled every ${LOOP_DELAY_RESOLUTION_MS} ms) p99 ${r1(win.loopDelayMs.p99)} ms, max ${r1(win.loopDelayMs.max)} ms; during warm-up ${warm.count} rounds > 1 s late`);
  if (late.count > 0) {
    const from = started.t0 + late.firstS * 1000 - 3000;
    const span = load.filter((l) => l.t >= from && l.t <= started.t0 + late.lastS * 1000 + 1000);
    const avg = span.reduce((a, l) => a + l.cores, 0) / Math.max(1, span.length);
    log(`other processes kept ${r1(avg)} cores busy around the late rounds (peak ${r1(Math.max(0, ...span.map((l) => l.cores)))}; window average ${r1(load.reduce((a, l) => a + l.cores, 0) / Math.max(1, load.length))})`);
  }
  log(`worker CPU: ${r1(cpuMsPer1000)} ms/1000 rounds (main thread ${r1(mainMsPer1000)}, other threads ${r1(cpuMsPer1000 - mainMsPer1000)}` +
    `${dbEngineCpuMsPer1000 !== null ? `, of them the embedded database engine ${dbEngineCpuMsPer1000}` : ''}); ` +
    `${cores(end.cpuMs - start.cpuMs, wall)} cores; event loop busy ${Math.round((100 * (end.eluActiveMs - start.eluActiveMs)) / wall)}%`);
  const { prior } = win;
  const learningCycleCpuMsPer1000 = prior ? r1(((start.cpuMs - prior.cpuMs) * 1000) / (start.rounds - prior.rounds)) : null;
  if (prior) log(`the cycle before the window (${start.rounds - prior.rounds} rounds; the answer memo's learning cycle with the default warm-up): ${learningCycleCpuMsPer1000} CPU ms/1000 rounds`);
  const x = before && after ? others(before, after, cores(end.cpuMs - start.cpuMs, wall)) : undefined;
  const dbServerCpuMsPer1000 = before && after && backend.dbName ? r1(((after.db - before.db) * 1000) / rounds) : null;
  if (x && before && after) {
    log(`simulator CPU ${r1(((after.sim - before.sim) * 1000) / rounds)} ms/1000 rounds (${x.sim} cores)` +
      `${dbServerCpuMsPer1000 !== null ? `; PostgreSQL backends ${dbServerCpuMsPer1000} ms/1000 rounds (${x.db} cores)` : ''}; ` +
      `machine busy ${x.machine} of ${os.cpus().length} cores, ${x.rest} of them other processes (they skew the figures)`);
  }
  logDb('window', db, wall);
  log(`camera_checks (table + indexes): ${r1(win.tableMb[0])} → ${r1(win.tableMb[1])} MB over the window (vacuum runs on VACUUM_CRON)`);
  log(`scheduler: claims ${end.claims - start.claims}, written ${end.written - start.written}, write-back statements ${end.writeBacks - start.writeBacks}, state changes ${end.changes - start.changes}, write errors ${end.writeErrors - start.writeErrors}`);
  return {
    probesPerSec: r1(rounds / (wall / 1000)),
    coveragePct: cov.coveragePct,
    lagP50Ms: r1(percentile(cov.lags, 50)),
    lagP99Ms: r1(percentile(cov.lags, 99)),
    cpuMsPer1000: r1(cpuMsPer1000),
    // Filled in after the worker stopped (the second full-speed floor run, and the paced floor at the rate measured here).
    floorCpuMsPer1000: 0,
    cpuRatio: 0,
    floorPacedCpuMsPer1000: null as number | null,
    cpuRatioPaced: null as number | null,
    peakRssMb: 0,
    dbWritesPerSec: r1(rowsWritten(start, end) / (wall / 1000)),
    maxCamerasPerCycle: null as number | null,
    // Beyond the required keys: what the figures are made of.
    workerMainCpuMsPer1000: r1(mainMsPer1000),
    floorMainCpuMsPer1000: 0,
    floorRunsCpuMsPer1000: [] as number[],
    learningCycleCpuMsPer1000,
    dbServerCpuMsPer1000,
    dbEngineCpuMsPer1000,
    dbWriteBacksPerSec: r1((end.writeBacks - start.writeBacks) / (wall / 1000)),
    minRoundsPct: cov.minRoundsPct,
    lagMaxMs: r1(Math.max(...cov.lags)),
    loopDelayMaxMs: r1(win.loopDelayMs.max),
    notOnlineRounds: win.log.notOnline,
    checkTableGrowthMb: r1(win.tableMb[1] - win.tableMb[0]),
    otherLoadCores: x ? x.rest : null,
    slowPct: o.slowPct,
  };
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  const adminUrl = process.env.DATABASE_URL || undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sem-bench-probe-'));
  let backend: Backend | undefined;
  let sim: Simulator | undefined;
  const children: BenchChild<WorkerMessage>[] = [];
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      for (const child of children) await child.kill().catch(() => undefined);
      await stopProcess(sim?.child);
      await backend?.drop().catch((err: unknown) => log(`dropping the bench database failed: ${String(err)}`));
      rmSync(dataDir, { recursive: true, force: true });
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(1));
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    backend = adminUrl ? await throwAwayDatabase(adminUrl) : { name: 'pglite', drop: async () => undefined };
    const config = loadConfig({
      DATA_DIR: dataDir, LOG_LEVEL: 'silent', CAMERA_SECRET_KEY: BENCH_KEY, WORKER_ENABLED: 'false',
      ...(backend.databaseUrl ? { DATABASE_URL: backend.databaseUrl } : {}),
    });
    log(`backend ${backend.name}; ${os.cpus().length} CPUs, load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
    sim = await startSimulator(o.cameras, o.base, o.port, o.nvr);
    log(`simulator: ${o.cameras} cameras from ${o.base}:${o.port} ready in ${sim.startMs} ms (control ${sim.control})`);
    const cameras = (await (await fetch(`${sim.control}/cameras`)).json()) as SimCamera[];
    await slowDown(sim.control, cameras, o.slowPct);
    await setupDatabase(config, cameras, o.cold);
    const floorBefore = await runFloor(sim, FULL_SPEED_FLOOR_FACTOR * o.floorRounds, o.concurrency);
    const { figures, pacing } = await runWorker(sim, cameras, o, dataDir, backend, children);
    await backend.settle?.();
    const floor = pooledFloor([floorBefore, await runFloor(sim, FULL_SPEED_FLOOR_FACTOR * o.floorRounds, o.concurrency)]);
    figures.floorCpuMsPer1000 = floor.cpuMsPer1000;
    figures.cpuRatio = Math.round((figures.cpuMsPer1000 / floor.cpuMsPer1000) * 100) / 100;
    figures.floorMainCpuMsPer1000 = floor.mainCpuMsPer1000;
    figures.floorRunsCpuMsPer1000 = floor.runsCpuMsPer1000;
    const paced = await runPacedFloor(sim, o, pacing);
    figures.floorPacedCpuMsPer1000 = r1(paced);
    figures.cpuRatioPaced = Math.round((figures.cpuMsPer1000 / paced) * 100) / 100;
    log(`CPU per 1000 rounds: worker ${figures.cpuMsPer1000}; floor full speed ${figures.floorCpuMsPer1000} (ratio ${figures.cpuRatio}), ` +
      `paced at the worker's ${figures.probesPerSec}/s ${figures.floorPacedCpuMsPer1000} (ratio ${figures.cpuRatioPaced})`);
    const result = { bench: 'probe', backend: backend.name, cameras: o.cameras, durationS: o.durationS, ...figures };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    // With --outage-pct the rounds are not the floor's healthy exchanges: no CPU ratio target.
    const healthy = o.outagePct === 0;
    const missed = [
      result.lagP99Ms > 5000 ? `lagP99Ms ${result.lagP99Ms} > 5000` : '',
      healthy && result.cpuRatio > 1.5 ? `cpuRatio ${result.cpuRatio} > 1.5` : '',
      healthy && result.cpuRatioPaced !== null && result.cpuRatioPaced > 1.5 ? `cpuRatioPaced ${result.cpuRatioPaced} > 1.5` : '',
      backend.name === 'postgres' && result.peakRssMb > 300 ? `peakRssMb ${result.peakRssMb} > 300` : '',
      result.maxCamerasPerCycle !== null && result.maxCamerasPerCycle < 50_000 ? `maxCamerasPerCycle ${result.maxCamerasPerCycle} < 50000 (stretch)` : '',
    ].filter(Boolean);
    if (missed.length > 0) log(`target missed: ${missed.join(', ')}`);
    if (result.coveragePct < 50) throw new Error(`coverage ${result.coveragePct}% < 50%: the worker did not keep up with ${o.cameras} cameras`);
    return 0;
  } catch (err) {
    process.stderr.write(`bench:probe failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench:probe failed: ${String(err)}\n`);
    process.exit(1);
  },
);
