/**
 * Small planar geometry for schematic maps: convex hull, half-plane clipping, areas, point in
 * polygon, and a local equirectangular projection between WGS-84 degrees and kilometres.
 * Pure; polygons are open rings (first point not repeated) unless a function says otherwise.
 */

/** A point in the plane (kilometres after `localProjection`, or degrees). */
export type Point = readonly [number, number];

/** Mean radius of the Earth in km (the projection only has to be locally faithful). */
const EARTH_RADIUS_KM = 6371.0088;
const KM_PER_DEGREE = (Math.PI * EARTH_RADIUS_KM) / 180;

/**
 * An equirectangular projection centred on `origin` ([lng, lat]): x = east km, y = north km.
 * Distances within a county (tens of km) are faithful to well under 1 %, so bisectors drawn in
 * this plane are the real "nearest seat" boundaries, unlike bisectors drawn in raw degrees.
 */
export function localProjection(origin: Point): { toKm(p: Point): Point; toLngLat(p: Point): Point } {
  const [lng0, lat0] = origin;
  const kx = KM_PER_DEGREE * Math.cos((lat0 * Math.PI) / 180);
  return {
    toKm: ([lng, lat]) => [(lng - lng0) * kx, (lat - lat0) * KM_PER_DEGREE],
    toLngLat: ([x, y]) => [lng0 + x / kx, lat0 + y / KM_PER_DEGREE],
  };
}

/** Twice the signed area: > 0 when the ring runs counter-clockwise (y up). */
export function signedArea2(ring: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % ring.length];
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

/** Unsigned area of a simple ring. */
export function area(ring: readonly Point[]): number {
  return Math.abs(signedArea2(ring)) / 2;
}

const cross = (o: Point, a: Point, b: Point): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/**
 * Convex hull (Andrew's monotone chain), counter-clockwise, collinear points dropped.
 *   0 or 1 distinct point → that point; all collinear → the two end points.
 */
export function convexHull(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const unique = sorted.filter((p, i) => i === 0 || p[0] !== sorted[i - 1][0] || p[1] !== sorted[i - 1][1]);
  if (unique.length < 3) return unique;
  const half = (list: Point[]): Point[] => {
    const out: Point[] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  return [...half(unique), ...half([...unique].reverse())];
}

/**
 * The convex hull of `points` grown by `margin` in every direction: the hull of the points
 * Minkowski-summed with a regular `sides`-gon of circumradius margin / cos(π / sides), so the
 * grown boundary is nowhere nearer than `margin` to any point (collinear input gives an area too).
 */
export function grownHull(points: readonly Point[], margin: number, sides = 16): Point[] {
  if (margin <= 0) return convexHull(points);
  const radius = margin / Math.cos(Math.PI / sides);
  const cloud: Point[] = [];
  for (const [x, y] of points) {
    for (let k = 0; k < sides; k++) {
      const a = (2 * Math.PI * (k + 0.5)) / sides;
      cloud.push([x + radius * Math.cos(a), y + radius * Math.sin(a)]);
    }
  }
  return convexHull(cloud);
}

/** Whether a ring of ≥ 3 points is strictly convex in either orientation (no reflex corner). */
export function isConvex(ring: readonly Point[]): boolean {
  if (ring.length < 3) return false;
  let sign = 0;
  for (let i = 0; i < ring.length; i++) {
    const c = cross(ring[i], ring[(i + 1) % ring.length], ring[(i + 2) % ring.length]);
    if (c === 0) continue;
    if (sign !== 0 && Math.sign(c) !== sign) return false;
    sign = Math.sign(c);
  }
  return sign !== 0;
}

/**
 * Clips a convex polygon to the half-plane a·p ≤ b (Sutherland–Hodgman, one edge). Keeps the
 * ring's orientation; returns [] when nothing is left.
 */
export function clipHalfPlane(ring: readonly Point[], a: Point, b: number): Point[] {
  const out: Point[] = [];
  const side = (p: Point): number => a[0] * p[0] + a[1] * p[1] - b;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % ring.length];
    const sp = side(p);
    const sq = side(q);
    if (sp <= 0) out.push(p);
    if ((sp < 0 && sq > 0) || (sp > 0 && sq < 0)) {
      const t = sp / (sp - sq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out.length >= 3 ? out : [];
}

/**
 * Even-odd point in polygon for an open or closed ring. Points exactly on an edge may go either
 * way; callers that care test `distanceToRing` first.
 */
export function pointInRing(p: Point, ring: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Shortest distance from `p` to the edges of a ring (same units as the coordinates). */
export function distanceToRing(p: Point, ring: readonly Point[]): number {
  let best = Infinity;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
    best = Math.min(best, Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy)));
  }
  return best;
}
