/**
 * Coordinate-system conversion for camera points.
 *
 * We store WGS-84. Chinese web maps (高德, 腾讯) hand out GCJ-02, 百度 hands out BD-09 and
 * 天地图 / survey sheets use CGCS2000, which is within centimetres of WGS-84 and is kept as-is.
 * GCJ-02 is the published "offset" algorithm on the Krasovsky ellipsoid; it has no closed-form
 * inverse, so GCJ-02 → WGS-84 is solved by fixed-point iteration on the forward transform.
 */

/** Coordinate systems an import sheet may declare. */
export type CoordinateSystem = 'WGS84' | 'CGCS2000' | 'GCJ02' | 'BD09';

/** A longitude/latitude pair in decimal degrees. */
export interface LngLat {
  lng: number;
  lat: number;
}

const KRASOVSKY_SEMI_MAJOR_AXIS = 6378245.0;
const KRASOVSKY_ECCENTRICITY_SQUARED = 0.00669342162296594323;
const BD09_X_PI = (Math.PI * 3000.0) / 180.0;
/** 1e-9° is about 0.1 mm: far below any survey or GPS error, so further iterations buy nothing. */
const INVERSE_TOLERANCE_DEGREES = 1e-9;
/** The iteration contracts by ~1e-5 per step, so 2–3 steps suffice; 10 is a safety cap. */
const INVERSE_MAX_ITERATIONS = 10;

// Keys are normalised: lower case, with spaces, hyphens and underscores removed.
const SYSTEM_SPELLINGS: ReadonlyMap<string, CoordinateSystem> = new Map([
  ['wgs84', 'WGS84'], ['gps', 'WGS84'],
  ['cgcs2000', 'CGCS2000'], ['2000', 'CGCS2000'], ['国家2000', 'CGCS2000'], ['天地图', 'CGCS2000'],
  ['gcj02', 'GCJ02'], ['火星', 'GCJ02'], ['火星坐标', 'GCJ02'], ['火星坐标系', 'GCJ02'],
  ['高德', 'GCJ02'], ['腾讯', 'GCJ02'],
  ['bd09', 'BD09'], ['bd09ll', 'BD09'], ['百度', 'BD09'],
]);

/**
 * Reads a coordinate-system name as written in an import sheet.
 *
 * Truth table (case-insensitive; spaces, '-' and '_' ignored):
 *   'WGS84' | 'WGS-84' | 'wgs 84' | 'GPS'           → 'WGS84'
 *   'CGCS2000' | '2000' | '国家2000' | '天地图'       → 'CGCS2000'
 *   'GCJ02' | 'GCJ-02' | '火星坐标' | '高德' | '腾讯' → 'GCJ02'
 *   'BD09' | 'BD-09' | '百度'                        → 'BD09'
 *   '' or whitespace                                 → null (caller defaults to WGS84)
 *   anything else                                    → null (caller reports it)
 */
export function parseCoordinateSystem(text: string): CoordinateSystem | null {
  const key = text.toLowerCase().replace(/[\s\-_]/g, '');
  return SYSTEM_SPELLINGS.get(key) ?? null;
}

/**
 * True outside the rough bounding box in which GCJ-02 applies. The published algorithm uses this
 * box rather than the real border, and we must match it to round-trip what map APIs return.
 */
export function isOutsideChina(lng: number, lat: number): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function offsetLatitude(x: number, y: number): number {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320.0 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return ret;
}

function offsetLongitude(x: number, y: number): number {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return ret;
}

/**
 * WGS-84 → GCJ-02 (the published forward transform).
 *
 * Truth table:
 *   inside the China bounding box  → input shifted by the GCJ-02 offset (typically 100–700 m)
 *   outside the box                → input unchanged
 */
export function wgs84ToGcj02(lng: number, lat: number): LngLat {
  if (isOutsideChina(lng, lat)) return { lng, lat };
  const a = KRASOVSKY_SEMI_MAJOR_AXIS;
  const ee = KRASOVSKY_ECCENTRICITY_SQUARED;
  const radLat = (lat / 180.0) * Math.PI;
  const sinLat = Math.sin(radLat);
  const magic = 1 - ee * sinLat * sinLat;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (offsetLatitude(lng - 105.0, lat - 35.0) * 180.0) / (((a * (1 - ee)) / (magic * sqrtMagic)) * Math.PI);
  const dLng = (offsetLongitude(lng - 105.0, lat - 35.0) * 180.0) / ((a / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lng: lng + dLng, lat: lat + dLat };
}

/**
 * GCJ-02 → WGS-84, solved precisely: the one-step approximation used by most snippets leaves
 * errors of up to a metre or so; iterating until forward(result) equals the input within 1e-9°
 * makes a WGS → GCJ → WGS round trip lossless.
 *
 * Truth table:
 *   outside the China bounding box → input unchanged
 *   inside                         → w such that |wgs84ToGcj02(w) − input| < 1e-9° (≤ 10 steps)
 */
export function gcj02ToWgs84(lng: number, lat: number): LngLat {
  if (isOutsideChina(lng, lat)) return { lng, lat };
  let guess: LngLat = { lng, lat };
  for (let i = 0; i < INVERSE_MAX_ITERATIONS; i++) {
    const forward = wgs84ToGcj02(guess.lng, guess.lat);
    const errLng = forward.lng - lng;
    const errLat = forward.lat - lat;
    if (Math.abs(errLng) < INVERSE_TOLERANCE_DEGREES && Math.abs(errLat) < INVERSE_TOLERANCE_DEGREES) break;
    guess = { lng: guess.lng - errLng, lat: guess.lat - errLat };
  }
  return guess;
}

/**
 * BD-09 → GCJ-02 (Baidu's published inverse; exact enough, no iteration needed).
 *
 * Truth table:
 *   any input → input minus Baidu's fixed shift (≈ 0.0065°, 0.006°) and its small rotation
 */
export function bd09ToGcj02(lng: number, lat: number): LngLat {
  const x = lng - 0.0065;
  const y = lat - 0.006;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * BD09_X_PI);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * BD09_X_PI);
  return { lng: z * Math.cos(theta), lat: z * Math.sin(theta) };
}

/**
 * Converts a point in the declared system to WGS-84 for storage.
 *
 * Truth table:
 *   'WGS84' | 'CGCS2000' → unchanged (CGCS2000 differs from WGS-84 by centimetres)
 *   'GCJ02'              → gcj02ToWgs84
 *   'BD09'               → bd09ToGcj02, then gcj02ToWgs84
 */
export function toWgs84(system: CoordinateSystem, lng: number, lat: number): LngLat {
  switch (system) {
    case 'WGS84':
    case 'CGCS2000':
      return { lng, lat };
    case 'GCJ02':
      return gcj02ToWgs84(lng, lat);
    case 'BD09': {
      const gcj = bd09ToGcj02(lng, lat);
      return gcj02ToWgs84(gcj.lng, gcj.lat);
    }
  }
}

/**
 * Range check for a longitude/latitude pair; returns a reason, or null when valid.
 *
 * Truth table (first failing row wins):
 *   lng or lat not a finite number   → "<name> must be a finite number"
 *   lat outside −90..90              → "latitude … is outside -90..90", plus a "swapped?" hint
 *                                      when lat would be a valid longitude and lng a valid latitude
 *   lng outside −180..180            → "longitude … is outside -180..180"
 *   otherwise                        → null
 */
export function validateLngLat(lng: number, lat: number): string | null {
  if (!Number.isFinite(lng)) return 'longitude must be a finite number';
  if (!Number.isFinite(lat)) return 'latitude must be a finite number';
  if (lat < -90 || lat > 90) {
    // A sheet with the two columns swapped is the usual cause in China (lat ≈ 31, lng ≈ 119).
    const swapped = Math.abs(lng) <= 90 && Math.abs(lat) <= 180;
    return `latitude ${lat} is outside -90..90${swapped ? ' (longitude and latitude swapped?)' : ''}`;
  }
  if (lng < -180 || lng > 180) return `longitude ${lng} is outside -180..180`;
  return null;
}
