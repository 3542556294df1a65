import type { LivenessConfig } from '../../../config/index.js';
import type { Logger } from '../../logger.js';
import type { CredentialCipher } from '../../secrets/credential-cipher.js';
import type { CameraRecord, CameraRepository } from '../../storage/camera.repository.js';
import type { LivenessRepository } from '../../storage/liveness.repository.js';
import type { StateEventBus } from '../../events/state-events.js';
import { runRound, type RoundEvidence } from '../../../workers/runner.js';
import { evaluateRound } from '../../../workers/evaluate.js';
import type { ProbeRegistry } from '../../../workers/probes/index.js';
import { NotFoundError, ConflictError } from '../errors.js';

export interface CheckNowResult {
  at: string;
  /** What this round saw. */
  verdict: string;
  /** The camera's status after it (anti-flapping may keep the old one until rechecks confirm). */
  status: string;
  cause: string | null;
  latencyMs: number;
  evidence: RoundEvidence;
  /** False when a worker was checking the camera at that moment: the result is shown, not recorded. */
  recorded: boolean;
}

/** An operator's "check now": runs the camera's probes immediately and records the round like a worker would. */
export class CheckNowService {
  constructor(
    private readonly deps: {
      cameras: CameraRepository;
      liveness: LivenessRepository;
      probes: ProbeRegistry;
      cipher: CredentialCipher;
      bus: StateEventBus;
      config: LivenessConfig;
      logger: Logger;
      claimer: string;
      clock?: () => number;
    },
  ) {}

  /** The round's result, and the camera as read for it (the audit entry names it without reading it again). */
  async check(cameraId: string, scope?: readonly string[]): Promise<{ result: CheckNowResult; camera: CameraRecord }> {
    const { deps } = this;
    const now = deps.clock ?? Date.now;
    const camera = await deps.cameras.findById(cameraId, scope);
    if (!camera || camera.decommissionedAt) throw new NotFoundError('camera', cameraId);
    if (!camera.rtspMainUrl && !camera.onvifUrl) throw new ConflictError('the camera has no RTSP or ONVIF endpoint to check', 'rtspMainUrl');
    const claimed = await deps.liveness.claimOne(cameraId, deps.claimer, new Date(now()), deps.config.leaseMs);
    let password: string | undefined;
    if (camera.passwordEnc) {
      try {
        password = deps.cipher.decrypt(camera.passwordEnc);
      } catch {
        deps.logger.warn('cannot decrypt camera password; checking without it', { cameraId });
      }
    }
    const outcome = await runRound(
      { rtspUrl: camera.rtspMainUrl, onvifUrl: camera.onvifUrl, username: camera.username ?? undefined, password },
      deps.probes,
      { timeoutMs: deps.config.probeTimeoutMs, connectTimeoutMs: deps.config.probeConnectTimeoutMs, now },
    );
    if (!claimed) {
      const { write } = evaluateRound({ ...fakeClaim(camera), dueAt: new Date(now()) }, outcome, deps.config, now());
      const result = { at: write.at.toISOString(), verdict: write.verdict, status: camera.status, cause: camera.statusCause, latencyMs: outcome.latencyMs, evidence: outcome.evidence, recorded: false };
      return { result, camera };
    }
    const { write, event } = evaluateRound(claimed, outcome, deps.config, now());
    const seqs = await deps.liveness.recordRounds(deps.claimer, [write]);
    const seq = seqs.get(cameraId);
    if (event && seq !== undefined) await deps.bus.publish([{ ...event, seq }]);
    const result = { at: write.at.toISOString(), verdict: write.verdict, status: write.status, cause: write.cause, latencyMs: outcome.latencyMs, evidence: outcome.evidence, recorded: true };
    return { result, camera };
  }
}

/** The fields evaluateRound reads, for a round that will not be recorded. */
function fakeClaim(camera: NonNullable<Awaited<ReturnType<CameraRepository['findById']>>>) {
  return {
    id: camera.id, deviceId: camera.deviceId, name: camera.name, town: camera.town, network: camera.network,
    pointClass: camera.pointClass, rtspUrl: camera.rtspMainUrl, onvifUrl: camera.onvifUrl, username: camera.username,
    passwordEnc: camera.passwordEnc, status: camera.status, statusSince: camera.statusSince, statusCause: camera.statusCause,
    healthStreak: 0, healthDirection: null, maintenanceUntil: null, lastSampleAt: null,
  };
}
