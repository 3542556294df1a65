import { expect } from 'chai';
import {
  bd09ToGcj02,
  gcj02ToWgs84,
  parseCoordinateSystem,
  toWgs84,
  validateLngLat,
  wgs84ToGcj02,
  type CoordinateSystem,
} from '../../../server/domain/coordinates.js';

/** Haversine distance in metres; good enough to sanity-check offsets of a few hundred metres. */
function metresBetween(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

// Langxi county, Anhui (建平镇 and surroundings) — where the product runs first.
const LANGXI_POINTS: Array<[number, number]> = [
  [119.18, 31.13],
  [119.1712, 31.1256],
  [119.2301, 31.0479],
  [119.0867, 31.2011],
];

describe('coordinates', () => {
  describe('wgs84ToGcj02', () => {
    // WGS-84 point                → GCJ-02 (published algorithm; first row is the coordtransform README example)
    // (116.404, 39.915) Beijing   → (116.41024449916938, 39.91640428150164)
    // (116.397428, 39.90923) 天安门 → (116.40367162595768, 39.91063350638631)
    // Langxi points               → values computed with an independent implementation
    // (2.3522, 48.8566) Paris     → unchanged (outside China)
    const cases: Array<{ name: string; wgs: [number, number]; gcj: [number, number] }> = [
      { name: 'Beijing README example', wgs: [116.404, 39.915], gcj: [116.41024449916938, 39.91640428150164] },
      { name: 'Tiananmen', wgs: [116.397428, 39.90923], gcj: [116.40367162595768, 39.91063350638631] },
      { name: 'Langxi centre', wgs: [119.18, 31.13], gcj: [119.18527128703292, 31.127975247465567] },
      { name: 'Langxi 建平镇', wgs: [119.1712, 31.1256], gcj: [119.17649016872107, 31.12358939578511] },
      { name: 'Langxi south-east', wgs: [119.2301, 31.0479], gcj: [119.23527970423541, 31.04575865936375] },
      { name: 'Langxi north-west', wgs: [119.0867, 31.2011], gcj: [119.09209408519764, 31.199213732906255] },
      { name: 'Paris (outside China)', wgs: [2.3522, 48.8566], gcj: [2.3522, 48.8566] },
    ];
    for (const { name, wgs, gcj } of cases) {
      it(`${name}: (${wgs.join(', ')}) → (${gcj.join(', ')})`, () => {
        const sut = wgs84ToGcj02(wgs[0], wgs[1]);
        expect(sut.lng).to.be.closeTo(gcj[0], 1e-6);
        expect(sut.lat).to.be.closeTo(gcj[1], 1e-6);
      });
    }

    // Inside China the GCJ-02 shift is a few hundred metres; a result outside 100–700 m means a
    // broken formula (or degrees/radians mixed up), not a real offset.
    for (const [lng, lat] of [...LANGXI_POINTS, [116.397428, 39.90923] as [number, number]]) {
      it(`shifts (${lng}, ${lat}) by 100–700 m`, () => {
        const shift = metresBetween({ lng, lat }, wgs84ToGcj02(lng, lat));
        expect(shift).to.be.within(100, 700);
      });
    }
  });

  describe('gcj02ToWgs84', () => {
    // point                        → expectation
    // any Langxi / Beijing point   → wgs → gcj → wgs returns the start within 1e-7°
    // README GCJ (116.404, 39.915) → close to the one-step answer (116.39775550083061, 39.91359571849836)
    // Paris                        → unchanged
    for (const [lng, lat] of [...LANGXI_POINTS, [116.397428, 39.90923] as [number, number]]) {
      it(`round-trips (${lng}, ${lat}) within 1e-7°`, () => {
        const gcj = wgs84ToGcj02(lng, lat);
        const sut = gcj02ToWgs84(gcj.lng, gcj.lat);
        expect(sut.lng).to.be.closeTo(lng, 1e-7);
        expect(sut.lat).to.be.closeTo(lat, 1e-7);
      });
    }

    it('refines the one-step approximation (differs by < 1e-5° but solves the forward exactly)', () => {
      const sut = gcj02ToWgs84(116.404, 39.915);
      expect(sut.lng).to.be.closeTo(116.39775550083061, 1e-5);
      expect(sut.lat).to.be.closeTo(39.91359571849836, 1e-5);
      const back = wgs84ToGcj02(sut.lng, sut.lat);
      expect(back.lng).to.be.closeTo(116.404, 1e-9);
      expect(back.lat).to.be.closeTo(39.915, 1e-9);
    });

    it('leaves a point outside China unchanged', () => {
      expect(gcj02ToWgs84(2.3522, 48.8566)).to.deep.equal({ lng: 2.3522, lat: 48.8566 });
    });
  });

  describe('bd09ToGcj02', () => {
    it('matches the coordtransform README example', () => {
      const sut = bd09ToGcj02(116.404, 39.915);
      expect(sut.lng).to.be.closeTo(116.39762729119315, 1e-6);
      expect(sut.lat).to.be.closeTo(39.90865673957631, 1e-6);
    });
  });

  describe('toWgs84', () => {
    // system   → conversion
    // WGS84    → as-is
    // CGCS2000 → as-is
    // GCJ02    → gcj02ToWgs84
    // BD09     → bd09ToGcj02 then gcj02ToWgs84
    const gcj = wgs84ToGcj02(119.18, 31.13);
    const bdGcj = bd09ToGcj02(119.19, 31.14);
    const cases: Array<{ system: CoordinateSystem; input: [number, number]; expected: { lng: number; lat: number } }> = [
      { system: 'WGS84', input: [119.18, 31.13], expected: { lng: 119.18, lat: 31.13 } },
      { system: 'CGCS2000', input: [119.18, 31.13], expected: { lng: 119.18, lat: 31.13 } },
      { system: 'GCJ02', input: [gcj.lng, gcj.lat], expected: { lng: 119.18, lat: 31.13 } },
      { system: 'BD09', input: [119.19, 31.14], expected: gcj02ToWgs84(bdGcj.lng, bdGcj.lat) },
    ];
    for (const { system, input, expected } of cases) {
      it(`${system} → WGS84`, () => {
        const sut = toWgs84(system, input[0], input[1]);
        expect(sut.lng).to.be.closeTo(expected.lng, 1e-7);
        expect(sut.lat).to.be.closeTo(expected.lat, 1e-7);
      });
    }
  });

  describe('parseCoordinateSystem', () => {
    // spelling (any case, spaces/hyphens ignored) → system; empty or unknown → null
    const cases: Array<[string, CoordinateSystem | null]> = [
      ['WGS84', 'WGS84'], ['WGS-84', 'WGS84'], ['wgs 84', 'WGS84'], ['wgs84', 'WGS84'],
      ['CGCS2000', 'CGCS2000'], ['cgcs-2000', 'CGCS2000'], ['2000', 'CGCS2000'], ['国家2000', 'CGCS2000'],
      ['GCJ02', 'GCJ02'], ['GCJ-02', 'GCJ02'], ['gcj_02', 'GCJ02'], ['火星坐标', 'GCJ02'], ['高德', 'GCJ02'], ['腾讯', 'GCJ02'],
      ['BD09', 'BD09'], ['BD-09', 'BD09'], ['bd09', 'BD09'], ['百度', 'BD09'],
      ['', null], ['   ', null], ['UTM', null],
    ];
    for (const [text, expected] of cases) {
      it(`'${text}' → ${expected}`, () => {
        expect(parseCoordinateSystem(text)).to.equal(expected);
      });
    }
  });

  describe('validateLngLat', () => {
    // input                  → reason
    // Langxi (119.18, 31.13) → null
    // bounds ±180 / ±90      → null
    // NaN / Infinity         → "… must be a finite number"
    // lat 95                 → "latitude 95 is outside -90..90"
    // swapped (31.13,119.18) → "… (longitude and latitude swapped?)"
    // lng 181                → "longitude 181 is outside -180..180"
    const cases: Array<[number, number, string | null]> = [
      [119.18, 31.13, null],
      [180, 90, null],
      [-180, -90, null],
      [Number.NaN, 31.13, 'longitude must be a finite number'],
      [119.18, Number.POSITIVE_INFINITY, 'latitude must be a finite number'],
      [119.18, 95, 'latitude 95 is outside -90..90'],
      [31.13, 119.18, 'latitude 119.18 is outside -90..90 (longitude and latitude swapped?)'],
      [181, 31.13, 'longitude 181 is outside -180..180'],
    ];
    for (const [lng, lat, expected] of cases) {
      it(`(${lng}, ${lat}) → ${expected ?? 'valid'}`, () => {
        expect(validateLngLat(lng, lat)).to.equal(expected);
      });
    }
  });
});
