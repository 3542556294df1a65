/**
 * `npm run demo` options (command line) and the demo's configuration: the product's own settings,
 * with the demo's data folder and liveness timings, so the console comes alive within 30 s.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The demo's data folder, beside the repository's `data/`; wiped at every start. */
export const DEMO_DATA_DIR = fileURLToPath(new URL('../../data-demo', import.meta.url));

/** Command-line options of the demo. */
export interface DemoOptions {
  cameras: number;
  nvrChannels: number;
  seed: number;
  /** First simulated camera address (loopback). */
  base: string;
  /** Port of every simulated camera. */
  simPort: number;
}

export const DEMO_USAGE = `usage: npm run demo -- [--cameras 2000] [--nvr-channels 32] [--seed 1] [--base 127.10.0.1] [--sim-port 8554]
  Environment: PORT (default 8080), HOST, LOG_LEVEL (default warn), TZ_DISPLAY, MAP_TILE_URL. The demo always
  runs on its own embedded database in ./data-demo, wiped at start.`;

const DEFAULTS = { cameras: 2000, 'nvr-channels': 32, seed: 1, 'sim-port': 8554 } as const;
const LIMITS: Record<keyof typeof DEFAULTS, [number, number]> = { cameras: [100, 10_000], 'nvr-channels': [1, 99], seed: [0, 2 ** 31], 'sim-port': [1, 65_535] };

/** Parses argv; throws an Error naming every bad option (with the usage). */
export function parseDemoArgs(argv: string[]): DemoOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { cameras: { type: 'string' }, 'nvr-channels': { type: 'string' }, seed: { type: 'string' }, base: { type: 'string' }, 'sim-port': { type: 'string' } },
  });
  const problems: string[] = [];
  const num = (key: keyof typeof DEFAULTS): number => {
    const raw = values[key];
    if (raw === undefined) return DEFAULTS[key];
    const n = Number(raw);
    const [min, max] = LIMITS[key];
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`--${key}: must be an integer from ${min} to ${max}, got "${raw}"`);
    return n;
  };
  const options: DemoOptions = { cameras: num('cameras'), nvrChannels: num('nvr-channels'), seed: num('seed'), base: values.base ?? '127.10.0.1', simPort: num('sim-port') };
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(options.base)) problems.push(`--base: must be a loopback address 127.x.y.z, got "${options.base}"`);
  else if (options.base.startsWith('127.1.') || options.base.startsWith('127.2.')) problems.push('--base: 127.1.x.x and 127.2.x.x belong to the tests and benchmarks');
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${DEMO_USAGE}`);
  return options;
}

// Settings a person running the demo may still choose; everything else is the demo's.
const PASS_THROUGH = ['PORT', 'HOST', 'LOG_LEVEL', 'TZ_DISPLAY', 'MAP_TILE_URL', 'ADMIN_INITIAL_PASSWORD'] as const;

/** The demo's admin password (its own data folder, loopback by default): printed in the banner so a newcomer signs in at once. */
export const DEMO_ADMIN_PASSWORD = 'demo-sharp-eyes';

/**
 * The environment handed to loadConfig: the pass-through keys from `env`, the demo data folder
 * (never DATABASE_URL, PGLITE_DIR or CONFIG_FILE: the demo must not touch real data) and the demo
 * timings — regular checks every 15 s, 2 rechecks 3 s apart, probes cut at 2 s.
 */
export function demoEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of PASS_THROUGH) {
    const value = env[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return {
    LOG_LEVEL: 'warn',
    ADMIN_INITIAL_PASSWORD: DEMO_ADMIN_PASSWORD,
    ...out,
    DATA_DIR: DEMO_DATA_DIR,
    CHECK_INTERVAL_S: '15',
    RECHECK_INTERVAL_S: '3',
    CONFIRM_RECHECKS: '2',
    PROBE_TIMEOUT_MS: '2000',
    WORKER_ID: 'demo-worker',
  };
}
