import { expect } from 'chai';
import sinon from 'sinon';
import { Coalescer } from '../../../server/realtime/coalescer.js';

describe('Coalescer (leading-edge batches of the console channel)', () => {
  const sandbox = sinon.createSandbox();
  let clock: sinon.SinonFakeTimers;
  let batches: Array<{ at: number; items: number[] }>;
  let release: Array<() => void>;
  let sut: Coalescer<number>;

  const make = (slowFlush = false) =>
    new Coalescer<number>(
      (items) => {
        batches.push({ at: clock.now, items });
        return slowFlush ? new Promise<void>((resolve) => release.push(resolve)) : Promise.resolve();
      },
      { windowMs: 250, leadMs: 10, now: () => clock.now },
      () => undefined,
    );

  beforeEach(() => {
    clock = sandbox.useFakeTimers({ now: 1_000_000 });
    batches = [];
    release = [];
    sut = make();
  });
  afterEach(() => {
    sut.close();
    sandbox.restore();
  });

  const at = () => batches.map((b) => ({ at: b.at - 1_000_000, items: b.items }));

  it('sends the first change of a quiet period after the lead, not a whole window', async () => {
    sut.push([1, 2, 3]);
    await clock.tickAsync(10);
    expect(at()).to.deep.equal([{ at: 10, items: [1, 2, 3] }]);
  });

  it('gathers what arrives during the lead into the same batch', async () => {
    sut.push([1]);
    await clock.tickAsync(5);
    sut.push([2]);
    await clock.tickAsync(5);
    expect(at()).to.deep.equal([{ at: 10, items: [1, 2] }]);
  });

  it('coalesces a steady stream into one batch per window: 2,000 changes in a second stay a handful', async () => {
    for (let n = 0; n < 2000; n += 10) {
      sut.push(Array.from({ length: 10 }, (_, i) => n + i)); // 10 changes every 5 ms
      await clock.tickAsync(5);
    }
    await clock.tickAsync(500);
    expect(batches.flatMap((b) => b.items)).to.deep.equal(Array.from({ length: 2000 }, (_, i) => i));
    expect(batches.length).to.be.at.most(6);
    const starts = at().map((b) => b.at);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).to.be.at.least(250);
  });

  it('after a quiet window, leads again', async () => {
    sut.push([1]);
    await clock.tickAsync(400);
    sut.push([2]);
    await clock.tickAsync(10);
    expect(at()).to.deep.equal([{ at: 10, items: [1] }, { at: 410, items: [2] }]);
  });

  it('never overlaps batches: changes during a slow flush wait for it, then go together', async () => {
    sut.close();
    sut = make(true);
    sut.push([1]);
    await clock.tickAsync(10);
    sut.push([2]);
    sut.push([3]);
    await clock.tickAsync(600);
    expect(at()).to.deep.equal([{ at: 10, items: [1] }]);
    release.shift()!();
    await clock.tickAsync(10);
    expect(at()).to.deep.equal([{ at: 10, items: [1] }, { at: 620, items: [2, 3] }]);
  });

  it('drops what is pending on close', async () => {
    sut.push([1]);
    sut.close();
    await clock.tickAsync(1000);
    expect(batches).to.deep.equal([]);
  });
});
