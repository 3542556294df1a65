/**
 * ONVIF (SOAP 1.2 over HTTP/1.1) answers of a simulated camera, replayed from real captures:
 * GetSystemDateAndTime, GetCapabilities and GetServices without credentials (ONVIF PRE_AUTH class),
 * GetDeviceInformation behind WS-Security PasswordDigest, ActionNotSupported for anything else.
 */
import { formatResponse, type WireRequest } from './wire.js';
import { verifyWsse } from './wsse.js';
import { cameraNow, type Answer, type CameraState, type Env } from './state.js';

const SOAP_TYPE = 'application/soap+xml; charset=utf-8';
const REASONS: Record<number, string> = {
  200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 405: 'Method Not Allowed',
  500: 'Internal Server Error',
};
const page = (title: string): string => `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`;

/** Whether the client wants the connection closed after this exchange (HTTP/1.0 default, or `close`). */
function wantsClose(req: WireRequest): boolean {
  const conn = (req.headers.get('connection') ?? '').toLowerCase();
  return req.version === 'HTTP/1.0' ? !conn.includes('keep-alive') : conn.includes('close');
}

function reply(req: WireRequest, status: number, body: string, type = SOAP_TYPE): Answer {
  const close = wantsClose(req);
  const headers: Array<[string, string]> = [
    ['Content-Type', type],
    ['Connection', close ? 'close' : 'keep-alive'],
  ];
  return { bytes: formatResponse(`HTTP/1.1 ${status} ${REASONS[status]}`, headers, body), close };
}

/** Local name of the first element inside the SOAP Body (the operation), if any. */
export function soapAction(xml: string): string | undefined {
  return /<(?:[\w.-]+:)?Body\b[^>]*>\s*<(?:[\w.-]+:)?([\w.-]+)/.exec(xml)?.[1];
}

function authFault(req: WireRequest, device: CameraState, env: Env, rejected: boolean): Answer {
  if (rejected) device.counters.authFailures += 1;
  return device.cam.onvifAuthStyle === 'axis'
    ? reply(req, 400, env.fixtures.notAuthorized)
    : reply(req, 401, env.fixtures.unauthorized401);
}

/**
 * Answers one HTTP request on the camera port. Only POSTs under /onvif/ are SOAP endpoints (every
 * XAddr the camera advertises points there); the ONVIF fault of `device` (the address's first
 * camera) applies.
 */
export function handleOnvif(req: WireRequest, device: CameraState, env: Env): Answer {
  const path = req.target.split('?')[0];
  if (device.fault.onvif === 'notfound' || !path.startsWith('/onvif/')) {
    return reply(req, 404, page('404 Not Found'), 'text/html');
  }
  if (req.method !== 'POST') return reply(req, 405, page('405 Method Not Allowed'), 'text/html');
  const xml = req.body.toString('utf8');
  const vendor = env.fixtures.vendors[device.cam.vendor];
  const base = `http://${device.cam.host}:${device.cam.port}`;
  switch (soapAction(xml)) {
    case 'GetSystemDateAndTime':
      return reply(req, 200, vendor.dateTime(cameraNow(env, device)));
    case 'GetCapabilities':
      return reply(req, 200, vendor.capabilities(base));
    case 'GetServices': {
      const answer = vendor.services(base);
      return reply(req, answer.status, answer.body);
    }
    case 'GetDeviceInformation': {
      if (device.fault.onvif === 'auth') return authFault(req, device, env, true);
      const verdict = verifyWsse(xml, device.cam, cameraNow(env, device), env.wsseMaxSkewSeconds);
      if (verdict !== 'ok') return authFault(req, device, env, verdict === 'wrong');
      return reply(req, 200, vendor.deviceInformation(device.cam.model, device.cam.serialNumber));
    }
    default:
      return reply(req, 500, env.fixtures.actionNotSupported);
  }
}
