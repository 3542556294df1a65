/**
 * Prepares the county GeoJSON for ECharts: every feature gets the town code it draws (from a
 * `code`/`town` property, or by matching its name to the configured towns) in `__code`, which the
 * geo component uses as region name. Also the bounding box, and a stand-in map when the GeoJSON is
 * unavailable (one invisible rectangle around the cameras, so points still show).
 */
import type { GeoJsonCollection } from '../api';
import type { CodeName } from '../api-types';

export const CODE_PROP = '__code';

export interface Bbox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

export interface PreparedMap {
  geojson: GeoJsonCollection;
  bbox: Bbox;
  /** Codes of the regions drawn (towns first, other features by their name). */
  regions: string[];
  /** Where each region's label goes: its `seat` property, else the centroid of its largest ring. */
  centers: Map<string, [number, number]>;
  /** No real regions: the stand-in rectangle. */
  standIn: boolean;
}

function bare(name: string): string {
  return name.trim().toLowerCase().replace(/(镇|乡|街道)$/, '');
}

function townOf(props: Record<string, unknown>, towns: readonly CodeName[]): string | undefined {
  for (const key of ['code', 'town', 'townCode', 'id']) {
    const v = props[key];
    if (typeof v === 'string' && towns.some((t) => t.code === v)) return v;
  }
  for (const key of ['name', 'nameZh', 'nameEn', 'NAME']) {
    const v = props[key];
    if (typeof v !== 'string') continue;
    const hit = towns.find((t) => bare(t.name) === bare(v) || (t.nameEn && t.nameEn.toLowerCase() === v.trim().toLowerCase()));
    if (hit) return hit.code;
  }
  return undefined;
}

function extend(b: Bbox, coords: unknown): void {
  if (!Array.isArray(coords)) return;
  if (typeof coords[0] === 'number' && typeof coords[1] === 'number') {
    const [lng, lat] = coords as [number, number];
    b.minLng = Math.min(b.minLng, lng);
    b.maxLng = Math.max(b.maxLng, lng);
    b.minLat = Math.min(b.minLat, lat);
    b.maxLat = Math.max(b.maxLat, lat);
    return;
  }
  for (const c of coords) extend(b, c);
}

/** Area-weighted centroid and area of a ring ([lng, lat] pairs). */
function ringCentroid(ring: number[][]): { c: [number, number]; area: number } {
  let a = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += f;
    x += (ring[j][0] + ring[i][0]) * f;
    y += (ring[j][1] + ring[i][1]) * f;
  }
  if (a === 0) return { c: [ring[0]?.[0] ?? 0, ring[0]?.[1] ?? 0], area: 0 };
  return { c: [x / (3 * a), y / (3 * a)], area: Math.abs(a / 2) };
}

function labelPoint(props: Record<string, unknown>, geometry: { type: string; coordinates: unknown }): [number, number] | undefined {
  const seat = props.seat;
  if (Array.isArray(seat) && typeof seat[0] === 'number' && typeof seat[1] === 'number') return [seat[0], seat[1]];
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? (geometry.coordinates as unknown[]) : [];
  let best: { c: [number, number]; area: number } | undefined;
  for (const poly of polys as number[][][][]) {
    const r = Array.isArray(poly?.[0]) ? ringCentroid(poly[0]) : undefined;
    if (r && (!best || r.area > best.area)) best = r;
  }
  return best?.c;
}

function emptyBbox(): Bbox {
  return { minLng: Infinity, minLat: Infinity, maxLng: -Infinity, maxLat: -Infinity };
}

/** Tags every feature with its town code and measures the map. */
export function prepareGeojson(input: GeoJsonCollection, towns: readonly CodeName[]): PreparedMap {
  const bbox = emptyBbox();
  const regions: string[] = [];
  const centers = new Map<string, [number, number]>();
  const features = (input.features ?? []).filter((f) => f && f.geometry);
  features.forEach((f, i) => {
    const props = (f.properties ??= {});
    const name = typeof props.name === 'string' ? props.name : `region-${i}`;
    const code = townOf(props, towns) ?? name;
    props[CODE_PROP] = code;
    if (!regions.includes(code)) regions.push(code);
    const at = f.geometry ? labelPoint(props, f.geometry) : undefined;
    if (at && !centers.has(code)) centers.set(code, at);
    extend(bbox, f.geometry?.coordinates);
  });
  if (!Number.isFinite(bbox.minLng)) throw new Error('GeoJSON has no coordinates');
  return { geojson: { ...input, features }, bbox, regions, centers, standIn: false };
}

/** An invisible rectangle around the given points (or a unit box) so the geo view still works. */
export function standInMap(points: Iterable<[number, number]>): PreparedMap {
  const bbox = emptyBbox();
  for (const p of points) extend(bbox, p);
  if (!Number.isFinite(bbox.minLng)) Object.assign(bbox, { minLng: 118.9, minLat: 30.9, maxLng: 119.4, maxLat: 31.25 });
  const padLng = Math.max(0.01, (bbox.maxLng - bbox.minLng) * 0.05);
  const padLat = Math.max(0.01, (bbox.maxLat - bbox.minLat) * 0.05);
  Object.assign(bbox, { minLng: bbox.minLng - padLng, maxLng: bbox.maxLng + padLng, minLat: bbox.minLat - padLat, maxLat: bbox.maxLat + padLat });
  const ring = [
    [bbox.minLng, bbox.minLat], [bbox.maxLng, bbox.minLat], [bbox.maxLng, bbox.maxLat], [bbox.minLng, bbox.maxLat], [bbox.minLng, bbox.minLat],
  ];
  const geojson: GeoJsonCollection = {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { [CODE_PROP]: '' }, geometry: { type: 'Polygon', coordinates: [ring] } }],
  };
  return { geojson, bbox, regions: [], centers: new Map(), standIn: true };
}

/** Horizontal scale for a local equirectangular view that looks like the web map (≈ Mercator). */
export function aspectScaleFor(b: Bbox): number {
  return Math.cos((((b.minLat + b.maxLat) / 2) * Math.PI) / 180);
}
