import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { buildSchematicMap, formatSchematicMap, SCHEMATIC_NOTE, voronoiCells, type SchematicMap } from '../../../server/domain/schematic-map.js';
import { parseTownSeats, type TownSeats } from '../../../server/domain/town-seats.js';
import { convexHull, distanceToRing, pointInRing, signedArea2, type Point } from '../../../server/domain/geometry.js';

const SEATS_FILE = new URL('../../../config/geo/langxi-seats.json', import.meta.url);
const MAP_FILE = new URL('../../../config/geo/langxi-towns.geojson', import.meta.url);
const langxi = (): TownSeats => parseTownSeats(JSON.parse(readFileSync(SEATS_FILE, 'utf8')));

const ringOf = (map: SchematicMap, k: number): Point[] => map.features[k].geometry.coordinates[0];
const openRing = (ring: Point[]): Point[] => ring.slice(0, -1);

/** Grid points over the bbox, offset by an irrational fraction so none sits on a vertex by design. */
function samples(bbox: [number, number, number, number], n: number): Point[] {
  const [x0, y0, x1, y1] = bbox;
  const out: Point[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.push([x0 + ((i + Math.SQRT1_2) / n) * (x1 - x0), y0 + ((j + Math.SQRT1_2 / 3) / n) * (y1 - y0)]);
  return out;
}

function invariants(sut: SchematicMap, seats: TownSeats): void {
  it('has one feature per seat with the schematic properties', () => {
    expect(sut.features.map((f) => f.properties.code)).to.deep.equal(seats.seats.map((s) => s.code));
    for (const [k, f] of sut.features.entries()) {
      expect(f.properties).to.include({ name: seats.seats[k].name, schematic: true, seatApproximate: true });
      expect(f.properties.seat).to.deep.equal(seats.seats[k].seat);
      expect(f.geometry.type).to.equal('Polygon');
    }
    expect(sut.schematic).to.equal(true);
    expect(sut.name).to.contain(SCHEMATIC_NOTE);
  });

  it('puts every seat inside its own region, and in no other', () => {
    for (const [k, f] of sut.features.entries()) {
      sut.features.forEach((_, m) => expect(pointInRing(f.properties.seat, ringOf(sut, m)), `${f.properties.code} in #${m}`).to.equal(m === k));
    }
  });

  it('closes every ring and runs outer rings counter-clockwise (RFC 7946)', () => {
    for (const [k, f] of sut.features.entries()) {
      const ring = ringOf(sut, k);
      expect(ring.length, f.properties.code).to.be.at.least(4);
      expect(ring[0]).to.deep.equal(ring.at(-1));
      expect(signedArea2(openRing(ring)), f.properties.code).to.be.greaterThan(0);
    }
  });

  it('puts every sample point of the area in exactly one region, and covers the hull of the seats', () => {
    const rings = sut.features.map((_, k) => ringOf(sut, k));
    const hull = convexHull(seats.seats.map((s) => s.seat));
    let inHull = 0;
    for (const p of samples(sut.bbox, 120)) {
      if (rings.some((r) => distanceToRing(p, r) < 1e-7)) continue; // on a shared edge: either side is fine
      const owners = rings.filter((r) => pointInRing(p, r)).length;
      expect(owners, `point ${p.join(',')}`).to.be.at.most(1);
      if (hull.length >= 3 && pointInRing(p, hull) && distanceToRing(p, hull) > 1e-7) {
        inHull++;
        expect(owners, `hull point ${p.join(',')}`).to.equal(1);
      }
    }
    if (hull.length >= 3 && Math.abs(signedArea2(hull)) > 1e-6) expect(inHull).to.be.greaterThan(100); // not a sliver (collinear seats)
  });
}

describe('schematic map: 郎溪县 seats', () => {
  const seats = langxi();
  const sut = buildSchematicMap(seats);
  invariants(sut, seats);

  it('gives each town the area nearest its seat (a sample point belongs to the nearest seat)', () => {
    for (const p of samples(sut.bbox, 40)) {
      const owner = sut.features.findIndex((_, k) => pointInRing(p, ringOf(sut, k)));
      if (owner < 0 || sut.features.some((_, k) => distanceToRing(p, ringOf(sut, k)) < 1e-4)) continue;
      const km = (s: readonly number[]) => Math.hypot((s[0] - p[0]) * Math.cos((31 * Math.PI) / 180), s[1] - p[1]);
      const nearest = seats.seats.reduce((best, s, k) => (km(s.seat) < km(seats.seats[best].seat) ? k : best), 0);
      expect(owner, `point ${p.join(',')}`).to.equal(nearest);
    }
  });

  it('adds up to about the county area with a 6 km margin', () => {
    const total = sut.features.reduce((s, f) => s + f.properties.areaKm2, 0);
    expect(total).to.be.within(1000, 1200);
  });

  it('is the committed config/geo/langxi-towns.geojson (regenerate with npm run map:schematic)', () => {
    expect(readFileSync(MAP_FILE, 'utf8')).to.equal(formatSchematicMap(sut));
  });
});

describe('schematic map: other seat layouts', () => {
  const layouts: Array<[string, TownSeats]> = [
    ['two towns', { county: { name: 'A县' }, marginKm: 3, seats: [{ code: 'a', name: 'A镇', seat: [118, 30] }, { code: 'b', name: 'B镇', seat: [118.1, 30.05] }] }],
    ['collinear towns', { county: { name: 'B县' }, marginKm: 2, seats: [0, 1, 2, 3].map((k) => ({ code: `t${k}`, name: `T${k}镇`, seat: [117 + k * 0.05, 29 + k * 0.05] as [number, number] })) }],
    ['a grid of 25 towns', { county: { name: 'C县' }, marginKm: 4, seats: Array.from({ length: 25 }, (_, k) => ({ code: `g${k}`, name: `G${k}乡`, seat: [116 + (k % 5) * 0.07 + (k % 3) * 0.01, 28 + Math.floor(k / 5) * 0.06] as [number, number] })) }],
  ];
  for (const [name, seats] of layouts) describe(name, () => invariants(buildSchematicMap(seats), seats));

  it('uses a convex boundary when given, and refuses a seat outside it', () => {
    const seats: TownSeats = { county: { name: 'D县' }, marginKm: 5, boundary: [[0, 0], [1, 0], [1, 1], [0, 1]], seats: [{ code: 'a', name: 'A', seat: [0.25, 0.5] }, { code: 'b', name: 'B', seat: [0.75, 0.5] }] };
    const sut = buildSchematicMap(seats);
    expect(sut.bbox).to.deep.equal([0, 0, 1, 1]);
    expect(ringOf(sut, 0).every((p) => p[0] <= 0.5 + 1e-9)).to.equal(true);
    expect(() => buildSchematicMap({ ...seats, seats: [...seats.seats, { code: 'c', name: 'C', seat: [2, 2] }] })).to.throw(/C \(c\) lies outside/);
    expect(() => buildSchematicMap({ ...seats, boundary: [[0, 0], [1, 0], [0.5, 0.2], [1, 1], [0, 1]] })).to.throw(/convex/);
  });

  it('names every problem of a bad seats file', () => {
    const bad = { county: { name: '' }, seats: [{ code: 'A', name: 'x', seat: [200, 0] }, { code: 'b', name: 'x', seat: [1, 1] }] };
    expect(() => parseTownSeats(bad)).to.throw(/county\.name[\s\S]*seats\.0\.code[\s\S]*seats\.0\.seat\.0[\s\S]*duplicate "x"/);
  });
});

describe('schematic map: voronoiCells', () => {
  it('splits a square between two seats along their bisector', () => {
    const sut = voronoiCells([[1, 1], [3, 1]], [[0, 0], [4, 0], [4, 2], [0, 2]]);
    expect(sut.map((c) => Math.abs(signedArea2(c)) / 2)).to.deep.equal([4, 4]);
    expect(sut[0].every((p) => p[0] <= 2)).to.equal(true);
  });

  it('returns counter-clockwise cells from a clockwise clip polygon', () => {
    const sut = voronoiCells([[1, 1]], [[0, 0], [0, 2], [2, 2], [2, 0]]);
    expect(signedArea2(sut[0])).to.be.greaterThan(0);
  });
});
