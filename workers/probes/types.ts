/**
 * The one probe contract. A probe checks one endpoint and returns a typed result; a dead, slow,
 * lying or flooding camera is a value (`ok: false` with a failure kind), never an exception.
 */

export type FailureKind =
  | 'timeout' // no (complete) answer within the time limit
  | 'refused' // TCP connection refused (host up, service down)
  | 'unreachable' // no route, host down, DNS name unknown
  | 'auth' // credentials missing or rejected (after a valid retry)
  | 'not_found' // RTSP 404/454, ONVIF service path missing
  | 'protocol' // garbage, wrong protocol, malformed answer, connection reset mid-answer
  | 'no_video' // RTSP session description without a video stream
  | 'too_large' // answer exceeded the response size cap
  | 'unsupported' // the device does not implement the operation
  | 'error'; // anything else the device reported (e.g. 5xx)

export interface ProbeFailure {
  kind: FailureKind;
  /** Short English text for operators; never contains credentials. */
  detail: string;
}

/** Facts learned on the way (codec, vendor, clock offset…); flat so they store and print as JSON. */
export type ProbeFacts = Record<string, string | number | boolean | null>;

export interface ProbeResult {
  ok: boolean;
  /** Wall time from start to verdict (connect + exchange), in milliseconds. */
  latencyMs: number;
  failure?: ProbeFailure;
  facts?: ProbeFacts;
}

export interface ProbeTarget {
  /** Endpoint URL without inline credentials (rtsp://host:554/path, http://host/onvif/device_service, tcp://host:port). */
  url: string;
  username?: string;
  password?: string;
}

export interface ProbeOptions {
  /** Hard limit for the whole probe (connect + every exchange). */
  timeoutMs: number;
  /** Limit for establishing the TCP connection; defaults to timeoutMs. */
  connectTimeoutMs?: number;
  /** Cap on bytes read from the device per exchange; defaults to 256 KiB. */
  maxResponseBytes?: number;
  /** The worker's clock (ONVIF clock offset); defaults to the real clock. */
  now?: () => number;
}

export type ProbeName = 'tcp' | 'rtsp' | 'onvif';

export type Probe = (target: ProbeTarget, options: ProbeOptions) => Promise<ProbeResult>;

export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;
