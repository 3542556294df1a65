import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawConfigSchema, decodeKey, type CodeName, type RawConfig } from './schema.js';

export type { CodeName } from './schema.js';

/** The validated, frozen configuration every other module receives; nothing else reads process.env. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** Unset means the embedded PGlite database in `pgliteDir`. */
  readonly databaseUrl: string | undefined;
  readonly pgliteDir: string;
  readonly tzDisplay: string;
  readonly countyCode: string;
  readonly countyName: string;
  readonly towns: readonly CodeName[];
  readonly networks: readonly CodeName[];
  readonly gb28181Edition: '2016' | '2022';
  /** Explicit camera-credential key; when absent one is generated into `dataDir/camera-secret.key`. */
  readonly cameraSecretKey: Buffer | undefined;
  readonly bodyLimitBytes: number;
  readonly importMaxBytes: number;
  readonly rateLimitPerMinute: number;
  readonly importRateLimitPerMinute: number;
  readonly logLevel: RawConfig['LOG_LEVEL'];
  readonly liveness: LivenessConfig;
  /** GeoJSON of the town regions the console map draws (a county may replace it with its own). */
  readonly mapGeojsonFile: string;
  /** Optional XYZ base-map tiles (PGIS / 天地图) on the public-security network. */
  readonly mapTileUrl: string | undefined;
  readonly auth: AuthConfig;
}

export interface AuthConfig {
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  /** Password of the first admin (env or secret file); unset = a one-time password is printed once. */
  adminInitialPassword: string | undefined;
  signInRateLimitPerMinute: number;
}

export interface PolicyConfig {
  intervalMs: number;
  confirmRechecks: number;
  recheckIntervalMs: number;
  recoverChecks: number;
  clockOffsetThresholdMs: number;
}

export interface LivenessConfig {
  /** Default policy, and overrides per point class (1, 2, 3, 9). */
  policy: PolicyConfig;
  policyByPointClass: Readonly<Record<string, PolicyConfig>>;
  probeTimeoutMs: number;
  probeConnectTimeoutMs: number;
  /** Whether `npm start` runs a worker in the server process. */
  workerEnabled: boolean;
  workerId: string;
  concurrency: number;
  perHost: number;
  /** Lanes a slowly answering host may get while its queued rounds fall behind (≥ perHost). */
  perHostMax: number;
  batchSize: number;
  leaseMs: number;
  sampleRetentionDays: number;
  sampleHealthyEveryMs: number;
  pruneCron: string;
  vacuumCron: string;
}

/** Thrown when settings are invalid; `problems` names every bad key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const KNOWN_KEYS = Object.keys(rawConfigSchema.shape);
const DEFAULT_GEOJSON = fileURLToPath(new URL('./geo/langxi-towns.geojson', import.meta.url));
/** Lanes a slowly answering device may get when WORKER_PER_HOST_MAX is unset (or WORKER_PER_HOST, if higher). */
const DEFAULT_PER_HOST_MAX = 8;

/**
 * Reads settings from an optional JSON config file (`CONFIG_FILE`) overlaid by environment
 * variables, validates them once, and returns a frozen Config. Throws ConfigError listing
 * every bad key. Empty environment values count as unset.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const fromFile = env.CONFIG_FILE ? readConfigFile(env.CONFIG_FILE) : {};
  const fromEnv: Record<string, string> = {};
  for (const key of KNOWN_KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') fromEnv[key] = value;
  }
  const parsed = rawConfigSchema.safeParse({ ...fromFile, ...fromEnv });
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = issue.path.length > 0 ? issue.path.join('.') : unknownKeys(issue);
        return `${key}: ${issue.message}`;
      }),
    );
  }
  const adminPassword = readAdminPassword(parsed.data);
  return toConfig(parsed.data, adminPassword);
}

/** ADMIN_INITIAL_PASSWORD, or the first line of ADMIN_INITIAL_PASSWORD_FILE (a Docker/K8s secret). */
function readAdminPassword(raw: RawConfig): string | undefined {
  if (raw.ADMIN_INITIAL_PASSWORD && raw.ADMIN_INITIAL_PASSWORD_FILE) {
    throw new ConfigError(['ADMIN_INITIAL_PASSWORD_FILE: set either ADMIN_INITIAL_PASSWORD or ADMIN_INITIAL_PASSWORD_FILE, not both']);
  }
  if (!raw.ADMIN_INITIAL_PASSWORD_FILE) return raw.ADMIN_INITIAL_PASSWORD;
  let text: string;
  try {
    text = readFileSync(raw.ADMIN_INITIAL_PASSWORD_FILE, 'utf8');
  } catch (err) {
    throw new ConfigError([`ADMIN_INITIAL_PASSWORD_FILE: cannot read ${raw.ADMIN_INITIAL_PASSWORD_FILE}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`]);
  }
  const password = text.split(/\r?\n/)[0];
  if ([...password].length < 10) throw new ConfigError(['ADMIN_INITIAL_PASSWORD_FILE: the password in it must be at least 10 characters']);
  return password;
}

function unknownKeys(issue: { code: string; keys?: string[] }): string {
  return issue.code === 'unrecognized_keys' && issue.keys ? issue.keys.join(', ') : '(config)';
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`CONFIG_FILE: cannot read ${file}: ${(err as Error).message}`]);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError([`CONFIG_FILE: ${file} is not a JSON object: ${(err as Error).message}`]);
  }
}

function toConfig(raw: RawConfig, adminInitialPassword: string | undefined): Config {
  const dataDir = path.resolve(raw.DATA_DIR);
  return Object.freeze({
    port: raw.PORT,
    host: raw.HOST,
    dataDir,
    databaseUrl: raw.DATABASE_URL,
    pgliteDir: path.resolve(raw.PGLITE_DIR ?? path.join(dataDir, 'pg')),
    tzDisplay: raw.TZ_DISPLAY,
    countyCode: raw.COUNTY_CODE,
    countyName: raw.COUNTY_NAME,
    towns: Object.freeze(raw.TOWNS.map((t) => Object.freeze({ ...t }))),
    networks: Object.freeze(raw.NETWORKS.map((n) => Object.freeze({ ...n }))),
    gb28181Edition: raw.GB28181_EDITION,
    cameraSecretKey: raw.CAMERA_SECRET_KEY ? (decodeKey(raw.CAMERA_SECRET_KEY) ?? undefined) : undefined,
    bodyLimitBytes: raw.BODY_LIMIT_KB * 1024,
    importMaxBytes: raw.IMPORT_MAX_MB * 1024 * 1024,
    rateLimitPerMinute: raw.RATE_LIMIT_PER_MINUTE,
    importRateLimitPerMinute: raw.IMPORT_RATE_LIMIT_PER_MINUTE,
    logLevel: raw.LOG_LEVEL,
    liveness: Object.freeze(toLiveness(raw)),
    mapGeojsonFile: path.resolve(raw.MAP_GEOJSON_FILE ?? DEFAULT_GEOJSON),
    mapTileUrl: raw.MAP_TILE_URL,
    auth: Object.freeze({
      sessionIdleMs: raw.SESSION_IDLE_MINUTES * 60_000,
      sessionAbsoluteMs: raw.SESSION_ABSOLUTE_HOURS * 3_600_000,
      adminInitialPassword,
      signInRateLimitPerMinute: raw.SIGN_IN_RATE_LIMIT_PER_MINUTE,
    }),
  });
}

function toLiveness(raw: RawConfig): LivenessConfig {
  const policy: PolicyConfig = {
    intervalMs: raw.CHECK_INTERVAL_S * 1000,
    confirmRechecks: raw.CONFIRM_RECHECKS,
    recheckIntervalMs: raw.RECHECK_INTERVAL_S * 1000,
    recoverChecks: raw.RECOVER_CHECKS,
    clockOffsetThresholdMs: raw.CLOCK_OFFSET_THRESHOLD_S * 1000,
  };
  const byClass: Record<string, PolicyConfig> = {};
  for (const [pointClass, o] of Object.entries(raw.LIVENESS_POLICIES)) {
    byClass[pointClass] = {
      intervalMs: o.intervalS !== undefined ? o.intervalS * 1000 : policy.intervalMs,
      confirmRechecks: o.confirmRechecks ?? policy.confirmRechecks,
      recheckIntervalMs: o.recheckIntervalS !== undefined ? o.recheckIntervalS * 1000 : policy.recheckIntervalMs,
      recoverChecks: o.recoverChecks ?? policy.recoverChecks,
      clockOffsetThresholdMs: o.clockOffsetThresholdS !== undefined ? o.clockOffsetThresholdS * 1000 : policy.clockOffsetThresholdMs,
    };
  }
  return {
    policy,
    policyByPointClass: byClass,
    probeTimeoutMs: raw.PROBE_TIMEOUT_MS,
    probeConnectTimeoutMs: Math.min(raw.PROBE_CONNECT_TIMEOUT_MS, raw.PROBE_TIMEOUT_MS),
    workerEnabled: raw.WORKER_ENABLED,
    workerId: raw.WORKER_ID ?? `${os.hostname()}-${process.pid}`,
    concurrency: raw.WORKER_CONCURRENCY,
    perHost: raw.WORKER_PER_HOST,
    perHostMax: raw.WORKER_PER_HOST_MAX ?? Math.max(DEFAULT_PER_HOST_MAX, raw.WORKER_PER_HOST),
    batchSize: raw.WORKER_BATCH,
    leaseMs: raw.WORKER_LEASE_S * 1000,
    sampleRetentionDays: raw.SAMPLE_RETENTION_DAYS,
    sampleHealthyEveryMs: raw.SAMPLE_HEALTHY_EVERY_S * 1000,
    pruneCron: raw.PRUNE_CRON,
    vacuumCron: raw.VACUUM_CRON,
  };
}

/** Describes where data lives, for the start-up banner (never includes credentials). */
export function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return `embedded PGlite at ${config.pgliteDir}`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL server ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
