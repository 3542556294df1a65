import { createAuthorizer, parseChallenges, type Credentials } from '../rtsp/digest.js';
import type { ProbeFailure } from '../types.js';
import { classifyFault, describeFault, parseFault } from './fault.js';
import { postSoap, soapEnvelope } from './soap-client.js';
import { createUsernameToken, securityHeader } from './ws-security.js';
import { learn, recall, type AnswerReader, type Sighting } from './answer-memo.js';
import { parseXml, xmlText, XmlProtocolError, type XmlElement } from './xml.js';

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
export interface CallResult<T = never> {
  root?: XmlElement;
  /** What the call's reader read from the answer (when one was given and reading succeeded). */
  texts?: T;
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
export function interpretAnswer(status: number, body: string | Uint8Array): Pick<CallResult, 'root' | 'failure'> {
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

/**
 * Sends one operation, optionally with a UsernameToken and/or an Authorization header. With a
 * `reader`, a successful answer is read with it (`texts`) — from the answer memo when the same
 * answer (but for its numbers) was read before, without parsing it (then there is no `root`).
 */
export async function callOnvif<T extends Record<string, string | null> = never>(
  ctx: ExchangeContext,
  op: OnvifOperation,
  auth: { creds?: Credentials; clockOffsetMs?: number | null; authorization?: string } = {},
  reader?: AnswerReader<T>,
): Promise<CallResult<T>> {
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
  const { status } = answer;
  let body: string | Uint8Array = answer.body;
  let sighting: Sighting | null = null;
  if (reader && status >= 200 && status < 300 && body.length > 0) {
    body = xmlText(answer.body);
    const known = recall(reader, body);
    if ('texts' in known) return { texts: known.texts, status, sentAt, receivedAt };
    sighting = known.sighting;
  }
  const verdict = interpretAnswer(status, body);
  const challenges = status === 401 ? toList(answer.headers['www-authenticate']) : undefined;
  if (verdict.failure) return { failure: { ...verdict.failure, detail: `${op.name}: ${verdict.failure.detail}` }, status, challenges, sentAt, receivedAt };
  const result: CallResult<T> = { root: verdict.root, status, sentAt, receivedAt };
  if (reader) {
    try {
      result.texts = reader.read(verdict.root!);
      if (sighting) learn(reader, body as string, sighting, result.texts);
    } catch (err) {
      // The caller reads the root again and reports the problem in its own words.
      if (!(err instanceof XmlProtocolError)) throw err;
    }
  }
  return result;
}

function toList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * The `Authorization: Digest …` value answering the Digest challenge of a failed call's HTTP 401
 * (MD5 / SHA-256, qop auth or none), or null when it offered none usable. Basic is never answered:
 * it would put the password on the wire.
 */
export function digestAuthorizationFor(ctx: ExchangeContext, failed: Pick<CallResult, 'challenges'>, creds: Credentials): string | null {
  if (!failed.challenges?.length) return null;
  const digest = parseChallenges(failed.challenges).filter((c) => c.scheme === 'digest');
  const authorizer = createAuthorizer(digest, creds);
  return authorizer ? authorizer.authorize('POST', `${ctx.url.pathname}${ctx.url.search}`) : null;
}
