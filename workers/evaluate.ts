import type { LivenessConfig, PolicyConfig } from '../config/index.js';
import { nextSlot, observe, phaseOf, transition } from '../server/domain/liveness.js';
import type { StateChangeEvent } from '../server/events/state-events.js';
import type { ClaimedCamera, RoundWrite } from '../server/storage/liveness.repository.js';
import type { RoundOutcome } from './runner.js';

/** The policy for a camera: its point class's override, else the default. */
export function policyFor(config: LivenessConfig, pointClass: number | null): PolicyConfig {
  return (pointClass !== null && config.policyByPointClass[String(pointClass)]) || config.policy;
}

/**
 * Turns one round into what is written back (state, schedule, outage row, sample) and the
 * event announced when the state changed. Pure apart from its inputs.
 */
export function evaluateRound(
  camera: ClaimedCamera,
  outcome: RoundOutcome,
  config: LivenessConfig,
  nowMs: number,
): { write: RoundWrite; event?: Omit<StateChangeEvent, 'seq'> } {
  const policy = policyFor(config, camera.pointClass);
  const observation = observe(outcome.round, policy);
  const inMaintenance = camera.maintenanceUntil !== null && camera.maintenanceUntil.getTime() > nowMs;
  const t = transition({ status: camera.status, streak: camera.healthStreak, direction: camera.healthDirection }, observation, inMaintenance, policy);
  const at = new Date(nowMs);
  const status = t.state.status;
  const cause =
    status === 'maintenance' ? `maintenance until ${camera.maintenanceUntil!.toISOString()}`
    : status === 'online' ? null
    : t.change || observation.verdict === status ? observation.cause
    : camera.statusCause;
  const next = t.nextCheckInMs === policy.intervalMs ? nextSlot(nowMs, policy.intervalMs, phaseOf(camera.id)) : nowMs + t.nextCheckInMs;
  const { rtsp, onvif, tcp } = outcome.round;
  const failed = (rtsp !== undefined && !rtsp.ok) || (onvif !== undefined && !onvif.ok) || (tcp !== undefined && !tcp.ok);
  const healthyDue = camera.lastSampleAt === null || nowMs - camera.lastSampleAt.getTime() >= config.sampleHealthyEveryMs;
  const keepSample = failed || t.change !== null || observation.verdict !== 'online' || healthyDue;
  const write: RoundWrite = {
    cameraId: camera.id,
    at,
    status,
    statusSince: t.change ? at : camera.statusSince,
    cause,
    healthStreak: t.state.streak,
    healthDirection: t.state.direction,
    verdict: observation.verdict,
    latencyMs: outcome.latencyMs,
    evidence: outcome.evidence,
    nextCheckAt: new Date(next),
    cameraChanged: t.change !== null || cause !== camera.statusCause,
  };
  // Optional fields set only when present (not spread from conditional literals: this runs per round).
  if (t.change) write.change = { from: t.change.from, to: t.change.to, fromSince: camera.statusSince, town: camera.town, network: camera.network };
  if (keepSample) {
    const sample: NonNullable<RoundWrite['sample']> = { verdict: observation.verdict };
    if (rtsp) sample.rtsp = { ok: rtsp.ok, ms: rtsp.latencyMs, fail: rtsp.failureKind ?? null };
    if (onvif) sample.onvif = { ok: onvif.ok, ms: onvif.latencyMs, fail: onvif.failureKind ?? null };
    if (tcp) sample.tcp = { ok: tcp.ok, ms: tcp.latencyMs };
    write.sample = sample;
  }
  const event: Omit<StateChangeEvent, 'seq'> | undefined = t.change
    ? { cameraId: camera.id, deviceId: camera.deviceId, name: camera.name, town: camera.town, network: camera.network, from: t.change.from, to: t.change.to, at: at.toISOString(), cause }
    : undefined;
  return { write, event };
}
