/**
 * Camera health: from one round of probe results to an observation, and from observations to
 * states with anti-flapping. Pure: no I/O, `now` passed in.
 */
import type { CameraStatus } from './camera.js';

/** The outcome of one probe as the domain needs it (a subset of the worker's ProbeResult). */
export interface CheckResult {
  ok: boolean;
  latencyMs: number;
  failureKind?: string;
  detail?: string;
  /** ONVIF only: device clock minus worker clock. */
  clockOffsetMs?: number;
}

/** Results of one check round. `tcp` is only run when no protocol check got an answer. */
export interface CheckRound {
  rtsp?: CheckResult;
  onvif?: CheckResult;
  tcp?: CheckResult;
}

export type Verdict = 'online' | 'degraded' | 'offline';

export interface Observation {
  verdict: Verdict;
  /** Names the failing check, e.g. "rtsp: not_found (RTSP/1.0 404)" or "host down: rtsp timeout, onvif timeout". */
  cause: string | null;
}

export interface LivenessPolicy {
  intervalMs: number;
  /** Fast rechecks after the first bad observation before a worse state is declared. */
  confirmRechecks: number;
  recheckIntervalMs: number;
  /** Consecutive good observations needed to move to a better state. */
  recoverChecks: number;
  clockOffsetThresholdMs: number;
}

export const DEFAULT_POLICY: LivenessPolicy = {
  intervalMs: 60_000,
  confirmRechecks: 3,
  recheckIntervalMs: 10_000,
  recoverChecks: 2,
  clockOffsetThresholdMs: 120_000,
};

// Failure kinds that prove the device answered: it is reachable, so at worst "degraded".
const ANSWERED = new Set(['auth', 'not_found', 'no_video', 'unsupported', 'error']);
// Failure kinds where something at the address replied, though not usefully.
const HOST_ANSWERED = new Set(['refused', 'protocol', 'too_large']);

function answered(r: CheckResult | undefined): boolean {
  return r !== undefined && (r.ok || ANSWERED.has(r.failureKind ?? ''));
}

function describe(name: string, r: CheckResult): string {
  return `${name}: ${r.failureKind ?? 'failed'}${r.detail ? ` (${r.detail})` : ''}`;
}

const CHECKED = ['rtsp', 'onvif'] as const;

/**
 * One round → verdict. Truth table (— = check not configured):
 *   rtsp      onvif        tcp   → verdict    cause
 *   ok        ok / —              online      null (or "onvif: clock offset …" → degraded)
 *   ok / —    ok                  online      (same clock rule)
 *   ok        failed              degraded    onvif failure
 *   failed    ok                  degraded    rtsp failure
 *   answered  answered            degraded    both failures (device up, service broken)
 *   answered  no answer / —       degraded    failures named
 *   no answer no answer / —  ok   offline     "service down: …" (host answers TCP)
 *   refused / protocol / too_large     offline     "service down: …" (the host replied)
 *   no answer no answer / —  fail offline     "host down: …"
 * "answered" = a failure kind showing the device replied (auth, not_found, no_video, unsupported, error).
 */
export function observe(round: CheckRound, policy: LivenessPolicy): Observation {
  // Loops, not filter/map/some closures made per call: this runs once per round.
  const failures: string[] = [];
  let anyAnswered = false;
  let hostUp = round.tcp?.ok === true;
  for (const k of CHECKED) {
    const r = round[k];
    if (r === undefined) continue;
    if (r.ok) {
      anyAnswered = true;
      continue;
    }
    failures.push(describe(k, r));
    if (answered(r)) anyAnswered = true;
    // A refusal, a garbled or oversized reply, or a TCP connect all prove the host itself is up.
    if (HOST_ANSWERED.has(r.failureKind ?? '')) hostUp = true;
  }
  if (failures.length === 0) {
    const offset = round.onvif?.clockOffsetMs;
    if (offset !== undefined && Math.abs(offset) > policy.clockOffsetThresholdMs) {
      return { verdict: 'degraded', cause: `onvif: clock offset ${Math.round(offset / 1000)} s` };
    }
    return { verdict: 'online', cause: null };
  }
  if (anyAnswered) return { verdict: 'degraded', cause: failures.join('; ') };
  const scope = hostUp ? 'service down' : 'host down';
  return { verdict: 'offline', cause: `${scope}: ${failures.join('; ')}` };
}

/** What the worker keeps per camera between rounds. */
export interface HealthState {
  status: CameraStatus;
  /** Consecutive observations pointing away from `status` in one direction. */
  streak: number;
  direction: 'worse' | 'better' | null;
}

export interface Transition {
  state: HealthState;
  /** Set when the status changes: one outage-log row. */
  change: { from: CameraStatus; to: CameraStatus } | null;
  /** When to check again: a fast recheck while a change is pending, else the regular interval. */
  nextCheckInMs: number;
}

const SEVERITY: Record<Verdict, number> = { online: 0, degraded: 1, offline: 2 };

/**
 * Anti-flapping state machine. Truth table (C = confirmRechecks, M = recoverChecks):
 *   current       in maintenance  observation           → result
 *   any ≠ maint.  yes             any                     maintenance at once
 *   maintenance   yes             any                     stays (observations ignored)
 *   unknown/maint no              online                  online at once (nothing to recover from)
 *   unknown/maint no              degraded/offline × 1+C  that verdict (streak counted like "worse")
 *   s             no              same as s               stays, streak reset
 *   s             no              worse × (1 + C)         latest verdict
 *   s             no              better × M              latest verdict
 *   s             no              worse then better       streak restarts in the new direction
 */
export function transition(state: HealthState, obs: Observation, inMaintenance: boolean, policy: LivenessPolicy): Transition {
  const regular = policy.intervalMs;
  if (inMaintenance) {
    const next: HealthState = { status: 'maintenance', streak: 0, direction: null };
    const change = state.status === 'maintenance' ? null : { from: state.status, to: 'maintenance' as const };
    return { state: next, change, nextCheckInMs: regular };
  }
  const settled = state.status === 'unknown' || state.status === 'maintenance' ? null : (state.status as Verdict);
  if (settled === obs.verdict) return { state: { status: settled, streak: 0, direction: null }, change: null, nextCheckInMs: regular };
  if (settled === null && obs.verdict === 'online') {
    return { state: { status: 'online', streak: 0, direction: null }, change: { from: state.status, to: 'online' }, nextCheckInMs: regular };
  }
  const direction = settled === null || SEVERITY[obs.verdict] > SEVERITY[settled] ? 'worse' : 'better';
  const streak = state.direction === direction ? state.streak + 1 : 1;
  const needed = direction === 'worse' ? 1 + policy.confirmRechecks : policy.recoverChecks;
  if (streak >= needed) {
    return { state: { status: obs.verdict, streak: 0, direction: null }, change: { from: state.status, to: obs.verdict }, nextCheckInMs: regular };
  }
  return { state: { status: state.status, streak, direction }, change: null, nextCheckInMs: policy.recheckIntervalMs };
}

/**
 * The next regular check time for a camera: its own phase within the interval, so a fleet whose
 * checks started together spreads evenly and stays spread across restarts. A slot closer than half
 * an interval is skipped, so an off-slot check (a new camera, a recovery) is never followed by
 * another one moments later — no camera is checked twice in one cycle.
 *   phaseFraction ∈ [0,1) → first t ≥ now + interval/2 with t ≡ phase (mod interval)
 */
export function nextSlot(nowMs: number, intervalMs: number, phaseFraction: number): number {
  return slotAtOrAfter(nowMs + intervalMs / 2, intervalMs, phaseFraction);
}

/** The camera's first slot at or after `ms`: first t ≥ ms with t ≡ floor(phaseFraction · interval) (mod interval). */
export function slotAtOrAfter(ms: number, intervalMs: number, phaseFraction: number): number {
  const phase = Math.floor(phaseFraction * intervalMs);
  return ms + ((((phase - ms) % intervalMs) + intervalMs) % intervalMs);
}

/** A stable fraction in [0,1) from a camera id (FNV-1a), the camera's phase within the interval. */
export function phaseOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x1_0000_0000;
}
