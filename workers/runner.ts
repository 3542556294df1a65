import type { CheckResult, CheckRound } from '../server/domain/liveness.js';
import { redactUrl } from '../server/logger.js';
import type { ProbeRegistry } from './probes/index.js';
import type { ProbeFacts, ProbeOptions, ProbeResult } from './probes/types.js';

/** The endpoints and (decrypted, in-memory only) credentials of one camera. */
export interface RoundTarget {
  rtspUrl: string | null;
  onvifUrl: string | null;
  username?: string;
  password?: string;
}

export interface CheckEvidence {
  ok: boolean;
  ms: number;
  kind: string | null;
  detail: string | null;
  facts?: ProbeFacts;
}

/** Evidence kept on the camera and with outage rows: what each check saw, never a credential. */
export type RoundEvidence = Partial<Record<'rtsp' | 'onvif' | 'tcp', CheckEvidence>>;

export interface RoundOutcome {
  round: CheckRound;
  evidence: RoundEvidence;
  /** The slowest check of the round (what an operator waits for). */
  latencyMs: number;
}

/**
 * One check round: RTSP and ONVIF in parallel (whichever the record has); when every protocol
 * check timed out, a TCP connect tells "host down" from "service down" (a refusal or a reply
 * already proves the host is up, an unreachable error already proves it is not).
 */
export async function runRound(target: RoundTarget, probes: ProbeRegistry, options: ProbeOptions): Promise<RoundOutcome> {
  const { username, password } = target;
  const [rtsp, onvif] = await Promise.all([
    target.rtspUrl ? probes.rtsp({ url: target.rtspUrl, username, password }, options) : undefined,
    target.onvifUrl ? probes.onvif({ url: target.onvifUrl, username, password }, options) : undefined,
  ]);
  // Loops, not filter/every/map closures made per round (V8 re-optimises those after every full GC).
  let ran = 0;
  let timedOut = 0;
  let latencyMs = -Infinity;
  for (const r of [rtsp, onvif]) {
    if (!r) continue;
    ran++;
    if (r.failure?.kind === 'timeout') timedOut++;
    if (r.latencyMs > latencyMs) latencyMs = r.latencyMs;
  }
  let tcp: ProbeResult | undefined;
  if (ran > 0 && timedOut === ran) {
    tcp = await probes.tcp({ url: (target.onvifUrl ?? target.rtspUrl)! }, { ...options, timeoutMs: options.connectTimeoutMs ?? options.timeoutMs });
  }
  const round: CheckRound = {};
  const evidence: RoundEvidence = {};
  for (const [name, result] of [['rtsp', rtsp], ['onvif', onvif], ['tcp', tcp]] as const) {
    if (!result) continue;
    round[name] = toCheck(result);
    const seen: CheckEvidence = { ok: result.ok, ms: result.latencyMs, kind: result.failure?.kind ?? null, detail: result.failure ? redactUrl(result.failure.detail) : null };
    if (result.facts) seen.facts = result.facts;
    evidence[name] = seen;
  }
  return { round, evidence, latencyMs };
}

function toCheck(result: ProbeResult): CheckResult {
  // Optional fields set only when present (not spread from conditional literals: this runs per check).
  const check: CheckResult = { ok: result.ok, latencyMs: result.latencyMs };
  if (result.failure) {
    check.failureKind = result.failure.kind;
    check.detail = redactUrl(result.failure.detail);
  }
  const offset = result.facts?.clockOffsetMs;
  if (typeof offset === 'number') check.clockOffsetMs = offset;
  return check;
}
