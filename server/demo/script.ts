/**
 * The demo's scripted day: what goes wrong when, as a pure timeline of events per cycle (the cycle
 * repeats; each repetition draws its single faults from `seed + cycle`). Times are ms from the start
 * of the cycle. Fixed scenes:
 *   T+20 s, then every 20 s   the flapping camera is killed / revived in turn
 *   T+60 s → T+150 s          power cut: every camera of one town killed at once, then restored
 *   T+100 s → T+200 s         the NVR goes down with all its channels, then comes back
 * plus random single-camera faults (down, hang, auth, notfound, novideo, clock skew of 10 min) from
 * T+5 s, each cleared 25–90 s later and all cleared before the cycle ends.
 */
import { seededRandom } from './random.js';

/** What a scripted fault does to a simulated camera. */
export type DemoFault = 'down' | 'hang' | 'auth' | 'notfound' | 'novideo' | 'skew';
/** Every single-camera fault kind, in legend order. */
export const SINGLE_FAULTS: readonly DemoFault[] = ['down', 'hang', 'auth', 'notfound', 'novideo', 'skew'];
/** Which part of the script an event belongs to. */
export type Scene = 'single' | 'flap' | 'power' | 'nvr';

/** One step: start (`on`) or clear a fault on some cameras (fleet indexes). */
export interface ScriptEvent {
  atMs: number;
  scene: Scene;
  fault: DemoFault;
  on: boolean;
  cameras: readonly number[];
  label: string;
}

/** The cameras each scene acts on. */
export interface ScriptCast {
  /** The town of the power cut and its cameras. */
  powerCut: { townName: string; cameras: readonly number[] };
  nvr: { site: string; cameras: readonly number[] };
  flapper: { name: string; camera: number };
  /** Candidates for single faults (should exclude every camera above). */
  pool: readonly number[];
  /** Name of a camera, for labels. */
  nameOf(index: number): string;
}

/** Timing of the script (ms from the cycle start). */
export const TIMELINE = {
  cycleMs: 240_000,
  flapEveryMs: 20_000,
  powerCutAtMs: 60_000,
  powerBackAtMs: 150_000,
  nvrDownAtMs: 100_000,
  nvrBackAtMs: 200_000,
  singlesFromMs: 5_000,
  singleGapMs: [4_000, 10_000],
  singleDurationMs: [25_000, 90_000],
  /** Every single fault is cleared by cycleMs − this. */
  quietEndMs: 5_000,
} as const;

/** The events of cycle `cycle` (0, 1, …), sorted by time; same inputs → same events. */
export function buildScript(cast: ScriptCast, seed: number, cycle = 0): ScriptEvent[] {
  const t = TIMELINE;
  const events: ScriptEvent[] = [];
  const push = (atMs: number, scene: Scene, fault: DemoFault, on: boolean, cameras: readonly number[], label: string): void => {
    events.push({ atMs, scene, fault, on, cameras, label });
  };
  for (let at = t.flapEveryMs; at < t.cycleMs; at += 2 * t.flapEveryMs) {
    push(at, 'flap', 'down', true, [cast.flapper.camera], `flapping: ${cast.flapper.name} down`);
    push(Math.min(at + t.flapEveryMs, t.cycleMs), 'flap', 'down', false, [cast.flapper.camera], `flapping: ${cast.flapper.name} back`);
  }
  const town = cast.powerCut;
  push(t.powerCutAtMs, 'power', 'down', true, town.cameras, `power cut: every camera of ${town.townName} down (${town.cameras.length})`);
  push(t.powerBackAtMs, 'power', 'down', false, town.cameras, `power restored in ${town.townName} (${town.cameras.length} cameras)`);
  const nvr = cast.nvr;
  push(t.nvrDownAtMs, 'nvr', 'down', true, nvr.cameras, `NVR ${nvr.site} down with its ${nvr.cameras.length} channels`);
  push(t.nvrBackAtMs, 'nvr', 'down', false, nvr.cameras, `NVR ${nvr.site} back (${nvr.cameras.length} channels)`);
  events.push(...singleFaults(cast, seed + cycle));
  return events.sort((a, b) => a.atMs - b.atMs || Number(a.on) - Number(b.on));
}

function singleFaults(cast: ScriptCast, seed: number): ScriptEvent[] {
  const t = TIMELINE;
  const random = seededRandom(seed);
  const order = random.shuffle(cast.pool);
  const kinds = random.shuffle(SINGLE_FAULTS); // each kind in turn, so every cycle shows all six
  const out: ScriptEvent[] = [];
  const lastEnd = t.cycleMs - t.quietEndMs;
  let at = t.singlesFromMs;
  for (let k = 0; k < order.length; k++) {
    const duration = random.int(t.singleDurationMs[0], t.singleDurationMs[1]);
    if (at + t.singleDurationMs[0] > lastEnd) break;
    const fault = kinds[k % kinds.length];
    const camera = order[k];
    const end = Math.min(at + duration, lastEnd);
    out.push({ atMs: at, scene: 'single', fault, on: true, cameras: [camera], label: `${cast.nameOf(camera)}: ${FAULT_WORDS[fault]}` });
    out.push({ atMs: end, scene: 'single', fault, on: false, cameras: [camera], label: `${cast.nameOf(camera)}: ${FAULT_WORDS[fault]} cleared` });
    at += random.int(t.singleGapMs[0], t.singleGapMs[1]);
  }
  return out;
}

const FAULT_WORDS: Record<DemoFault, string> = {
  down: 'down (refuses connections)',
  hang: 'hangs (accepts, never answers)',
  auth: 'rejects credentials',
  notfound: 'stream not found (RTSP 404)',
  novideo: 'audio only, no video',
  skew: 'clock 10 minutes fast',
};

/** The one-line legend printed at start. */
export function legend(cast: ScriptCast, seed: number): string {
  const t = TIMELINE;
  const s = (ms: number): string => `T+${ms / 1000}s`;
  return (
    `script (repeats every ${t.cycleMs / 1000} s, seed ${seed}): ` +
    `random single faults (${SINGLE_FAULTS.join('/')}, ${t.singleDurationMs[0] / 1000}–${t.singleDurationMs[1] / 1000} s each) · ` +
    `${cast.flapper.name} flaps every ${t.flapEveryMs / 1000} s from ${s(t.flapEveryMs)} · ` +
    `${s(t.powerCutAtMs)} power cut in ${cast.powerCut.townName} (${cast.powerCut.cameras.length} cameras) → ${s(t.powerBackAtMs)} restored · ` +
    `${s(t.nvrDownAtMs)} NVR ${cast.nvr.site} (${cast.nvr.cameras.length} ch) down → ${s(t.nvrBackAtMs)} back`
  );
}
