import { expect } from 'chai';
import { buildScript, legend, SINGLE_FAULTS, TIMELINE, type ScriptCast, type ScriptEvent } from '../../../server/demo/script.js';

// Fleet indexes as the demo lays them out: NVR channels first, then the towns.
const nvr = Array.from({ length: 32 }, (_, i) => i);
const meizhu = Array.from({ length: 220 }, (_, i) => 500 + i);
const flapper = 40;
const pool = Array.from({ length: 2000 }, (_, i) => i).filter((i) => i >= 32 && i !== flapper && (i < 500 || i >= 720));
const cast: ScriptCast = {
  powerCut: { townName: '梅渚镇', cameras: meizhu },
  nvr: { site: '建平镇县人民医院', cameras: nvr },
  flapper: { name: '建平镇人民路与梅溪路交叉口 1号杆', camera: flapper },
  pool,
  nameOf: (i) => `camera ${i}`,
};

const scene = (events: ScriptEvent[], name: ScriptEvent['scene']) => events.filter((e) => e.scene === name);
const at = (events: ScriptEvent[]) => events.map((e) => [e.atMs / 1000, e.on] as const);

describe('demo script: buildScript', () => {
  const sut = buildScript(cast, 1);

  it('cuts the power of the whole town at T+60 s and restores it at T+150 s', () => {
    const power = scene(sut, 'power');
    expect(at(power)).to.deep.equal([[60, true], [150, false]]);
    for (const e of power) {
      expect(e.fault).to.equal('down');
      expect(e.cameras).to.deep.equal(meizhu);
    }
    expect(power[0].label).to.contain('梅渚镇').and.contain('220');
  });

  it('takes the NVR down with every channel at T+100 s and brings it back at T+200 s', () => {
    const nvrEvents = scene(sut, 'nvr');
    expect(at(nvrEvents)).to.deep.equal([[100, true], [200, false]]);
    for (const e of nvrEvents) expect(e.cameras).to.deep.equal(nvr);
  });

  it('kills and revives the flapping camera every 20 s, ending the cycle revived', () => {
    const flap = scene(sut, 'flap');
    expect(at(flap)).to.deep.equal([20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220, 240].map((s, k) => [s, k % 2 === 0] as const));
    for (const e of flap) expect(e.cameras).to.deep.equal([flapper]);
  });

  it('starts single faults from T+5 s, each cleared 25–90 s later and before the cycle ends', () => {
    const singles = scene(sut, 'single');
    const starts = singles.filter((e) => e.on);
    expect(starts.length).to.be.within(20, 45);
    expect(starts[0].atMs).to.equal(TIMELINE.singlesFromMs);
    for (const start of starts) {
      const clear = singles.find((e) => !e.on && e.cameras[0] === start.cameras[0])!;
      expect(clear.fault).to.equal(start.fault);
      expect(clear.atMs - start.atMs).to.be.within(1, TIMELINE.singleDurationMs[1]);
      expect(clear.atMs).to.be.at.most(TIMELINE.cycleMs - TIMELINE.quietEndMs);
    }
  });

  it('uses every fault kind, each single fault on its own camera from the pool', () => {
    const starts = scene(sut, 'single').filter((e) => e.on);
    expect(new Set(starts.map((e) => e.fault))).to.deep.equal(new Set(SINGLE_FAULTS));
    const cameras = starts.map((e) => e.cameras[0]);
    expect(new Set(cameras).size).to.equal(cameras.length);
    const allowed = new Set(pool);
    for (const c of cameras) expect(allowed.has(c), `camera ${c}`).to.equal(true);
  });

  it('is sorted by time, a clear before a start at the same moment', () => {
    for (let k = 1; k < sut.length; k++) {
      const [a, b] = [sut[k - 1], sut[k]];
      expect(a.atMs < b.atMs || (a.atMs === b.atMs && (!a.on || b.on)), `event ${k}`).to.equal(true);
    }
  });

  it('is the same for the same seed and cycle; single faults change from cycle to cycle', () => {
    expect(buildScript(cast, 1)).to.deep.equal(sut);
    const next = buildScript(cast, 1, 1);
    expect(scene(next, 'single')).to.not.deep.equal(scene(sut, 'single'));
    expect(scene(next, 'power')).to.deep.equal(scene(sut, 'power'));
  });

  it('leaves every camera as it found it by the end of the cycle', () => {
    const balance = new Map<string, number>();
    for (const e of sut) for (const c of e.cameras) balance.set(`${c}/${e.fault}`, (balance.get(`${c}/${e.fault}`) ?? 0) + (e.on ? 1 : -1));
    expect([...balance.values()].every((n) => n === 0)).to.equal(true);
  });
});

describe('demo script: legend', () => {
  it('names every scene with its times on one line', () => {
    const sut = legend(cast, 7);
    expect(sut).to.not.contain('\n');
    expect(sut).to.match(/seed 7/).and.match(/T\+60s power cut in 梅渚镇 \(220 cameras\) → T\+150s restored/);
    expect(sut).to.match(/T\+100s NVR 建平镇县人民医院 \(32 ch\) down → T\+200s back/).and.contain('flaps every 20 s');
  });
});
