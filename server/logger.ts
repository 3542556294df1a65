/** Minimal structured logger: one JSON line per event on stderr-free stdout, secrets redacted. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Replaces `user:password@` in any URL-looking text; the one place credentials are scrubbed. */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]*)(:[^@\s/]*)?@/gi, (_m, scheme: string, user: string, pass?: string) =>
    pass ? `${scheme}${user}:***@` : `${scheme}${user}@`,
  );
}

const SECRET_KEYS = /pass(word)?|secret|token|key|cookie|authorization/i;

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactUrl(value);
  if (value instanceof Error) return { name: value.name, message: redactUrl(value.message) };
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '***' : scrub(v, depth + 1);
  return out;
}

/** Creates a logger writing JSON lines to `sink` (default stdout). */
export function createLogger(level: LogLevel, sink: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const write = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const extra = fields ? (scrub(fields) as Record<string, unknown>) : {};
    sink(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg: redactUrl(msg), ...extra }));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export const silentLogger: Logger = createLogger('silent');
