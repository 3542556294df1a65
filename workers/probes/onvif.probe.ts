import type { Credentials } from './rtsp/digest.js';
import { parsedUrl } from './parsed-url.js';
import { elapsed } from './socket-failure.js';
import {
  GET_DEVICE_INFORMATION,
  GET_SYSTEM_DATE_AND_TIME,
  callOnvif,
  digestAuthorizationFor,
  type AuthMethod,
  type CallResult,
  type ExchangeContext,
} from './onvif/exchange.js';
import type { AnswerReader } from './onvif/answer-memo.js';
import { parseDeviceInformation, systemDateAndTimeFrom, systemDateAndTimeTexts, type DeviceInformation, type SystemDateAndTimeTexts } from './onvif/responses.js';
import { XmlProtocolError } from './onvif/xml.js';
import { DEFAULT_MAX_RESPONSE_BYTES, type Probe, type ProbeFacts, type ProbeFailure, type ProbeResult, type ProbeTarget } from './types.js';

/**
 * ONVIF liveness: a small SOAP client of our own (hard deadline, size cap, one request per step,
 * sockets always destroyed) instead of the `onvif` library.
 *
 * 1. GetSystemDateAndTime without authentication (devices allow it); on an auth refusal, once more
 *    with credentials (WS-Security token; plus HTTP Digest when the 401 offered it).
 *    clockOffsetMs = device UTC − worker clock at the midpoint of the exchange.
 * 2. GetDeviceInformation with a WS-Security UsernameToken (PasswordDigest; Created moved onto the
 *    device clock when |offset| > 5 s); on `401 WWW-Authenticate: Digest`, once more with HTTP Digest.
 *    Without credentials it is sent bare.
 * ok ⇔ GetDeviceInformation parsed. Without credentials an auth refusal is `auth` "no credentials configured".
 * A device answer other than auth on step 1 (unsupported, HTTP error) is tolerated: the offset is then null.
 * Credentials never appear in details or facts; userinfo in the URL is dropped.
 */
export const onvifProbe: Probe = async (target, options) => {
  const start = performance.now();
  const ctx = contextFor(target, options, start);
  if (!ctx) return { ok: false, latencyMs: 0, failure: { kind: 'error', detail: 'ONVIF URL must be http:// or https://' } };
  const creds: Credentials | null = target.username ? { username: target.username, password: target.password ?? '' } : null;
  const facts: ProbeFacts = { clockOffsetMs: null, deviceTz: null };
  const clock = await deviceClock(ctx, creds);
  if ('failure' in clock) return resultOf(start, facts, creds, clock.failure);
  Object.assign(facts, clock);
  const identity = await deviceIdentity(ctx, creds, clock.clockOffsetMs);
  if ('failure' in identity) return resultOf(start, facts, creds, identity.failure);
  Object.assign(facts, identity.facts);
  return resultOf(start, facts, creds, null);
};

/** A module function, not a closure per probe: V8 drops the optimised code of per-call closures at every full GC. */
function resultOf(start: number, facts: ProbeFacts, creds: Credentials | null, failure: ProbeFailure | null): ProbeResult {
  const latencyMs = elapsed(start);
  if (!failure) return { ok: true, latencyMs, facts };
  let learned = false;
  for (const key in facts) if (facts[key] !== null) learned = true;
  return { ok: false, latencyMs, failure: scrub(failure, creds), ...(learned ? { facts } : {}) };
}

type Failed = { failure: ProbeFailure };

/** The two answers a probe reads every round go through the answer memo (see answer-memo.ts). */
const CLOCK_READER: AnswerReader<SystemDateAndTimeTexts> = { name: 'clock', read: systemDateAndTimeTexts };
const IDENTITY_READER: AnswerReader<DeviceInformation> = { name: 'identity', read: parseDeviceInformation };

/** Step 1: GetSystemDateAndTime bare, once more with credentials on an auth refusal. */
async function deviceClock(ctx: ExchangeContext, creds: Credentials | null): Promise<{ clockOffsetMs: number | null; deviceTz: string | null } | Failed> {
  let clock = await callOnvif(ctx, GET_SYSTEM_DATE_AND_TIME, {}, CLOCK_READER);
  if (clock.failure?.kind === 'auth' && creds) {
    const authorization = digestAuthorizationFor(ctx, clock, creds) ?? undefined;
    clock = await callOnvif(ctx, GET_SYSTEM_DATE_AND_TIME, { creds, authorization }, CLOCK_READER);
  }
  if (!clock.failure) return readClock(clock);
  if (clock.failure.kind === 'auth') return { failure: authFailure(clock.failure, creds) };
  // The device answered but cannot tell its time: go on without an offset.
  const deviceFault = clock.status !== undefined && (clock.failure.kind === 'unsupported' || clock.failure.kind === 'error');
  return deviceFault ? { clockOffsetMs: null, deviceTz: null } : { failure: clock.failure };
}

/** Step 2: GetDeviceInformation with a token (clock-corrected), once more with HTTP Digest on a Digest 401. */
async function deviceIdentity(ctx: ExchangeContext, creds: Credentials | null, offset: number | null): Promise<{ facts: ProbeFacts } | Failed> {
  let method: AuthMethod = creds ? 'ws-security' : 'none';
  let info = await callOnvif(ctx, GET_DEVICE_INFORMATION, creds ? { creds, clockOffsetMs: offset } : {}, IDENTITY_READER);
  if (info.failure?.kind === 'auth' && creds) {
    const authorization = digestAuthorizationFor(ctx, info, creds);
    if (authorization) {
      method = 'http-digest';
      info = await callOnvif(ctx, GET_DEVICE_INFORMATION, { creds, clockOffsetMs: offset, authorization }, IDENTITY_READER);
    }
  }
  if (info.failure) return { failure: info.failure.kind === 'auth' ? authFailure(info.failure, creds) : info.failure };
  try {
    const device = info.texts ?? parseDeviceInformation(info.root!);
    const { manufacturer: vendor, model, firmwareVersion: firmware, serialNumber: serial, hardwareId } = device;
    return { facts: { vendor, model, firmware, serial, hardwareId, authenticated: creds !== null, authMethod: method } };
  } catch (err) {
    if (err instanceof XmlProtocolError) return { failure: { kind: 'protocol', detail: `GetDeviceInformation: ${err.message}` } };
    throw err;
  }
}

function contextFor(target: ProbeTarget, options: Parameters<Probe>[1], start: number): ExchangeContext | null {
  let url = parsedUrl(target.url);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return null;
  if (url.username || url.password) {
    const bare = new URL(url.href);
    bare.username = '';
    bare.password = '';
    url = bare;
  }
  return {
    url,
    deadline: start + options.timeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? options.timeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    now: options.now ?? Date.now,
  };
}

/** clockOffsetMs (device − worker at the exchange midpoint) and raw TZ from a GetSystemDateAndTime answer. */
function readClock(clock: CallResult<SystemDateAndTimeTexts>): { clockOffsetMs: number | null; deviceTz: string | null } | Failed {
  try {
    const sdt = systemDateAndTimeFrom(clock.texts ?? systemDateAndTimeTexts(clock.root!));
    const midpoint = (clock.sentAt + clock.receivedAt) / 2;
    return { clockOffsetMs: sdt.utc ? Math.round(sdt.utc.getTime() - midpoint) : null, deviceTz: sdt.tz };
  } catch (err) {
    if (err instanceof XmlProtocolError) return { failure: { kind: 'protocol', detail: `GetSystemDateAndTime: ${err.message}` } };
    throw err;
  }
}

function authFailure(failure: ProbeFailure, creds: Credentials | null): ProbeFailure {
  return creds
    ? { kind: 'auth', detail: `credentials rejected (${failure.detail})` }
    : { kind: 'auth', detail: `no credentials configured (${failure.detail})` };
}

/** Device-supplied text could echo the username or password back; never let it into a detail. */
function scrub(failure: ProbeFailure, creds: Credentials | null): ProbeFailure {
  let detail = failure.detail;
  for (const secret of [creds?.password, creds?.username]) {
    if (secret && secret.length >= 3) detail = detail.split(secret).join('***');
  }
  return { kind: failure.kind, detail };
}
