import cron from 'node-cron';
import { z } from 'zod';

/** A named code list entry (a town or a network): stable code + display names. */
export const codeNameSchema = z.object({
  code: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'code must be lower-case letters, digits, - or _'),
  name: z.string().min(1).max(32),
  nameEn: z.string().min(1).max(64).optional(),
});
export type CodeName = z.infer<typeof codeNameSchema>;

export const DEFAULT_TOWNS: CodeName[] = [
  { code: 'jianping', name: '建平镇', nameEn: 'Jianping' },
  { code: 'shizi', name: '十字镇', nameEn: 'Shizi' },
  { code: 'meizhu', name: '梅渚镇', nameEn: 'Meizhu' },
  { code: 'xinfa', name: '新发镇', nameEn: 'Xinfa' },
  { code: 'taocheng', name: '涛城镇', nameEn: 'Taocheng' },
  { code: 'feili', name: '飞鲤镇', nameEn: 'Feili' },
  { code: 'biqiao', name: '毕桥镇', nameEn: 'Biqiao' },
  { code: 'yaocun', name: '姚村乡', nameEn: 'Yaocun' },
];

export const DEFAULT_NETWORKS: CodeName[] = [
  { code: 'sky', name: '天网', nameEn: 'Sky' },
  { code: 'ground', name: '地网', nameEn: 'Ground' },
  { code: 'vehicle', name: '车网', nameEn: 'Vehicle' },
  { code: 'station', name: '栈网', nameEn: 'Station' },
];

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

/**
 * Raw settings as they arrive from the environment or the config file, keyed by the
 * environment variable name. Every key is optional; defaults live here so the README
 * table and the code cannot drift apart.
 */
export const rawConfigSchema = z
  .object({
    PORT: port.default(8080),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    PGLITE_DIR: z.string().min(1).optional(),
    TZ_DISPLAY: z
      .string()
      .refine(isValidTimeZone, 'must be an IANA time zone such as Asia/Shanghai')
      .default('Asia/Shanghai'),
    COUNTY_CODE: z.string().regex(/^\d{6}$/, 'must be a 6-digit administrative division code').default('341821'),
    COUNTY_NAME: z.string().min(1).default('郎溪县'),
    TOWNS: codeNameList().default(DEFAULT_TOWNS),
    NETWORKS: codeNameList().default(DEFAULT_NETWORKS),
    GB28181_EDITION: z.enum(['2016', '2022']).default('2016'),
    CAMERA_SECRET_KEY: z
      .string()
      .refine((v) => decodeKey(v) !== null, 'must be 32 bytes as 64 hex characters or base64')
      .optional(),
    BODY_LIMIT_KB: positiveInt.default(256),
    IMPORT_MAX_MB: positiveInt.default(20),
    RATE_LIMIT_PER_MINUTE: positiveInt.default(1200),
    IMPORT_RATE_LIMIT_PER_MINUTE: positiveInt.default(20),
    // Accounts
    SESSION_IDLE_MINUTES: positiveInt.max(7 * 24 * 60).default(120),
    SESSION_ABSOLUTE_HOURS: positiveInt.max(90 * 24).default(24),
    ADMIN_INITIAL_PASSWORD: z.string().min(10, 'must be at least 10 characters').max(128).optional(),
    ADMIN_INITIAL_PASSWORD_FILE: z.string().min(1).optional(),
    SIGN_IN_RATE_LIMIT_PER_MINUTE: positiveInt.default(30),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    // Console
    MAP_GEOJSON_FILE: z.string().min(1).optional(),
    MAP_TILE_URL: z
      .string()
      .regex(/^https?:\/\/[^\s]+\{z\}[^\s]*$/, 'must be an http(s) XYZ tile template containing {z}, {x} and {y}')
      .optional(),
    // Liveness engine
    CHECK_INTERVAL_S: positiveInt.max(86_400).default(60),
    CONFIRM_RECHECKS: z.coerce.number().int().min(0).max(20).default(3),
    RECHECK_INTERVAL_S: positiveInt.max(3600).default(10),
    RECOVER_CHECKS: positiveInt.max(20).default(2),
    CLOCK_OFFSET_THRESHOLD_S: positiveInt.default(120),
    LIVENESS_POLICIES: z
      .preprocess((v) => (typeof v === 'string' ? safeJson(v) : v), z.partialRecord(z.enum(['1', '2', '3', '9']), policyOverride()))
      .default({}),
    PROBE_TIMEOUT_MS: positiveInt.max(120_000).default(5000),
    PROBE_CONNECT_TIMEOUT_MS: positiveInt.max(60_000).default(3000),
    WORKER_ENABLED: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    WORKER_ID: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'letters, digits, . _ : - (at most 64)').optional(),
    WORKER_CONCURRENCY: positiveInt.max(5000).default(500),
    WORKER_PER_HOST: positiveInt.max(64).default(2),
    // Unset: 8, or WORKER_PER_HOST when that is higher.
    WORKER_PER_HOST_MAX: positiveInt.max(64).optional(),
    WORKER_BATCH: positiveInt.max(5000).default(500),
    WORKER_LEASE_S: positiveInt.max(3600).default(120),
    SAMPLE_RETENTION_DAYS: positiveInt.max(3650).default(7),
    SAMPLE_HEALTHY_EVERY_S: z.coerce.number().int().min(0).default(3600),
    PRUNE_CRON: cronExpression().default('17 3 * * *'),
    VACUUM_CRON: cronExpression().default('*/5 * * * *'),
  })
  .strict()
  .superRefine((raw, ctx) => {
    if (raw.WORKER_PER_HOST_MAX !== undefined && raw.WORKER_PER_HOST_MAX < raw.WORKER_PER_HOST) {
      ctx.addIssue({ code: 'custom', path: ['WORKER_PER_HOST_MAX'], message: `must be at least WORKER_PER_HOST (${raw.WORKER_PER_HOST})` });
    }
  });

export type RawConfig = z.infer<typeof rawConfigSchema>;

/** Per point class overrides of the liveness policy, e.g. {"1": {"intervalS": 30}}. */
function policyOverride() {
  return z
    .object({
      intervalS: positiveInt.max(86_400),
      confirmRechecks: z.number().int().min(0).max(20),
      recheckIntervalS: positiveInt.max(3600),
      recoverChecks: positiveInt.max(20),
      clockOffsetThresholdS: positiveInt,
    })
    .partial()
    .strict();
}

function cronExpression() {
  return z.string().refine((v) => cron.validate(v), 'must be a cron expression such as "*/5 * * * *"');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Parses a 32-byte key given as hex or base64; null when it is neither. */
export function decodeKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  const b64 = Buffer.from(trimmed, 'base64');
  return b64.length === 32 ? b64 : null;
}

/**
 * Town and network lists come as JSON arrays (config file or env) or as the short env form
 * `code:名称,code:名称`. Codes and names must be unique, since both identify an entry in the API.
 */
function codeNameList() {
  return z
    .preprocess((value) => (typeof value === 'string' ? parseCodeNameText(value) : value), z.array(codeNameSchema).min(1))
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      for (const entry of list) {
        for (const key of [entry.code, entry.name]) {
          if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `duplicate entry "${key}"` });
          seen.add(key);
        }
      }
    });
}

function parseCodeNameText(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text;
    }
  }
  return trimmed
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const [code, name, nameEn] = part.split(':').map((s) => s.trim());
      return { code, name, ...(nameEn ? { nameEn } : {}) };
    });
}
