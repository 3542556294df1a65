/**
 * The REST shapes the console reads (mirrors of server/http/routes and
 * server/services/registry/camera-view.ts; those import server modules, so they are restated here).
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

export interface CodeLabel {
  code: string;
  label: string;
  labelZh: string;
}

export interface DecodedDeviceId {
  raw: string;
  edition: '2016' | '2022';
  centerCode: string;
  countyCode: string;
  grassroots: string;
  industry: CodeLabel;
  type: CodeLabel & { category: string };
  networkDigit: CodeLabel;
  serial: string;
}

/** One camera as GET /cameras and GET /cameras/:id answer it (never a password: `hasPassword`). */
export interface CameraView {
  id: string;
  deviceId: string;
  idEdition: '2016' | '2022';
  idInfo: DecodedDeviceId;
  name: string;
  network: string;
  networkName: string;
  town: string;
  townName: string;
  village: string | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  pointClass: number | null;
  pointClassName: string | null;
  vendor: string | null;
  model: string | null;
  installDate: string | null;
  onvifUrl: string | null;
  rtspMainUrl: string | null;
  rtspSubUrl: string | null;
  username: string | null;
  hasPassword: boolean;
  status: CameraStatus;
  statusSince: string | null;
  statusCause: string | null;
  warnings: string[];
}

export interface CameraPage {
  items: CameraView[];
  total: number;
  nextCursor: string | null;
}

export type ProbeFacts = Record<string, string | number | boolean | null>;

export interface CheckEvidence {
  ok: boolean;
  ms: number;
  kind: string | null;
  detail: string | null;
  facts?: ProbeFacts;
}

export type RoundEvidence = Partial<Record<'rtsp' | 'onvif' | 'tcp', CheckEvidence>>;

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
