/**
 * The REST shapes the console reads: the server's own types where they are already JSON-shaped
 * (type-only imports, erased from the bundle), restated only where the server holds Dates or rows.
 */
import type { CameraStatus } from '../../server/realtime/events';

export interface CodeName {
  code: string;
  name: string;
  nameEn?: string | null;
}

/** GET /api/v1/console/config */
export interface ConsoleConfig {
  county: { code: string; name: string };
  tz: string;
  schematic: boolean;
  tileUrl: string | null;
  geojsonUrl: string;
}

/** GET /api/v1/meta */
export interface Meta {
  county: { code: string; name: string };
  towns: CodeName[];
  networks: CodeName[];
  statuses: CameraStatus[];
  pointClasses: Array<{ code: number; name: string; nameEn: string }>;
}

import type { CameraView } from '../../server/services/registry/camera-view';
import type { CheckEvidence, RoundEvidence } from '../../workers/runner';

export type { CodeLabel, DecodedDeviceId } from '../../server/domain/gb28181';
export type { CameraView };


export interface CameraPage {
  items: CameraView[];
  total: number;
  nextCursor: string | null;
}

export type { ProbeFacts } from '../../workers/probes/types';
export type { CheckEvidence, RoundEvidence };

export interface HealthSample {
  at: string;
  verdict: string;
  rtspOk: boolean | null;
  rtspMs: number | null;
  rtspFail: string | null;
  onvifOk: boolean | null;
  onvifMs: number | null;
  onvifFail: string | null;
  tcpOk: boolean | null;
  tcpMs: number | null;
}

export interface HistoryEntry {
  seq?: number;
  at: string;
  from: CameraStatus;
  to: CameraStatus;
  cause: string | null;
  /** How long the previous state (`from`) had lasted. */
  durationMs: number | null;
}

/** GET /api/v1/cameras/:id/health */
export interface CameraHealth {
  status: CameraStatus;
  statusSince: string | null;
  statusCause: string | null;
  lastCheckAt: string | null;
  lastVerdict: string | null;
  lastLatencyMs: number | null;
  nextCheckAt: string | null;
  evidence: RoundEvidence | null;
  samples: HealthSample[];
  history: HistoryEntry[];
}

/** POST /api/v1/cameras/:id/check */
export interface CheckResult {
  at: string;
  verdict: string;
  status: CameraStatus;
  cause: string | null;
  latencyMs: number;
  evidence: RoundEvidence;
  recorded?: boolean;
}

/** Filters of the camera list (empty string = any). */
export interface CameraFilters {
  town: string;
  network: string;
  status: string;
  pointClass: string;
  q: string;
}
