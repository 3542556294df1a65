/**
 * `bench:probe`: what the other parties (simulator, database server, the rest of the machine) use
 * beside the worker, and the saturation phase — every camera due at once, the sustained rate and who
 * limits it (→ maxCamerasPerCycle).
 */
import os from 'node:os';
import { backendsCpuMs, log, machineCpuMs, procCpuMs, type BenchChild, type Backend, type Simulator } from './probe-env.js';
import { cores, dbDelta, r1, rowsWritten, type DbStats, type Msg, type WorkerMessage } from './probe-metrics.js';
import type { BenchOptions } from './probe-setup.js';

/** CPU of the simulator, of the database server's backends (PostgreSQL) and of the whole machine at one instant. */
export const outside = (sim: Simulator, backend: Backend) => ({
  wall: Date.now(),
  sim: procCpuMs(sim.child.pid!),
  db: backend.dbName ? backendsCpuMs(backend.dbName) : 0,
  machine: machineCpuMs().busy,
});
export type Outside = ReturnType<typeof outside>;

/** Cores used by the simulator, the database server, and everything else beside the worker, between two readings. */
export function others(a: Outside, b: Outside, workerCores: number) {
  const wall = b.wall - a.wall;
  const sim = cores(b.sim - a.sim, wall);
  const db = cores(b.db - a.db, wall);
  const machine = cores(b.machine - a.machine, wall);
  return { sim, db, machine, rest: Math.round((machine - workerCores - sim - db) * 100) / 100 };
}

/** Every camera due at once; sustained rate and who is busy while it lasts. */
export async function saturation(worker: BenchChild<WorkerMessage>, sim: Simulator, backend: Backend, o: BenchOptions) {
  const intervalMs = o.intervalS * 1000;
  const before = outside(sim, backend);
  worker.send({ type: 'saturate', seconds: o.saturationS });
  const s = (await worker.next('saturation', o.saturationS * 1000 + 60_000)) as Msg<'saturation'>;
  const after = outside(sim, backend);
  const wall = s.end.wall - s.start.wall;
  const rate = s.rounds / (wall / 1000);
  const workerCores = cores(s.end.cpuMs - s.start.cpuMs, wall);
  const mainCores = cores(s.end.mainCpuMs - s.start.mainCpuMs, wall);
  const mainMsPerRound = (s.end.mainCpuMs - s.start.mainCpuMs) / s.rounds;
  const x = others(before, after, workerCores);
  const elu = (s.end.eluActiveMs - s.start.eluActiveMs) / wall;
  const db = dbDelta(s.start.db, s.end.db);
  const n = os.cpus().length;
  const parties = `worker ${workerCores} (main thread ${mainCores}), simulator ${x.sim}, database server ${x.db}, other ${x.rest}`;
  const bottleneck =
    elu >= 0.9 && mainCores >= 0.85 ? `worker main thread CPU (${mainCores} of one core)`
    : elu >= 0.9 ? `worker event loop saturated, but its thread ran only ${mainCores} cores: it waits for a CPU (machine ${x.machine}/${n} — ${parties})`
    : x.machine >= 0.9 * n ? `machine CPU: all ${n} cores busy — ${parties}`
    : 'waits: database or network (no CPU is saturated)';
  log(`saturation: ${s.rounds} of ${s.made} cameras in ${wall} ms → ${Math.round(rate)} rounds/s; latency p50 ${r1(s.latencyP50)} ms p99 ${r1(s.latencyP99)} ms; ` +
    `${s.notOnline} healthy cameras judged not online`);
  log(`saturation CPU: ${parties}; machine ${x.machine}/${n}; event loop busy ${Math.round(elu * 100)}%; ` +
    `worker ${r1(((s.end.cpuMs - s.start.cpuMs) * 1000) / s.rounds)} ms/1000 rounds (main thread ${r1(mainMsPerRound * 1000)})`);
  logDb('saturation', db, wall);
  log(`saturation bottleneck: ${bottleneck}`);
  return {
    roundsPerSec: Math.round(rate),
    maxCamerasPerCycle: Math.floor((rate * intervalMs) / 1000),
    // The ceiling if the worker's main thread had a core to itself (simulator and database elsewhere).
    mainThreadBoundCamerasPerCycle: Math.floor(intervalMs / mainMsPerRound),
    cpuMsPer1000: r1(((s.end.cpuMs - s.start.cpuMs) * 1000) / s.rounds),
    mainCpuMsPer1000: r1(mainMsPerRound * 1000),
    workerCores, mainCores, simulatorCores: x.sim, dbServerCores: x.db, otherCores: x.rest, machineCores: x.machine,
    eventLoopBusyPct: Math.round(elu * 100),
    latencyP50Ms: r1(s.latencyP50),
    latencyP99Ms: r1(s.latencyP99),
    notOnlineRounds: s.notOnline,
    dbWritesPerSec: r1(rowsWritten(s.start, s.end) / (wall / 1000)),
    bottleneck,
  };
}

export function logDb(phase: string, byKind: DbStats, wall: number): void {
  const parts = Object.entries(byKind).map(([k, v]) => `${k} ×${v.n} ${v.rows} rows ${r1(v.ms / v.n)} ms avg`);
  log(`${phase} statements (${r1(wall / 1000)} s): ${parts.join('; ')}`);
}
