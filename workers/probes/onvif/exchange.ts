import { createAuthorizer, parseChallenges, type Credentials } from '../rtsp/digest.js';
import type { ProbeFailure } from '../types.js';
import { classifyFault, describeFault, parseFault } from './fault.js';
import { postSoap, soapEnvelope } from './soap-client.js';
import { createUsernameToken, securityHeader } from './ws-security.js';
import { parseXml, XmlProtocolError, type XmlElement } from './xml.js';

/** A Device-service operation without arguments. */
export interface OnvifOperation {
  name: string;
  action: string;
  body: string;
}

const DEVICE_WSDL = 'http://www.onvif.org/ver10/device/wsdl';
const deviceOperation = (name: string): OnvifOperation => ({
  name,
  action: `${DEVICE_WSDL}/${name}`,
  body: `<tds:${name} xmlns:tds="${DEVICE_WSDL}"/>`,
});

/** Device service operations the liveness probe sends. */
export const GET_SYSTEM_DATE_AND_TIME = deviceOperation('GetSystemDateAndTime');
export const GET_DEVICE_INFORMATION = deviceOperation('GetDeviceInformation');

/** Per-probe settings shared by every call. */
export interface ExchangeContext {
  url: Readonly<URL>;
  deadline: number;
  connectTimeoutMs: number;
  maxResponseBytes: number;
  now: () => number;
}

/** How the identity call was finally authenticated (reported as fact `authMethod`). */
export type AuthMethod = 'none' | 'ws-security' | 'http-digest';

/** The answer to one call: a SOAP envelope without Fault, or a failure. */
export interface CallResult {
  root?: XmlElement;
  failure?: ProbeFailure;
  /** HTTP status when the device answered at all. */
  status?: number;
  /** WWW-Authenticate values of an HTTP 401 (for a digest retry). */
  challenges?: string[];
  /** Worker clock (ctx.now) when the request went out and when the verdict came. */
  sentAt: number;
  receivedAt: number;
}

/**
 * Interprets one HTTP answer. First matching row wins:
 *
 * | status | body                        | verdict                                  |
 * |--------|-----------------------------|------------------------------------------|
 * | 401    | anything                    | auth                                     |
 * | 403    | anything                    | auth                                     |
 * | 404    | anything (HTML, fault…)     | not_found                                |
 * | any    | SOAP envelope with a Fault  | classifyFault: auth / unsupported / error |
 * | 2xx    | SOAP envelope               | ok (root)                                |
 * | 2xx    | not XML, DOCTYPE, not SOAP  | protocol                                 |
 * | 3xx    | —                           | error (redirect not followed)            |
 * | other  | no readable fault           | error (HTTP status)                      |
 */
export function interpretAnswer(status: number, body: Uint8Array): Pick<CallResult, 'root' | 'failure'> {
  if (status === 401 || status === 403) return { failure: { kind: 'auth', detail: `HTTP ${status}` } };
  if (status === 404) return { failure: { kind: 'not_found', detail: 'HTTP 404 (no ONVIF service at this path)' } };
  let root: XmlElement | undefined;
  let problem = 'empty answer';
  if (body.length > 0) {
    try {
      root = parseXml(body);
      const fault = parseFault(root);
      if (fault) return { failure: { kind: classifyFault(fault), detail: `HTTP ${status}, SOAP fault ${describeFault(fault)}` } };
    } catch (err) {
      if (!(err instanceof XmlProtocolError)) throw err;
      root = undefined;
      problem = err.message;
    }
  }
  if (status >= 200 && status < 300) {
    return root ? { root } : { failure: { kind: 'protocol', detail: `HTTP ${status} but no SOAP answer: ${problem}` } };
  }
  if (status >= 300 && status < 400) return { failure: { kind: 'error', detail: `HTTP ${status} redirect (not followed)` } };
  return { failure: { kind: 'error', detail: `HTTP ${status}` } };
}

/** Sends one operation, optionally with a UsernameToken and/or an Authorization header. */
export async function callOnvif(
  ctx: ExchangeContext,
  op: OnvifOperation,
  auth: { creds?: Credentials; clockOffsetMs?: number | null; authorization?: string } = {},
): Promise<CallResult> {
  const sentAt = ctx.now();
  const header = auth.creds ? securityHeader(createUsernameToken({ username: auth.creds.username, password: auth.creds.password, now: sentAt, clockOffsetMs: auth.clockOffsetMs })) : '';
  const answer = await postSoap({
    url: ctx.url,
    action: op.action,
    envelope: soapEnvelope(op.body, header),
    deadline: ctx.deadline,
    connectTimeoutMs: ctx.connectTimeoutMs,
    maxResponseBytes: ctx.maxResponseBytes,
    headers: auth.authorization ? { Authorization: auth.authorization } : undefined,
  });
  const receivedAt = ctx.now();
  if (!answer.ok) return { failure: { ...answer.failure, detail: `${op.name}: ${answer.failure.detail}` }, sentAt, receivedAt };
  const verdict = interpretAnswer(answer.status, answer.body);
  const challenges = answer.status === 401 ? toList(answer.headers['www-authenticate']) : undefined;
  const { status } = answer;
  if (verdict.failure) return { failure: { ...verdict.failure, detail: `${op.name}: ${verdict.failure.detail}` }, status, challenges, sentAt, receivedAt };
  return { root: verdict.root, status, sentAt, receivedAt };
}

function toList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * The `Authorization: Digest …` value answering the Digest challenge of a failed call's HTTP 401
 * (MD5 / SHA-256, qop auth or none), or null when it offered none usable. Basic is never answered:
 * it would put the password on the wire.
 */
export function digestAuthorizationFor(ctx: ExchangeContext, failed: CallResult, creds: Credentials): string | null {
  if (!failed.challenges?.length) return null;
  const digest = parseChallenges(failed.challenges).filter((c) => c.scheme === 'digest');
  const authorizer = createAuthorizer(digest, creds);
  return authorizer ? authorizer.authorize('POST', `${ctx.url.pathname}${ctx.url.search}`) : null;
}
