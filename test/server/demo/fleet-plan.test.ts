import { expect } from 'chai';
import { castFromPlan, loadDemoRegions } from '../../../server/demo/cast.js';
import { DEMO_TOWN_WEIGHTS, planDemoFleet } from '../../../server/demo/fleet-plan.js';
import { pointInRing } from '../../../server/domain/geometry.js';
import { validateDeviceIdFormat } from '../../../server/domain/gb28181.js';

describe('demo fleet plan', () => {
  const regions = loadDemoRegions();
  const sut = planDemoFleet({ count: 2000, nvrChannels: 32, seed: 1, countyCode: '341821', regions, weights: DEMO_TOWN_WEIGHTS });

  it('spreads 2,000 cameras over the eight towns, the county seat biggest', () => {
    expect(sut.points).to.have.length(2000);
    const sizes = Object.fromEntries([...sut.byTown].map(([town, list]) => [town, list.length]));
    expect(Object.values(sizes).reduce((s, n) => s + n, 0)).to.equal(2000);
    expect(sizes.jianping).to.equal(Math.max(...Object.values(sizes)));
    for (const n of Object.values(sizes)) expect(n).to.be.greaterThan(100);
  });

  it('puts the NVR channels first, in the county seat', () => {
    expect(sut.nvr.indexes).to.deep.equal(Array.from({ length: 32 }, (_, i) => i));
    expect(sut.nvr.town).to.equal('jianping');
    for (const i of sut.nvr.indexes) expect(sut.points[i].name).to.match(/^建平镇县人民医院 .+ \d{2}通道$/);
  });

  it('places every camera inside its own town region', () => {
    const ring = new Map(regions.map((r) => [r.code, r.ring]));
    for (const p of sut.points) expect(pointInRing([p.lng, p.lat], ring.get(p.town)!), p.name).to.equal(true);
  });

  it('gives unique, well-formed device IDs and names, and uses every network', () => {
    expect(new Set(sut.points.map((p) => p.deviceId)).size).to.equal(2000);
    expect(new Set(sut.points.map((p) => p.name)).size).to.equal(2000);
    for (const p of sut.points) {
      expect(validateDeviceIdFormat(p.deviceId)).to.equal(null);
      expect(p.deviceId.startsWith('341821')).to.equal(true);
    }
    expect(new Set(sut.points.map((p) => p.network))).to.deep.equal(new Set(['sky', 'ground', 'vehicle', 'station']));
    expect(sut.points.some((p) => /^建平镇.+路与.+路交叉口 \d+号杆$/.test(p.name))).to.equal(true);
  });

  it('is the same plan for the same seed', () => {
    expect(planDemoFleet({ count: 2000, nvrChannels: 32, seed: 1, countyCode: '341821', regions, weights: DEMO_TOWN_WEIGHTS })).to.deep.equal(sut);
  });

  it('casts the script without overlaps: power cut, NVR, flapper and single-fault pool are disjoint', () => {
    const cast = castFromPlan(sut, regions);
    expect(cast.powerCut.townName).to.equal('梅渚镇');
    expect(cast.powerCut.cameras).to.deep.equal(sut.byTown.get('meizhu'));
    const groups = [cast.powerCut.cameras, cast.nvr.cameras, [cast.flapper.camera], cast.pool];
    const all = groups.flat();
    expect(new Set(all).size).to.equal(all.length);
    expect(all.length).to.equal(2000);
  });
});
