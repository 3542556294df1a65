/**
 * The two CPU floors of `bench:probe`, each a floor-loop.ts child doing the worker's wire exchanges
 * with as little code as possible:
 * - full speed (`floorCpuMsPer1000`): `concurrency` lanes back to back (~2,300 rounds/s on 2 cores),
 *   where many packets share one event-loop wake-up — cheaper per round than any paced loop;
 * - paced (`floorPacedCpuMsPer1000`): the worker's own phase slots, time-scaled to the rate the worker
 *   ran in the window, so the arrivals (and how they overlap) are the ones the schedule gave the worker.
 */
import { BenchChild, log, type Simulator } from './probe-env.js';
import type { BenchOptions } from './probe-setup.js';
import { r1, type FloorResult } from './probe-metrics.js';
import { tickAtOrAfter } from '../../workers/scheduler.js';

/** When each round of one period starts in a paced floor. */
export interface Pacing {
  /** Offsets within the period, sorted ascending (ms). */
  offsetsMs: number[];
  periodMs: number;
}

/**
 * The worker's schedule as a pacing: each camera's first due instant relative to `begin` (its phase
 * slot within the interval), stretched so that N cameras per period give `roundsPerSec`, then — as the
 * worker does — started on the next START_TICK_MS boundary with every round due by then, so the floor
 * gets the same shared wake-ups the worker gets.
 */
export function pacingOf(firstDue: number[], begin: number, intervalMs: number, roundsPerSec: number): Pacing {
  const periodMs = (firstDue.length * 1000) / roundsPerSec;
  const scale = periodMs / intervalMs;
  const slot = (t: number) => ((((t - begin) % intervalMs) + intervalMs) % intervalMs) * scale;
  const offsetsMs = firstDue.map((t) => tickAtOrAfter(slot(t)) % periodMs).sort((a, b) => a - b);
  return { offsetsMs, periodMs };
}

/** Runs one floor child: full speed when `pacing` is undefined, else paced by it. */
export async function runFloor(sim: Simulator, rounds: number, concurrency: number, pacing?: Pacing): Promise<FloorResult> {
  const name = pacing ? 'paced floor' : 'floor';
  const args = { control: sim.control, rounds, warmup: Math.ceil(rounds / 10), concurrency, paced: pacing !== undefined };
  const floor = new BenchChild<FloorResult | { type: 'ready' } | { type: 'failed' }>(name, './floor-loop.ts', [JSON.stringify(args)], process.env);
  try {
    if (pacing) {
      await floor.next('ready', 60_000);
      floor.send({ type: 'slots', ...pacing });
    }
    const result = (await floor.next('result', 600_000)) as FloorResult;
    await floor.ended(5000);
    if (result.failures > result.rounds * 0.01) throw new Error(`${name} loop: ${result.failures} of ${result.rounds} rounds failed`);
    log(`${name}: ${result.rounds} rounds in ${Math.round(result.wallMs)} ms (${Math.round((result.rounds * 1000) / result.wallMs)}/s), ` +
      `${r1((result.cpuMs * 1000) / result.rounds)} CPU ms per 1000 (main thread ${r1((result.mainCpuMs * 1000) / result.rounds)})`);
    return result;
  } finally {
    await floor.kill();
  }
}

/**
 * Full-speed floor runs pooled (rounds and CPU summed): one before the worker ran, one after. The
 * machine's speed drifts (back-to-back 10-s runs here spread 334–403 CPU ms per 1,000 rounds), and one
 * run taken minutes before the worker's window made `cpuRatio` swing with it.
 */
export function pooledFloor(runs: FloorResult[]): { cpuMsPer1000: number; mainCpuMsPer1000: number; runsCpuMsPer1000: number[] } {
  const rounds = runs.reduce((a, r) => a + r.rounds, 0);
  return {
    cpuMsPer1000: r1((runs.reduce((a, r) => a + r.cpuMs, 0) * 1000) / rounds),
    mainCpuMsPer1000: r1((runs.reduce((a, r) => a + r.mainCpuMs, 0) * 1000) / rounds),
    runsCpuMsPer1000: runs.map((r) => r1((r.cpuMs * 1000) / r.rounds)),
  };
}

/** The paced floor's CPU ms per 1,000 rounds: as many rounds as the full-speed floor, at the window's rate and phases. */
export async function runPacedFloor(sim: Simulator, o: BenchOptions, pacing: Pacing): Promise<number> {
  log(`paced floor: ${o.floorRounds} rounds on the worker's phase slots at ${r1((pacing.offsetsMs.length * 1000) / pacing.periodMs)}/s (≈ ${Math.round((o.floorRounds * pacing.periodMs) / pacing.offsetsMs.length / 1000)} s)`);
  const result = await runFloor(sim, o.floorRounds, o.concurrency, pacing);
  return (result.cpuMs * 1000) / result.rounds;
}
