/**
 * `bench:probe` shared shapes (messages between the orchestrator and the worker child) and the
 * arithmetic: coverage, percentiles, differences of snapshots.
 */

import type { OutageFigures } from './probe-outage.js';

/** The worker child samples its event-loop delay this often during the window (probe-worker.ts says why not finer). */
export const LOOP_DELAY_RESOLUTION_MS = 500;

/** Per statement kind (`UPDATE camera_checks`, `INSERT INTO probe_samples`, `BEGIN`…): count, rows, wall ms. */
export type DbStats = Record<string, { n: number; rows: number; ms: number }>;

/** Cumulative figures of the worker child at one instant. */
export interface Snapshot {
  wall: number;
  /** process.cpuUsage() user + system, ms (every thread: JS, GC helpers, libuv, PGlite). */
  cpuMs: number;
  /** The main (JavaScript) thread only, from /proc/self/task/<pid>/stat (10 ms ticks). */
  mainCpuMs: number;
  /** The embedded database engine's thread(s) (those its open started), ms; null on the PostgreSQL server. */
  dbEngineCpuMs: number | null;
  /** Event-loop busy time (performance.eventLoopUtilization().active), ms. */
  eluActiveMs: number;
  rounds: number;
  claims: number;
  written: number;
  samples: number;
  changes: number;
  writeErrors: number;
  writeBacks: number;
  db: DbStats;
}

/** What the worker logged per round (parallel arrays; `at` = worker clock when onRound fired). */
export interface RoundLog {
  ids: string[];
  at: number[];
  lag: number[];
  latency: number[];
  notOnline: number;
}

export type WorkerMessage =
  | { type: 'started'; begin: number; t0: number; ids: string[]; firstDue: number[]; openMs: number }
  | {
      type: 'window'; prior?: Snapshot; start: Snapshot; end: Snapshot; log: RoundLog; tableMb: [number, number];
      loopDelayMs: { p99: number; max: number }; outage?: OutageFigures;
    }
  | { type: 'saturation'; start: Snapshot; end: Snapshot; made: number; rounds: number; notOnline: number; firstAt: number; lastAt: number; latencyP50: number; latencyP99: number }
  | { type: 'stopped'; peakRssMb: number; sampledPeakRssMb: number; loggedErrors: number }
  | { type: 'failed'; message: string };

/** One kind of message from the worker child. */
export type Msg<T extends WorkerMessage['type']> = Extract<WorkerMessage, { type: T }>;

export interface FloorResult {
  type: 'result';
  rounds: number;
  failures: number;
  cpuMs: number;
  mainCpuMs: number;
  wallMs: number;
}

export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const r1 = (v: number) => Math.round(v * 10) / 10;

/** Difference of two DbStats per statement kind (for the log). */
export function dbDelta(a: DbStats, b: DbStats): DbStats {
  const byKind: DbStats = {};
  for (const [kind, end] of Object.entries(b)) {
    const start = a[kind] ?? { n: 0, rows: 0, ms: 0 };
    const d = { n: end.n - start.n, rows: end.rows - start.rows, ms: end.ms - start.ms };
    if (d.n !== 0) byKind[kind] = d;
  }
  return byKind;
}

/**
 * Rows the worker wrote between two snapshots: each claim and each written round update a
 * camera_checks row, each kept sample is a probe_samples row, each state change an outage-log row
 * and a cameras row. From the scheduler's counters: one write-back statement carries a whole batch.
 */
export function rowsWritten(a: Snapshot, b: Snapshot): number {
  return b.claims - a.claims + (b.written - a.written) + (b.samples - a.samples) + 2 * (b.changes - a.changes);
}

export interface Coverage {
  coveragePct: number;
  /** The weaker reading: share of cameras with ≥ floor(duration / interval) rounds in the window. */
  minRoundsPct: number;
  /** Lags of the rounds that served a due slot of the window. */
  lags: number[];
  slots: number;
  slotsServed: number;
}

/**
 * Coverage. Each camera c is seeded on its own phase slot s_c (the slot the engine's nextSlot keeps
 * it on), so it falls due at s_c + k·I. Its due slots in the window are those with
 * t0 ≤ s_c + k·I < t0 + D. A round serves a slot when its start-due estimate (completion − latency −
 * lag, i.e. the dueAt it was claimed with) lies within ±I/2 of it and it completed by `deadline`
 * (t0 + D + probe timeout + a second). A camera is covered when every one of its due slots in the
 * window was served: "checked at least once in every interval window it was due in".
 */
export function coverage(ids: string[], firstDue: number[], log: RoundLog, t0: number, durationMs: number, intervalMs: number, deadline: number): Coverage {
  const index = new Map(ids.map((id, i) => [id, i]));
  const end = t0 + durationMs;
  // Index of the camera's first slot in the window, and how many it has there.
  const k0 = firstDue.map((s) => Math.max(0, Math.ceil((t0 - s) / intervalMs)));
  const served = ids.map((_, i) => new Uint8Array(Math.max(0, Math.ceil((end - firstDue[i]) / intervalMs) - k0[i])));
  const roundsIn = new Uint32Array(ids.length);
  const lags: number[] = [];
  for (let r = 0; r < log.ids.length; r++) {
    const i = index.get(log.ids[r]);
    if (i === undefined || log.at[r] > deadline || log.at[r] < t0) continue;
    roundsIn[i]++;
    const due = log.at[r] - log.latency[r] - log.lag[r];
    const k = Math.round((due - firstDue[i]) / intervalMs) - k0[i];
    if (k < 0 || k >= served[i].length || served[i][k]) continue;
    served[i][k] = 1;
    lags.push(log.lag[r]);
  }
  let covered = 0;
  let slots = 0;
  let slotsServed = 0;
  const need = Math.floor(durationMs / intervalMs);
  let enough = 0;
  for (let i = 0; i < ids.length; i++) {
    const hit = served[i].reduce((a, b) => a + b, 0);
    slots += served[i].length;
    slotsServed += hit;
    if (hit === served[i].length) covered++;
    if (roundsIn[i] >= need) enough++;
  }
  return { coveragePct: r1((100 * covered) / ids.length), minRoundsPct: r1((100 * enough) / ids.length), lags, slots, slotsServed };
}

/** Cores used by a CPU-time delta over a wall-time delta. */
export const cores = (cpuMs: number, wallMs: number) => Math.round((100 * cpuMs) / wallMs) / 100;

/** Rounds due in [from, to) that started more than `thresholdMs` late: how many, and when (s after `from`) the first, worst and last were due. */
export function lateRounds(log: RoundLog, from: number, to: number, thresholdMs: number): { count: number; firstS: number; worstS: number; lastS: number } {
  let count = 0;
  let first = Infinity;
  let last = -Infinity;
  let worst = -1;
  let worstAt = NaN;
  for (let r = 0; r < log.lag.length; r++) {
    const due = log.at[r] - log.latency[r] - log.lag[r];
    if (log.lag[r] <= thresholdMs || due < from || due >= to) continue;
    const s = (due - from) / 1000;
    count++;
    first = Math.min(first, s);
    last = Math.max(last, s);
    if (log.lag[r] > worst) [worst, worstAt] = [log.lag[r], s];
  }
  return { count, firstS: r1(first), worstS: r1(worstAt), lastS: r1(last) };
}
