/**
 * Command-line options of the simulator CLI (workers/simulator/main.ts) → FleetOptions.
 * Every bad option is named; parsing never touches sockets.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_BASE_ADDRESS, DEFAULT_CREDENTIALS, DEFAULT_PORT } from './camera-plan.js';
import type { FleetOptions, Mix, RtspAuthMode } from './types.js';

/** Help text printed with argument errors. */
export const USAGE = `usage: npm run simulator -- --cameras N [options]
  --cameras N             cameras to simulate (NVR channels included)       required
  --base A.B.C.D          first camera address                              ${DEFAULT_BASE_ADDRESS}
  --port P                port of every camera (RTSP and ONVIF)             ${DEFAULT_PORT}
  --control-port P        JSON control API on 127.0.0.1:P (0 = any)         0
  --auth MODE|MIX         digest | basic | both | none | digest=0.7,basic=0.2,none=0.1   digest
  --qop-ratio R           share of Digest challenges with qop="auth"        0.5
  --realm TEXT            one realm for all cameras                         varies
  --username U --password P                                                 ${DEFAULT_CREDENTIALS.username} / ${DEFAULT_CREDENTIALS.password}
  --nvr 64,16             NVR groups (channels each), placed first          none
  --h265 R                share of cameras announcing H.265                 0
  --seed N                seed of per-camera random choices                 1
  --idle-timeout-ms MS    close idle connections after                      120000
  --wsse-max-skew S       refuse WS-Security Created stamps off by > S s    0 (off)`;

/** What the CLI starts: the fleet and its control API port. */
export interface CliConfig {
  fleet: FleetOptions;
  controlPort: number;
}

const AUTH_MODES: readonly RtspAuthMode[] = ['digest', 'basic', 'both', 'none'];

function parseAuth(text: string, problems: string[]): FleetOptions['auth'] {
  if ((AUTH_MODES as readonly string[]).includes(text)) return text as RtspAuthMode;
  const mix: Mix<RtspAuthMode> = {};
  for (const part of text.split(',')) {
    const [mode, weight] = part.split('=');
    if (!(AUTH_MODES as readonly string[]).includes(mode) || !(Number(weight) >= 0)) {
      problems.push(`--auth: "${part}" is not mode=weight with mode one of ${AUTH_MODES.join(', ')}`);
      return undefined;
    }
    mix[mode as RtspAuthMode] = Number(weight);
  }
  return mix;
}

const OPTION_NAMES = [
  'cameras', 'base', 'port', 'control-port', 'auth', 'qop-ratio', 'realm', 'username', 'password', 'nvr',
  'h265', 'seed', 'idle-timeout-ms', 'wsse-max-skew',
] as const;

type Values = Partial<Record<(typeof OPTION_NAMES)[number], string>>;

/** A reader of numeric options that records a problem for each bad value. */
function numberReader(values: Values, problems: string[]) {
  return (key: keyof Values, fallback: number, check: (n: number) => boolean, what: string): number => {
    const raw = values[key];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (raw.trim() === '' || !check(n)) problems.push(`--${key}: must be ${what}, got "${raw}"`);
    return n;
  };
}

const int = (n: number): boolean => Number.isInteger(n);
const ratio = (n: number): boolean => n >= 0 && n <= 1;
const portNumber = (n: number): boolean => int(n) && n >= 0 && n <= 65535;

/**
 * Parses argv (without node and script). Returns the config, or `problems` naming every bad option.
 */
export function parseCli(argv: string[]): { config?: CliConfig; problems: string[] } {
  const problems: string[] = [];
  let values: Values;
  try {
    const options = Object.fromEntries(OPTION_NAMES.map((k) => [k, { type: 'string' as const }]));
    values = parseArgs({ args: argv, strict: true, options }).values as Values;
  } catch (err) {
    return { problems: [(err as Error).message] };
  }
  const num = numberReader(values, problems);
  if (values.cameras === undefined) problems.push('--cameras: required');
  const nvr = (values.nvr ?? '').split(',').filter(Boolean).map((c) => {
    const channels = Number(c);
    if (!int(channels) || channels < 1 || channels > 99) problems.push(`--nvr: "${c}" is not a channel count 1..99`);
    return { channels };
  });
  const fleet: FleetOptions = {
    count: num('cameras', 0, (n) => int(n) && n >= 1, 'an integer ≥ 1'),
    baseAddress: values.base ?? DEFAULT_BASE_ADDRESS,
    port: num('port', DEFAULT_PORT, portNumber, 'a port 0..65535'),
    auth: values.auth === undefined ? 'digest' : parseAuth(values.auth, problems),
    digestQopRatio: num('qop-ratio', 0.5, ratio, 'a ratio 0..1'),
    credentials: {
      username: values.username ?? DEFAULT_CREDENTIALS.username,
      password: values.password ?? DEFAULT_CREDENTIALS.password,
    },
    nvr,
    h265Ratio: num('h265', 0, ratio, 'a ratio 0..1'),
    seed: num('seed', 1, int, 'an integer'),
    idleTimeoutMs: num('idle-timeout-ms', 120_000, (n) => int(n) && n > 0, 'an integer > 0'),
    wsseMaxSkewSeconds: num('wsse-max-skew', 0, (n) => n >= 0, 'a number ≥ 0'),
    ...(values.realm !== undefined ? { realm: values.realm } : {}),
  };
  const controlPort = num('control-port', 0, portNumber, 'a port 0..65535');
  return problems.length > 0 ? { problems } : { config: { fleet, controlPort }, problems };
}
