/**
 * RTSP/1.0 answers of a simulated camera: OPTIONS and DESCRIBE (SDP from real captures), Digest or
 * Basic authentication on DESCRIBE, CSeq echoed. No SETUP/PLAY: the simulator carries no RTP.
 */
import { formatResponse, type WireRequest } from './wire.js';
import { challenges, verifyRtspAuth, type RtspAuthSpec } from './rtsp-auth.js';
import type { Answer, CameraState, Env, SiteState } from './state.js';

const PUBLIC = 'OPTIONS, DESCRIBE';
const REASONS: Record<number, string> = {
  200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 405: 'Method Not Allowed',
};

function reply(status: number, cseq: string | undefined, headers: Array<[string, string]> = [], body?: string): Answer {
  const all: Array<[string, string]> = cseq === undefined ? headers : [['CSeq', cseq], ...headers];
  return { bytes: formatResponse(`RTSP/1.0 ${status} ${REASONS[status]}`, all, body), close: false };
}

function authSpec(device: CameraState): RtspAuthSpec {
  const c = device.cam;
  return { mode: c.rtspAuth, realm: c.realm, qop: c.digestQop, username: c.username, password: c.password };
}

/** 401 with fresh challenges; `rejected` counts it as a refused attempt (not a first challenge). */
function unauthorized(cseq: string, spec: RtspAuthSpec, env: Env, stale: boolean, rejected?: CameraState): Answer {
  if (rejected) rejected.counters.authFailures += 1;
  return reply(401, cseq, challenges(spec, env.nonces, stale).map((v) => ['WWW-Authenticate', v]));
}

function describe(req: WireRequest, cseq: string, site: SiteState, cam: CameraState | undefined, env: Env): Answer {
  const device = site.cameras[0];
  const counted = cam ?? device;
  const fault = counted.fault.rtsp;
  if (fault === 'notfound') return reply(404, cseq);
  const spec = authSpec(device);
  if (fault === 'auth') return unauthorized(cseq, spec, env, false, counted);
  const verdict = verifyRtspAuth(req.headers.get('authorization'), req.method, req.target, spec, env.nonces);
  if (verdict !== 'ok') return unauthorized(cseq, spec, env, verdict === 'stale', verdict === 'wrong' ? counted : undefined);
  if (!cam) return reply(404, cseq);
  const base = `rtsp://${cam.cam.host}:${cam.cam.port}`;
  const path = req.target.replace(/^rtsp:\/\/[^/]*/i, '').split('?')[0].replace(/\/+$/, '');
  const sdps = env.fixtures.sdp;
  const sdp = fault === 'novideo' ? sdps.audioOnly(base, path) : cam.cam.codec === 'h265' ? sdps.h265(base, path) : sdps.h264(base, path);
  return reply(200, cseq, [['Content-Type', 'application/sdp'], ['Content-Base', `${base}${path}/`]], sdp);
}

/**
 * Answers one RTSP request. `cam` is the camera the target names (undefined for an unknown path);
 * authentication is checked before the path, as live555-style servers do.
 */
export function handleRtsp(req: WireRequest, site: SiteState, cam: CameraState | undefined, env: Env): Answer {
  const cseq = req.headers.get('cseq');
  if (cseq === undefined) return { ...reply(400, undefined), close: true };
  if (req.method === 'OPTIONS') return reply(200, cseq, [['Public', PUBLIC]]);
  if (req.method === 'DESCRIBE') return describe(req, cseq, site, cam, env);
  return reply(405, cseq, [['Allow', PUBLIC]]);
}
