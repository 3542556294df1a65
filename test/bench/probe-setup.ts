/**
 * `bench:probe` options and the untimed database setup: the simulator's cameras registered through
 * CameraRepository.insertMany (passwords sealed with the bench key), then — unless `--cold` — the
 * state of a fleet that has been monitored for a while (online for a day, last healthy sample
 * spread over the past SAMPLE_HEALTHY_EVERY_S), so the measured window shows steady-state writes.
 */
import { parseArgs } from 'node:util';
import type { Config } from '../../config/index.js';
import { CredentialCipher } from '../../server/secrets/credential-cipher.js';
import { CameraRepository } from '../../server/storage/camera.repository.js';
import { openConfiguredDatabase } from '../../server/storage/db.js';
import { storedCamera } from './fleet-generator.js';
import { log, setSimulatorFaults } from './probe-env.js';
import { OUTAGE_KINDS, type OutageKind } from './probe-outage.js';
import type { SimCamera as SimulatedCamera } from '../../workers/simulator/types.js';

export const BENCH_KEY = 'b7e1c2d4e5f6a7980112233445566778899aabbccddeeff00112233445566778';
const INSERT_CHUNK = 5000;

export interface BenchOptions {
  cameras: number;
  durationS: number;
  intervalS: number;
  concurrency: number;
  perHost: number;
  timeoutMs: number;
  floorRounds: number;
  saturationS: number;
  /**
   * Probing before the measured window starts; by default two intervals, so the window is steady state:
   * every camera was probed twice — first-round costs such as opening its password are behind it, the JIT
   * is warm, and the answer memo has learned every camera's answers (it learns a skeleton on its second
   * sighting, so the second cycle parses each ONVIF answer twice; its CPU is reported on its own).
   */
  warmupS: number;
  base: string;
  port: number;
  cold: boolean;
  /**
   * Percentage of cameras that answer each request 50–500 ms late (the simulator's `slow` fault), as
   * real cameras do: a start tick's rounds then finish over ~0.5 s instead of all within milliseconds.
   */
  slowPct: number;
  /** Percentage of cameras (one block of the fleet) that stop answering when the window starts (probe-outage.ts). */
  outagePct: number;
  outageKind: OutageKind;
  /** NVRs among the cameras (channels each; the simulator's --nvr, placed first — an outage's block starts with them). */
  nvr: number[];
  /** Folder for a --cpu-prof of the worker child (off when unset). */
  profile?: string;
}

const NUMBERS = {
  cameras: 10_000, duration: 120, interval: 60, concurrency: 500, 'per-host': 2, timeout: 5000,
  // warmup: its default is two intervals (see parseOptions); 120 = twice the default interval.
  'floor-rounds': 5000, 'saturation-s': 20, warmup: 120, port: 8554, 'slow-pct': 0,
  'outage-pct': 0,
} as const;

export const USAGE = `usage: npm run bench:probe -- [--cameras 10000] [--duration 120] [--interval 60] [--concurrency 500]
  [--per-host 2] [--timeout 5000] [--floor-rounds 5000] [--saturation-s 20 (0 = skip)] [--warmup S (default: two intervals)] [--base 127.2.0.1]
  [--port 8554] [--cold] [--slow-pct 0 (cameras answering 50–500 ms late)] [--profile DIR (cpu profile of the worker child)]
  [--outage-pct 0 (cameras going dark when the window starts)] [--outage-kind hang|down|reset (default hang)]
  [--nvr 64,16 (NVRs among the cameras, channels each; placed first)]`;

/** Parses argv; throws with every bad option named. */
export function parseOptions(argv: string[]): BenchOptions {
  const spec = Object.fromEntries(Object.keys(NUMBERS).map((k) => [k, { type: 'string' as const }]));
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { ...spec, base: { type: 'string' }, cold: { type: 'boolean' }, profile: { type: 'string' }, 'outage-kind': { type: 'string' }, nvr: { type: 'string' } },
  });
  const problems: string[] = [];
  const num = (key: keyof typeof NUMBERS, min: number, fallback: number = NUMBERS[key]): number => {
    const raw = (values as Record<string, string | undefined>)[key];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) problems.push(`--${key}: must be an integer ≥ ${min}, got "${raw}"`);
    return n;
  };
  const intervalS = num('interval', 1);
  const options: BenchOptions = {
    cameras: num('cameras', 1),
    durationS: num('duration', 1),
    intervalS,
    concurrency: num('concurrency', 1),
    perHost: num('per-host', 1),
    timeoutMs: num('timeout', 100),
    floorRounds: num('floor-rounds', 100),
    saturationS: num('saturation-s', 0),
    warmupS: num('warmup', 0, 2 * intervalS),
    base: (values.base as string | undefined) ?? '127.2.0.1',
    port: num('port', 1),
    cold: values.cold === true,
    slowPct: num('slow-pct', 0),
    outagePct: num('outage-pct', 0),
    outageKind: ((values['outage-kind'] as string | undefined) ?? 'hang') as OutageKind,
    nvr: values.nvr === undefined ? [] : String(values.nvr).split(',').map(Number),
    profile: values.profile as string | undefined,
  };
  if (options.slowPct > 100) problems.push(`--slow-pct: at most 100, got ${options.slowPct}`);
  if (options.outagePct > 100) problems.push(`--outage-pct: at most 100, got ${options.outagePct}`);
  if (!options.nvr.every((n) => Number.isInteger(n) && n >= 1 && n <= 99)) problems.push(`--nvr: channels per NVR (1–99) separated by commas, got "${values.nvr}"`);
  if (!OUTAGE_KINDS.includes(options.outageKind)) problems.push(`--outage-kind: one of ${OUTAGE_KINDS.join(', ')}, got "${options.outageKind}"`);
  if (options.base.startsWith('127.1.')) problems.push('--base: 127.1.x.x belongs to the tests; use e.g. 127.2.0.1');
  if (options.durationS < options.intervalS) problems.push(`--duration must be at least one interval (${options.intervalS} s)`);
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${USAGE}`);
  return options;
}

/** What the control API's GET /cameras tells about each simulated camera (the fields used here). */
export type SimCamera = Pick<SimulatedCamera, 'index' | 'rtspUrl' | 'onvifUrl' | 'username' | 'password'>;

/**
 * Makes `pct` % of the simulated cameras slow, spread over the fleet, each with its own delay of
 * 50–500 ms (deterministic: the same cameras and delays every run).
 */
export async function slowDown(control: string, cameras: SimCamera[], pct: number): Promise<void> {
  if (pct === 0) return;
  const slow = cameras.filter((cam) => (cam.index * 7919) % 100 < pct);
  await setSimulatorFaults(control, slow, (cam) => ({ rtsp: 'slow', onvif: 'slow', slowMs: 50 + ((cam.index * 104_729) % 451) }));
  log(`${slow.length} cameras (${pct} %) answer 50–500 ms late`);
}

/** Registers `cameras` and sets up the steady state; closes its handle (the worker child opens the database next). */
export async function setupDatabase(config: Config, cameras: SimCamera[], cold: boolean): Promise<void> {
  const db = await openConfiguredDatabase(config);
  try {
    const cipher = new CredentialCipher(config.cameraSecretKey!);
    const repo = new CameraRepository(db);
    let t = performance.now();
    for (let first = 0; first < cameras.length; first += INSERT_CHUNK) {
      const rows = cameras.slice(first, first + INSERT_CHUNK).map((cam) => ({
        ...storedCamera(cam.index, (plain) => plain),
        rtspMainUrl: cam.rtspUrl,
        rtspSubUrl: cam.rtspUrl.replace(/01$/, '02'),
        onvifUrl: cam.onvifUrl,
        username: cam.username,
        passwordEnc: cipher.encrypt(cam.password),
      }));
      const inserted = await repo.insertMany(rows);
      if (inserted !== rows.length) throw new Error(`insertMany inserted ${inserted} of ${rows.length}`);
    }
    log(`registered ${cameras.length} cameras in ${Math.round(performance.now() - t)} ms`);
    t = performance.now();
    if (!cold) {
      const sampleEveryS = config.liveness.sampleHealthyEveryMs / 1000;
      await db.query(`UPDATE cameras SET status = 'online', status_since = now() - interval '1 day'`);
      await db.query(
        `UPDATE camera_checks SET last_check_at = now() - interval '1 minute', last_verdict = 'online',
           last_sample_at = now() - random() * make_interval(secs => $1::float8)`,
        [sampleEveryS],
      );
    }
    await db.query('VACUUM ANALYZE cameras');
    await db.query('VACUUM ANALYZE camera_checks');
    const [{ n }] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM camera_checks WHERE next_check_at < 'infinity'`);
    if (n !== cameras.length) throw new Error(`expected ${cameras.length} checkable cameras, found ${n}`);
    log(`${cold ? 'cold start (status unknown)' : 'steady state seeded (online, samples spread over the last hour)'}; vacuumed in ${Math.round(performance.now() - t)} ms`);
  } finally {
    await db.close();
  }
}
