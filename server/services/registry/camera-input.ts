import { z } from 'zod';
import { parsePointClass, splitUrlCredentials, type PointClass } from '../../domain/camera.js';
import { validateDeviceIdFormat } from '../../domain/gb28181.js';
import { parseCoordinateSystem, toWgs84, validateLngLat } from '../../domain/coordinates.js';
import type { Catalog } from './catalog.js';
import { ValidationError, type FieldProblem } from '../errors.js';

/** A camera's writable fields after validation: codes resolved, coordinates in WGS-84, no inline credentials. */
export interface CameraFields {
  deviceId: string;
  idEdition: '2016' | '2022' | null;
  name: string;
  network: string;
  town: string;
  village: string | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  pointClass: PointClass | null;
  vendor: string | null;
  model: string | null;
  installDate: string | null;
  ownerUnit: string | null;
  maintainer: string | null;
  tags: string[];
  onvifUrl: string | null;
  rtspMainUrl: string | null;
  rtspSubUrl: string | null;
  username: string | null;
  /** undefined = keep the stored password; null = clear it. */
  password?: string | null;
}

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : typeof v === 'string' && v.trim() === '' ? null : v);
const text = (max: number) => z.preprocess(blankToNull, z.string().trim().max(max, `at most ${max} characters`).nullable());
const number = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? null : Number(v.trim())) : blankToNull(v)),
  z.number({ error: 'must be a number' }).finite('must be a finite number').nullable(),
);
const url = (schemes: string[]) =>
  z.preprocess(
    blankToNull,
    z
      .string()
      .trim()
      .max(1000)
      .refine((v) => isUrlWithScheme(v, schemes), `must be a ${schemes.join(' or ')} URL`)
      .nullable(),
  );

function isUrlWithScheme(value: string, schemes: string[]): boolean {
  try {
    const parsed = new URL(value);
    return schemes.includes(parsed.protocol.replace(/:$/, '')) && parsed.hostname !== '';
  } catch {
    return false;
  }
}

function isRealDate(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Builds the zod field shape; town and network are checked against the county's configured lists. */
function fieldShape(catalog: Catalog) {
  const listed = (list: Catalog['towns'], what: string) =>
    z
      .string({ error: `is required` })
      .trim()
      .min(1, 'is required')
      .transform((v, ctx) => {
        const entry = list.resolve(v);
        if (!entry) {
          ctx.addIssue({ code: 'custom', message: `unknown ${what} "${v}"; expected one of ${list.describe()}` });
          return z.NEVER;
        }
        return entry.code;
      });
  return {
    deviceId: z
      .string({ error: 'is required' })
      .trim()
      .superRefine((v, ctx) => {
        const problem = validateDeviceIdFormat(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    idEdition: z.preprocess(blankToNull, z.enum(['2016', '2022'], { error: 'must be 2016 or 2022' }).nullable()),
    name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(100, 'at most 100 characters'),
    network: listed(catalog.networks, 'network'),
    town: listed(catalog.towns, 'town'),
    village: text(100),
    address: text(200),
    longitude: number,
    latitude: number,
    coordinateSystem: z.preprocess(
      blankToNull,
      z
        .string()
        .transform((v, ctx) => {
          const system = parseCoordinateSystem(v);
          if (!system) {
            ctx.addIssue({ code: 'custom', message: `unknown coordinate system "${v}"; expected WGS84, CGCS2000, GCJ02 or BD09` });
            return z.NEVER;
          }
          return system;
        })
        .nullable(),
    ),
    pointClass: z.preprocess(
      blankToNull,
      z
        .union([z.string(), z.number()])
        .transform((v, ctx) => {
          const parsed = parsePointClass(v);
          if (parsed === null) {
            ctx.addIssue({ code: 'custom', message: `unknown point class "${v}"; expected 1/一类, 2/二类, 3/三类 or 9/其他` });
            return z.NEVER;
          }
          return parsed;
        })
        .nullable(),
    ),
    vendor: text(100),
    model: text(100),
    installDate: z.preprocess(
      blankToNull,
      z.string().trim().refine(isRealDate, 'must be a date as YYYY-MM-DD').nullable(),
    ),
    ownerUnit: text(100),
    maintainer: text(100),
    tags: z.preprocess(
      (v) => (typeof v === 'string' ? v.split(/[,，;；、|]/).map((s) => s.trim()).filter(Boolean) : v ?? []),
      z.array(z.string().trim().min(1).max(32, 'each tag at most 32 characters')).max(20, 'at most 20 tags'),
    ),
    onvifUrl: url(['http', 'https']),
    rtspMainUrl: url(['rtsp', 'rtsps']),
    rtspSubUrl: url(['rtsp', 'rtsps']),
    username: text(64),
    password: z.preprocess((v) => (v === '' ? null : v), z.string().max(128, 'at most 128 characters').nullable().optional()),
  };
}

export type CameraInputSchemas = ReturnType<typeof makeCameraInputSchemas>;

/** Schemas for a full record (create, import rows) and for a partial update (PATCH). */
export function makeCameraInputSchemas(catalog: Catalog) {
  const shape = fieldShape(catalog);
  return {
    full: z.object(shape).strict(),
    patch: z.object(shape).partial().strict(),
  };
}

type Parsed = Partial<z.infer<ReturnType<typeof makeCameraInputSchemas>['full']>>;

/**
 * Finishes a parsed record: range-checks coordinates, converts them to WGS-84,
 * moves inline URL credentials into username/password. Returns problems instead of throwing.
 */
export function normaliseParsed<T extends Parsed>(parsed: T): { value: Omit<T, 'coordinateSystem'>; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const { coordinateSystem, ...rest } = parsed;
  const value = { ...rest } as Omit<T, 'coordinateSystem'> & Parsed;
  const touchesPosition = value.longitude !== undefined || value.latitude !== undefined;
  if (touchesPosition && (value.longitude == null) !== (value.latitude == null)) {
    problems.push({ field: value.longitude == null ? 'longitude' : 'latitude', message: 'longitude and latitude must be given together' });
  }
  if (value.longitude != null && value.latitude != null) {
    const rangeProblem = validateLngLat(value.longitude, value.latitude);
    if (rangeProblem) problems.push({ field: 'longitude', message: rangeProblem });
    else if (coordinateSystem) Object.assign(value, toLngLat(toWgs84(coordinateSystem, value.longitude, value.latitude)));
  }
  for (const key of ['onvifUrl', 'rtspMainUrl', 'rtspSubUrl'] as const) {
    const raw = value[key];
    if (!raw) continue;
    const split = splitUrlCredentials(raw);
    value[key] = split.url;
    if (split.username && !value.username) value.username = split.username;
    if (split.password && value.password === undefined) value.password = split.password;
  }
  return { value, problems };
}

function toLngLat(p: { lng: number; lat: number }) {
  return { longitude: round(p.lng), latitude: round(p.lat) };
}

/** 1e-7 degrees ≈ 1 cm: enough, and keeps exports stable across round trips. */
function round(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

/** Converts zod issues to field problems named by API field. */
export function zodProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return { field: issue.keys.join(', '), message: 'unknown field' };
    return { field: issue.path.map(String).join('.') || 'body', message: issue.message };
  });
}

/** Parses a full camera record or throws ValidationError naming every bad field. */
export function parseFullCamera(schemas: CameraInputSchemas, body: unknown): CameraFields {
  const result = schemas.full.safeParse(body);
  if (!result.success) throw new ValidationError(zodProblems(result.error));
  const { value, problems } = normaliseParsed(result.data);
  if (problems.length > 0) throw new ValidationError(problems);
  return value as CameraFields;
}
