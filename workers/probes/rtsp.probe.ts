import { createAuthorizer, parseChallenges, type AuthChallenge, type Authorizer, type Credentials } from './rtsp/digest.js';
import { RtspConnection, type Outcome } from './rtsp/rtsp-connection.js';
import { header, headerValues, type ReaderOptions, type RtspResponse } from './rtsp/rtsp-message.js';
import { buildRequest, isSafeRequestUrl, printable, splitUserinfo } from './rtsp/rtsp-request.js';
import { parseSdp, resolveControl, videoMedia } from './rtsp/sdp.js';
import { elapsed } from './socket-failure.js';
import { endpointOf } from './tcp.probe.js';
import { DEFAULT_MAX_RESPONSE_BYTES, type Probe, type ProbeFacts, type ProbeFailure, type ProbeResult } from './types.js';

/** Silence that ends an SDP body sent without Content-Length on a connection the camera keeps open. */
const IDLE_BODY_MS = 300;

type Verdict = { ok: true } | { ok: false; failure: ProbeFailure };

/** State of one probe: the connection, the next CSeq, the credentials and what we learned. */
interface Session {
  conn: RtspConnection;
  url: string;
  creds: Credentials | null;
  cseq: number;
  authorizer: Authorizer | null;
  facts: ProbeFacts;
  /** The Server header as last sent (facts.server is its printable form). */
  server?: string;
}

const fail = (kind: ProbeFailure['kind'], detail: string): Verdict => ({ ok: false, failure: { kind, detail } });

/** Sends one request (with the current Authorization, if any) and records Server and status. */
async function send(s: Session, method: string, extra: Record<string, string>, reader?: ReaderOptions): Promise<Outcome<RtspResponse>> {
  const authorization = s.authorizer?.authorize(method, s.url);
  const outcome = await s.conn.exchange(buildRequest(method, s.url, s.cseq++, extra, authorization), reader);
  if (outcome.ok) {
    const server = header(outcome.value, 'server');
    // The same Server text comes with every answer: cleaned once.
    if (server && server !== s.server) s.facts.server = printable((s.server = server));
    s.facts.statusCode = outcome.value.statusCode;
  }
  return outcome;
}

/**
 * Sends a request; on 401 answers the challenge once (Digest preferred over Basic).
 *   2xx/other on first try                      → that response
 *   401, no credentials configured              → auth failure
 *   401, no usable scheme offered               → auth failure
 *   401, retry with credentials → 401           → auth failure (rejected)
 *   401, retry with credentials → anything else → that response
 */
async function sendWithAuth(s: Session, method: string, extra: Record<string, string>, reader?: ReaderOptions): Promise<Outcome<RtspResponse>> {
  const first = await send(s, method, extra, reader);
  if (!first.ok || first.value.statusCode !== 401) return first;
  const challenges = parseChallenges(headerValues(first.value, 'www-authenticate'));
  const offered = schemesOf(challenges);
  if (!s.creds) return { ok: false, failure: { kind: 'auth', detail: `${method} requires credentials (${printable(offered)}); none configured` } };
  const authorizer = createAuthorizer(challenges, s.creds);
  if (!authorizer) return { ok: false, failure: { kind: 'auth', detail: `${method}: no supported authentication scheme offered (${printable(offered)})` } };
  s.authorizer = authorizer;
  s.facts.authScheme = authorizer.scheme;
  const retry = await send(s, method, extra, reader);
  if (retry.ok && retry.value.statusCode === 401) return { ok: false, failure: { kind: 'auth', detail: `${method}: ${authorizer.scheme} credentials rejected` } };
  return retry;
}

/** 'digest, basic' (for messages); a loop, not a map() closure per 401 (V8 re-optimises those after every full GC). */
function schemesOf(challenges: AuthChallenge[]): string {
  let offered = '';
  for (const c of challenges) offered += offered ? `, ${c.scheme}` : c.scheme;
  return offered || 'no scheme';
}

const DESCRIBE_READER: ReaderOptions = {
  bodyWithoutLength: (h) => (h.statusCode >= 200 && h.statusCode < 300) || header(h, 'content-type') !== undefined,
};

/** Turns a DESCRIBE answer into the verdict and the stream facts. */
function judgeDescribe(s: Session, res: RtspResponse): Verdict {
  const status = `${res.statusCode}${res.reason ? ` ${printable(res.reason, 60)}` : ''}`;
  if (res.statusCode === 404 || res.statusCode === 454) return fail('not_found', `DESCRIBE answered ${status}`);
  if (res.statusCode < 200 || res.statusCode >= 300) return fail('error', `DESCRIBE answered ${status}`);
  const text = res.body.toString('utf8');
  if (!/^\s*v=/.test(text)) return fail('protocol', res.body.length ? 'DESCRIBE answer is not a session description' : 'DESCRIBE answer has no session description');
  const sdp = parseSdp(text);
  const video = videoMedia(sdp);
  s.facts.videoTracks = video.length;
  s.facts.codec = video[0]?.codec ?? null;
  if (video.length === 0) return fail('no_video', `no video stream in the session description (${sdp.media.map((m) => m.type).join(', ') || 'no media'})`);
  const base = header(res, 'content-base') ?? header(res, 'content-location') ?? s.url;
  s.facts.control = splitUserinfo(resolveControl(base, video[0].control)).url;
  return { ok: true };
}

/** OPTIONS then DESCRIBE on one connection (reconnecting only if the camera closes it). */
async function converse(s: Session): Promise<Verdict> {
  const options = await sendWithAuth(s, 'OPTIONS', {});
  if (!options.ok) return options;
  // A camera that refuses OPTIONS (405/501…) may still describe its stream: DESCRIBE decides.
  const describe = await sendWithAuth(s, 'DESCRIBE', { Accept: 'application/sdp' }, DESCRIBE_READER);
  if (!describe.ok) return describe;
  return judgeDescribe(s, describe.value);
}

/**
 * RTSP liveness: connect → OPTIONS → DESCRIBE (Accept: application/sdp), answering Basic/Digest
 * challenges once, and checks that the session description has a video stream.
 *   refused / unreachable / connect timeout           → from the socket error
 *   nothing (complete) within timeoutMs               → timeout
 *   more than maxResponseBytes in one answer          → too_large
 *   not RTSP (HTTP, garbage, no status line)           → protocol
 *   401 and no credentials, or rejected credentials   → auth
 *   DESCRIBE 404 / 454                                → not_found; other non-2xx → error
 *   SDP without m=video                               → no_video
 *   rtsps:// → unsupported; no host, other scheme, spaces/control characters in the URL → error
 * Facts: statusCode, server, authScheme ('none'|'basic'|'digest'), videoTracks, codec, control.
 * The socket is always destroyed before the promise settles; credentials never appear in the result.
 */
export const rtspProbe: Probe = async (target, options) => {
  const start = performance.now();
  const { url, credentials } = splitUserinfo(target.url.trim());
  const endpoint = endpointOf(url);
  if (/^rtsps:\/\//i.test(url)) return resultOf(start, fail('unsupported', 'rtsps:// (RTSP over TLS) is not probed'));
  if (!/^rtsp:\/\//i.test(url) || !endpoint || !isSafeRequestUrl(url)) return resultOf(start, fail('error', 'not a usable rtsp:// URL'));
  const creds = target.username !== undefined ? { username: target.username, password: target.password ?? '' } : (credentials ?? null);
  const conn = new RtspConnection({
    host: endpoint.host,
    port: endpoint.port,
    connectTimeoutMs: Math.min(options.connectTimeoutMs ?? options.timeoutMs, options.timeoutMs),
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    idleBodyMs: IDLE_BODY_MS,
  });
  const session: Session = { conn, url, creds, cseq: 1, authorizer: null, facts: { authScheme: 'none' } };
  // A module function with arguments, not a closure per probe (V8 re-optimises those after every full GC).
  const timer = setTimeout(abortOnTimeout, options.timeoutMs, conn, options.timeoutMs);
  try {
    const verdict = await converse(session);
    return resultOf(start, verdict, session.facts.statusCode !== undefined ? session.facts : undefined);
  } finally {
    clearTimeout(timer);
    conn.close();
  }
};

function resultOf(start: number, verdict: Verdict, facts?: ProbeFacts): ProbeResult {
  const result: ProbeResult = verdict.ok ? { ok: true, latencyMs: elapsed(start) } : { ok: false, latencyMs: elapsed(start), failure: verdict.failure };
  if (facts) result.facts = facts;
  return result;
}

function abortOnTimeout(conn: RtspConnection, timeoutMs: number): void {
  conn.abort({ kind: 'timeout', detail: `no complete answer within ${timeoutMs} ms` });
}
