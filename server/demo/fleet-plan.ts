/**
 * The demo fleet's register entries: which town, network and point class each simulated camera
 * (by fleet index) belongs to, its name, ID and position inside its town's schematic region. Pure
 * and seeded. Fleet indexes follow the simulator: the NVR's channels come first (0 … channels − 1).
 */
import { localProjection, pointInRing, type Point } from '../domain/geometry.js';
import { TownNamer, nvrChannelName, type DemoNetwork } from './places.js';
import { apportion, seededRandom, type Random } from './random.js';

/** A town's schematic region: the seat and outer ring ([lng, lat]) from the town map. */
export interface TownRegion {
  code: string;
  name: string;
  seat: Point;
  ring: readonly Point[];
}

/** One planned camera; `index` is its fleet index. */
export interface DemoPoint {
  index: number;
  deviceId: string;
  town: string;
  network: DemoNetwork;
  pointClass: 1 | 2 | 3 | 9;
  name: string;
  village: string | null;
  address: string;
  lng: number;
  lat: number;
  installDate: string;
  maintainer: string;
}

/** The plan: every point, the fleet indexes of each town, and the NVR. */
export interface DemoPlan {
  points: DemoPoint[];
  byTown: ReadonlyMap<string, number[]>;
  nvr: { town: string; site: string; indexes: number[] };
}

export interface DemoPlanOptions {
  count: number;
  nvrChannels: number;
  seed: number;
  countyCode: string;
  /** Towns in display order; the heaviest one is the county seat and gets the NVR. */
  regions: readonly TownRegion[];
  /** Relative share of cameras per town code; missing codes weigh 10. */
  weights?: Readonly<Record<string, number>>;
}

/** Default shares: the county seat (建平镇) about three times any other town. */
export const DEMO_TOWN_WEIGHTS: Readonly<Record<string, number>> = {
  jianping: 30, shizi: 11, meizhu: 11, xinfa: 10, taocheng: 10, feili: 9, biqiao: 10, yaocun: 9,
};
const NETWORK_WEIGHTS: Record<DemoNetwork, number> = { sky: 35, ground: 40, vehicle: 10, station: 15 };
// GB/T 28181 industry, type and network digit per network (2016 edition).
const ID_PARTS: Record<DemoNetwork | 'nvr', string> = { sky: '00' + '132' + '0', vehicle: '05' + '121' + '0', ground: '01' + '132' + '1', station: '03' + '132' + '8', nvr: '02' + '131' + '8' };
const MAINTAINERS = ['县电信分公司', '县移动分公司', '县联通分公司'] as const;

/** Plans `count` cameras over the regions; throws when the NVR does not fit in the county seat's share. */
export function planDemoFleet(options: DemoPlanOptions): DemoPlan {
  const random = seededRandom(options.seed);
  const weights = options.regions.map((r) => options.weights?.[r.code] ?? 10);
  const shares = apportion(options.count, weights);
  const seat = weights.indexOf(Math.max(...weights));
  if (shares[seat] < options.nvrChannels) throw new Error(`${options.nvrChannels} NVR channels do not fit in ${options.regions[seat].name}'s ${shares[seat]} cameras`);
  const points: DemoPoint[] = [];
  const byTown = new Map<string, number[]>(options.regions.map((r) => [r.code, []]));
  const site = `${options.regions[seat].name}县人民医院`;
  const add = (p: Omit<DemoPoint, 'index' | 'deviceId' | 'installDate' | 'maintainer'>, idParts: string): void => {
    const index = points.length;
    const deviceId = `${options.countyCode}00${idParts}${String(index + 1).padStart(6, '0')}`;
    points.push({ ...p, index, deviceId, installDate: installDate(random), maintainer: random.pick(MAINTAINERS) });
    byTown.get(p.town)!.push(index);
  };
  const seatRegion = placer(options.regions[seat], random);
  const hospital = seatRegion.near(seatRegion.seatKm, 0.8);
  for (let ch = 1; ch <= options.nvrChannels; ch++) {
    const [lng, lat] = seatRegion.near(hospital, 0.05, true);
    add({ town: options.regions[seat].code, network: 'station', pointClass: 3, name: nvrChannelName(site, ch), village: null, address: site, lng, lat }, ID_PARTS.nvr);
  }
  options.regions.forEach((region, t) => {
    const place = placer(region, random);
    const namer = new TownNamer(region.name, random);
    const villages = namer.villages.map(() => place.anywhere());
    const urbanSigma = t === seat ? 1.5 : 0.9;
    for (let k = t === seat ? options.nvrChannels : 0; k < shares[t]; k++) {
      const network = random.weighted(NETWORK_WEIGHTS);
      const village = random.int(0, villages.length - 1);
      const where = network === 'ground' ? place.near(villages[village], 0.4, true) : place.near(place.seatKm, urbanSigma, true);
      add({ town: region.code, network, pointClass: pointClassOf(network, random), ...namer.name(network, random, village), lng: where[0], lat: where[1] }, ID_PARTS[network]);
    }
  });
  return { points, byTown, nvr: { town: options.regions[seat].code, site, indexes: points.slice(0, options.nvrChannels).map((p) => p.index) } };
}

function pointClassOf(network: DemoNetwork, random: Random): 1 | 2 | 3 | 9 {
  const r = random();
  if (network === 'vehicle') return 1;
  if (network === 'sky') return r < 0.4 ? 1 : 2;
  if (network === 'ground') return r < 0.3 ? 2 : 3;
  return r < 0.7 ? 3 : 9;
}

function installDate(random: Random): string {
  return `${random.int(2016, 2024)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
}

/**
 * Positions inside one region, drawn in a local km plane: `near` scatters normally around a point
 * (rejecting draws outside the region; [lng, lat] when `asLngLat`), `anywhere` is uniform.
 */
function placer(region: TownRegion, random: Random) {
  const projection = localProjection(region.seat);
  const ring = region.ring.map((p) => projection.toKm(p));
  const seatKm = projection.toKm(region.seat);
  const inside = (p: Point): boolean => pointInRing(p, ring);
  const round = (p: Point): [number, number] => {
    const [lng, lat] = projection.toLngLat(p);
    return [Math.round(lng * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
  };
  function near(centre: Point, sigmaKm: number): Point;
  function near(centre: Point, sigmaKm: number, asLngLat: true): [number, number];
  function near(centre: Point, sigmaKm: number, asLngLat = false): Point {
    for (let attempt = 0; attempt < 50; attempt++) {
      const p: Point = [centre[0] + random.normal() * sigmaKm, centre[1] + random.normal() * sigmaKm];
      if (inside(p)) return asLngLat ? round(p) : p;
    }
    return asLngLat ? round(centre) : centre;
  }
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const anywhere = (): Point => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const p: Point = [Math.min(...xs) + random() * (Math.max(...xs) - Math.min(...xs)), Math.min(...ys) + random() * (Math.max(...ys) - Math.min(...ys))];
      if (inside(p)) return p;
    }
    return seatKm;
  };
  return { seatKm, near, anywhere };
}
