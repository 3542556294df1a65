import type { ProbeFailure } from './types.js';

/**
 * Maps a socket error to a failure kind.
 *   ECONNREFUSED                                  → refused
 *   EHOSTUNREACH ENETUNREACH EHOSTDOWN ENOTFOUND
 *   EAI_AGAIN EADDRNOTAVAIL                       → unreachable
 *   ETIMEDOUT                                     → timeout
 *   ECONNRESET EPIPE                              → protocol (peer hung up mid-exchange)
 *   anything else                                 → error
 */
export function socketFailure(err: unknown): ProbeFailure {
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  const detail = code ? `${code}` : (err as Error)?.message ?? String(err);
  switch (code) {
    case 'ECONNREFUSED':
      return { kind: 'refused', detail: 'connection refused' };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'EADDRNOTAVAIL':
      return { kind: 'unreachable', detail: `host unreachable (${code})` };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { kind: 'unreachable', detail: `host name not found (${code})` };
    case 'ETIMEDOUT':
      return { kind: 'timeout', detail: 'connect timed out' };
    case 'ECONNRESET':
    case 'EPIPE':
      return { kind: 'protocol', detail: `connection reset by peer (${code})` };
    default:
      return { kind: 'error', detail };
  }
}

/** Elapsed milliseconds since `start` (from performance.now()), rounded to 0.1 ms. */
export function elapsed(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}
