/**
 * `bench:probe --outage-pct N [--outage-kind hang|down|reset]`: a power cut in the fleet's steady state.
 * When the measured window starts, N % of the cameras — one block of the fleet, as one town's cameras
 * are — stop answering (`hang`: they accept and never answer, so every exchange waits for its timeout,
 * the costliest case for the worker; `down`: refused; `reset`: TCP reset). The worker child then reports
 * when each of them was declared offline (its first outage-log row after its fault) and how late the
 * rest of the fleet's rounds started meanwhile. Dark cameras hold their concurrency slot until
 * PROBE_TIMEOUT_MS on every round and every recheck, so a large silent block can use up
 * WORKER_CONCURRENCY and delay the healthy cameras.
 */
import type { Database } from '../../server/storage/db.js';
import { setSimulatorFaults } from './probe-env.js';
import { percentile, r1, type RoundLog } from './probe-metrics.js';
import type { SimCamera } from './probe-setup.js';

export const OUTAGE_KINDS = ['hang', 'down', 'reset'] as const;
export type OutageKind = (typeof OUTAGE_KINDS)[number];

/** Sent to the worker child once the block is dark: each camera's RTSP URL and when its fault took effect. */
export interface OutageStart {
  type: 'outage';
  kind: OutageKind;
  urls: string[];
  at: number[];
  switchMs: number;
}

export interface OutageFigures {
  cameras: number;
  kind: OutageKind;
  /** Time the simulator took to switch the whole block (detection is timed from each camera's own switch). */
  switchMs: number;
  /** Share of the block with an outage-log row to `offline` by the end of the window and its grace. */
  detectedPct: number;
  detectP50Ms: number;
  detectP99Ms: number;
  detectMaxMs: number;
  /** Schedule lag of the other cameras' rounds in the window. */
  healthyLagP99Ms: number;
  healthyLagMaxMs: number;
  healthyRoundsOver5sLate: number;
}

/** Switches the first `pct` % of `cameras` to `kind` on both protocols. */
export async function startOutage(control: string, cameras: SimCamera[], pct: number, kind: OutageKind): Promise<OutageStart> {
  const block = cameras.slice(0, Math.round((cameras.length * pct) / 100));
  const began = Date.now();
  const at = await setFaults(control, block, kind);
  return { type: 'outage', kind, urls: block.map((cam) => cam.rtspUrl), at, switchMs: Date.now() - began };
}

/** Brings the block back (the floor runs after the window need every camera answering). */
export async function endOutage(control: string, outage: OutageStart, cameras: SimCamera[]): Promise<void> {
  const dark = new Set(outage.urls);
  await setFaults(control, cameras.filter((cam) => dark.has(cam.rtspUrl)), 'none');
}

/** Sets `fault` on both protocols of each camera; returns when each took effect. */
function setFaults(control: string, block: SimCamera[], fault: OutageKind | 'none'): Promise<number[]> {
  return setSimulatorFaults(control, block, () => ({ rtsp: fault, onvif: fault }));
}

/** In the worker child, after the window's grace: detection times from the outage log, lag of the rest from the round log. */
export async function outageFigures(db: Database, outage: OutageStart, log: RoundLog, from: number, to: number): Promise<OutageFigures> {
  const rows = await db.query<{ id: string; url: string }>('SELECT id, rtsp_main_url AS url FROM cameras WHERE rtsp_main_url = ANY($1)', [outage.urls]);
  const switchedAt = new Map(outage.urls.map((url, i) => [url, outage.at[i]]));
  const dark = new Map(rows.map((r) => [r.id, switchedAt.get(r.url)!]));
  const declared = await db.query<{ camera_id: string; at: Date }>(
    `SELECT camera_id, min(at) AS at FROM outage_log
     WHERE to_status = 'offline' AND camera_id = ANY($1::uuid[]) AND at >= $2 GROUP BY camera_id`,
    [[...dark.keys()], new Date(Math.min(...outage.at))],
  );
  const detect = declared.map((r) => r.at.getTime() - dark.get(r.camera_id)!);
  const lags: number[] = [];
  for (let i = 0; i < log.ids.length; i++) if (log.at[i] >= from && log.at[i] < to && !dark.has(log.ids[i])) lags.push(log.lag[i]);
  return {
    cameras: outage.urls.length,
    kind: outage.kind,
    switchMs: outage.switchMs,
    detectedPct: r1((100 * detect.length) / Math.max(1, outage.urls.length)),
    detectP50Ms: r1(percentile(detect, 50)),
    detectP99Ms: r1(percentile(detect, 99)),
    detectMaxMs: r1(detect.length > 0 ? Math.max(...detect) : NaN),
    healthyLagP99Ms: r1(percentile(lags, 99)),
    healthyLagMaxMs: r1(lags.length > 0 ? Math.max(...lags) : NaN),
    healthyRoundsOver5sLate: lags.filter((lag) => lag > 5000).length,
  };
}
