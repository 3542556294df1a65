/**
 * The one place the console talks HTTP: same-origin JSON under /api/v1 with the session cookie.
 * State-changing requests carry the CSRF token the server handed out at sign-in. Authentication
 * failures are reported to the session (through `authHooks`, so this module imports no state):
 * 401 unauthenticated → sign-in screen; 403 password_change_required → forced change screen;
 * 403 csrf_failed → the token is re-read once (another tab signed in anew) and the call repeated.
 */
import { t } from './i18n';

const BASE = '/api/v1';

export interface Problem {
  field: string;
  message: string;
  /** A stable reason the console words itself (password rules); the message is English. */
  code?: string;
}

/** An HTTP error with what the server's JSON body said. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The server's `error` code, e.g. `invalid_credentials`, `locked`, `forbidden`. */
    readonly code = '',
    readonly problems: Problem[] = [],
    /** Seconds to wait before another sign-in attempt (429 locked). */
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
  }
}

/** Filled in by the session module. */
export const authHooks = {
  csrfToken: (): string => '',
  onUnauthenticated: (): void => undefined,
  onPasswordChangeRequired: (): void => undefined,
  /** Re-reads the session's CSRF token; answers whether it changed (then a retry may pass). */
  refreshCsrf: async (): Promise<boolean> => false,
};

interface ErrorBody {
  error?: string;
  message?: string;
  problems?: Problem[];
  retryAfterS?: number;
}

async function toError(res: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // not JSON: keep the status line
  }
  const code = body.error ?? '';
  const problems = Array.isArray(body.problems) ? body.problems : [];
  let message = problems.map((p) => `${p.field}: ${p.message}`).join('; ') || body.message || code || `HTTP ${res.status}`;
  if (res.status === 403 && code === 'forbidden') message = t('error.forbidden');
  if (res.status === 403 && code === 'out_of_scope') message = t('error.outOfScope');
  if (res.status === 401 && code === 'unauthenticated') message = t('error.unauthenticated');
  return new ApiError(res.status, message, code, problems, typeof body.retryAfterS === 'number' ? body.retryAfterS : null);
}

/** Calls the API; answers the parsed JSON body (undefined for 204). */
export async function request<T>(path: string, init: RequestInit = {}, retried = false): Promise<T> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { Accept: 'application/json', ...(init.headers as Record<string, string> | undefined) };
  if (method !== 'GET' && method !== 'HEAD') {
    const token = authHooks.csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  const res = await fetch(path.startsWith('/api/') ? path : BASE + path, { ...init, method, headers, credentials: 'same-origin' });
  if (!res.ok) {
    const err = await toError(res);
    if (err.status === 401 && err.code === 'unauthenticated') authHooks.onUnauthenticated();
    if (err.status === 403 && err.code === 'password_change_required') authHooks.onPasswordChangeRequired();
    if (err.status === 403 && err.code === 'csrf_failed' && !retried && (await authHooks.refreshCsrf())) return request<T>(path, init, true);
    throw err;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A state-changing call with an optional JSON body. */
export function send<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return request<T>(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A query string from the non-empty values (leading '?' included, '' when none). */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && String(value).trim() !== '') q.set(key, String(value).trim());
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
