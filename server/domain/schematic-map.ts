/**
 * Schematic town map: town seats → town regions, for a county whose survey boundaries are not at
 * hand. Each town gets the part of the county area nearer to its own seat than to any other (a
 * Voronoi partition), computed in a local kilometre plane by clipping the county area with one
 * half-plane per other seat. Honest by construction: every feature says it is schematic, and so does
 * the collection. Pure.
 */
import { area, clipHalfPlane, convexHull, grownHull, isConvex, localProjection, pointInRing, signedArea2, type Point } from './geometry.js';
import type { TownSeat, TownSeats } from './town-seats.js';

/** Words shown with the map wherever it is drawn. */
export const SCHEMATIC_NOTE = '示意图，非测绘数据';
const DECIMALS = 6; // ≈ 0.1 m

/** GeoJSON (RFC 7946) Polygon with one counter-clockwise outer ring, first position repeated last. */
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Array<Array<[number, number]>>;
}

/** Properties of one town region. */
export interface TownRegionProperties {
  code: string;
  name: string;
  nameEn: string | null;
  schematic: true;
  /** Approximate [lng, lat] of the town government the region was drawn around. */
  seat: [number, number];
  seatApproximate: true;
  areaKm2: number;
}

/** One town region. */
export interface TownRegionFeature {
  type: 'Feature';
  id: string;
  properties: TownRegionProperties;
  geometry: PolygonGeometry;
}

/** The whole map; `schematic` and `name` are RFC 7946 foreign members read by the console. */
export interface SchematicMap {
  type: 'FeatureCollection';
  name: string;
  schematic: true;
  properties: Record<string, string | number | boolean>;
  bbox: [number, number, number, number];
  features: TownRegionFeature[];
}

/**
 * Voronoi cells of `seats` within the convex polygon `clip` (all in one plane). Cell i is
 * `clip` ∩ { p : |p − s_i| ≤ |p − s_j| for every j ≠ i }, i.e. clipped by the half-plane
 * (s_j − s_i)·p ≤ (|s_j|² − |s_i|²) / 2. Cells come back counter-clockwise; O(n²) clips, fine
 * for a county's 8–50 towns. A seat outside `clip` may get an empty cell ([]).
 */
export function voronoiCells(seats: readonly Point[], clip: readonly Point[]): Point[][] {
  const start = signedArea2(clip) < 0 ? [...clip].reverse() : [...clip];
  return seats.map((si, i) => {
    let cell: Point[] = start;
    for (let j = 0; j < seats.length && cell.length > 0; j++) {
      if (j === i) continue;
      const sj = seats[j];
      const normal: Point = [sj[0] - si[0], sj[1] - si[1]];
      const offset = (sj[0] ** 2 + sj[1] ** 2 - si[0] ** 2 - si[1] ** 2) / 2;
      cell = clipHalfPlane(cell, normal, offset);
    }
    return cell;
  });
}

/**
 * Builds the schematic map of a seats file. The county area is the given convex `boundary`, or
 * the convex hull of the seats grown by `marginKm`. Throws when the boundary is not convex or a
 * seat lies outside it.
 */
export function buildSchematicMap(input: TownSeats): SchematicMap {
  const centre = centroid(input.seats.map((s) => s.seat));
  const projection = localProjection(centre);
  const seatsKm = input.seats.map((s) => projection.toKm(s.seat));
  const clip = countyArea(input, seatsKm, projection.toKm);
  const cells = voronoiCells(seatsKm, clip);
  const features = input.seats.map((seat, i) => {
    if (cells[i].length === 0 || !pointInRing(seatsKm[i], cells[i])) throw new Error(`seat of ${seat.name} (${seat.code}) lies outside the county boundary`);
    return toFeature(seat, cells[i], projection.toLngLat);
  });
  const all = features.flatMap((f) => f.geometry.coordinates[0]);
  const lngs = all.map((p) => p[0]);
  const lats = all.map((p) => p[1]);
  return {
    type: 'FeatureCollection',
    name: `${input.county.name}乡镇示意图（${SCHEMATIC_NOTE}）`,
    schematic: true,
    properties: {
      county: input.county.name,
      ...(input.county.code ? { countyCode: input.county.code } : {}),
      schematic: true,
      note: `${SCHEMATIC_NOTE}：乡镇区域按各乡镇政府驻地的近似位置划分（最近驻地，Voronoi），不是行政区划界线。` +
        'Schematic, not survey data: each town is the area nearest its approximate seat (Voronoi), not its legal boundary.',
      seatsApproximate: true,
      method: input.boundary ? 'voronoi-in-boundary' : 'voronoi-in-grown-hull',
      ...(input.boundary ? {} : { marginKm: input.marginKm }),
    },
    bbox: [Math.min(...lngs), Math.min(...lats), Math.max(...lngs), Math.max(...lats)],
    features,
  };
}

/**
 * The file text of a map: the collection's members pretty-printed, one feature per line, so the diff
 * of a regenerated file stays readable. Ends with a newline.
 */
export function formatSchematicMap(map: SchematicMap): string {
  const { features, ...head } = map;
  const body = features.map((f) => `    ${JSON.stringify(f)}`).join(',\n');
  const headText = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  return `${headText},\n  "features": [\n${body}\n  ]\n}\n`;
}

function countyArea(input: TownSeats, seatsKm: Point[], toKm: (p: Point) => Point): Point[] {
  if (!input.boundary) return grownHull(seatsKm, input.marginKm);
  const ring = input.boundary.map((p) => toKm(p));
  const open = ring.length > 3 && ring[0][0] === ring.at(-1)![0] && ring[0][1] === ring.at(-1)![1] ? ring.slice(0, -1) : ring;
  if (!isConvex(open)) throw new Error('boundary must be a convex polygon (use the hull of the seats with marginKm otherwise)');
  return convexHull(open);
}

function toFeature(seat: TownSeat, cellKm: Point[], toLngLat: (p: Point) => Point): TownRegionFeature {
  const ring = cellKm.map((p) => roundPoint(toLngLat(p)));
  const deduped = ring.filter((p, k) => k === 0 || p[0] !== ring[k - 1][0] || p[1] !== ring[k - 1][1]);
  if (deduped.length > 1 && deduped[0][0] === deduped.at(-1)![0] && deduped[0][1] === deduped.at(-1)![1]) deduped.pop();
  return {
    type: 'Feature',
    id: seat.code,
    properties: {
      code: seat.code,
      name: seat.name,
      nameEn: seat.nameEn ?? null,
      schematic: true,
      seat: [seat.seat[0], seat.seat[1]],
      seatApproximate: true,
      areaKm2: Math.round(area(cellKm) * 10) / 10,
    },
    geometry: { type: 'Polygon', coordinates: [[...deduped, deduped[0]]] },
  };
}

function roundPoint(p: Point): [number, number] {
  const f = 10 ** DECIMALS;
  return [Math.round(p[0] * f) / f, Math.round(p[1] * f) / f];
}

function centroid(points: ReadonlyArray<readonly [number, number]>): Point {
  const n = points.length;
  return [points.reduce((s, p) => s + p[0], 0) / n, points.reduce((s, p) => s + p[1], 0) / n];
}
