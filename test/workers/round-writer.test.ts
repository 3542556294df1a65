import { expect } from 'chai';
import sinon from 'sinon';
import { silentLogger } from '../../server/logger.js';
import type { StateChangeEvent, StateEventBus } from '../../server/events/state-events.js';
import type { RoundWrite } from '../../server/storage/liveness.repository.js';
import { RoundWriter } from '../../workers/round-writer.js';

const LOOK_MS = 250;

/** A healthy round of camera `i`, due again in `nextInMs` (a minute: the default interval). */
function write(i: number, nextInMs = 60_000): RoundWrite {
  return {
    cameraId: `cam-${i}`, at: new Date(0), status: 'online', statusSince: null, cause: null, healthStreak: 0, healthDirection: null,
    verdict: 'online', latencyMs: 1, evidence: {}, nextCheckAt: new Date(Date.now() + nextInMs), cameraChanged: false,
  };
}

function change(i: number): Omit<StateChangeEvent, 'seq'> {
  return { cameraId: `cam-${i}`, deviceId: `dev${i}`, name: `cam ${i}`, town: 't', network: 'n', from: 'online', to: 'offline', at: new Date(0).toISOString(), cause: 'rtsp: timeout' };
}

/** A writer on a fake repository (records each statement's batch; seqs are 100 + camera number) and sinon's clock. */
function harness() {
  const clock = sinon.useFakeTimers({ now: 5_000_000, toFake: ['setInterval', 'clearInterval', 'Date'] });
  const batches: string[][] = [];
  const published: StateChangeEvent[][] = [];
  let failNext = false;
  const state = { running: 0 };
  const counters = { written: 0, samples: 0, changes: 0, writeErrors: 0, writeBacks: 0 };
  const repo = {
    recordRounds: async (_w: string, rounds: RoundWrite[]) => {
      if (failNext) {
        failNext = false;
        throw new Error('connection lost');
      }
      batches.push(rounds.map((r) => r.cameraId));
      return new Map(rounds.map((r) => [r.cameraId, 100 + Number(r.cameraId.slice(4))]));
    },
  };
  const bus = { publish: async (events: StateChangeEvent[]) => void published.push(events), subscribe: () => () => undefined, close: async () => undefined } as StateEventBus;
  const sut = new RoundWriter({ repo, bus, logger: silentLogger, workerId: 'w1', now: Date.now, running: () => state.running, counters });
  return { sut, clock, batches, published, state, counters, failOnce: () => (failNext = true) };
}

describe('RoundWriter', () => {
  let h: ReturnType<typeof harness> | undefined;
  afterEach(async () => {
    await h?.sut.stop();
    h?.clock.restore();
    h = undefined;
  });

  // When a look writes the buffer (any row true → written; else it waits):
  //   rounds still running | a state change or a recheck due < 15 s buffered | oldest waited ≥ 1 s | written at this look
  //   no                   | no                                             | no                  | yes (the burst is over)
  //   yes                  | no                                             | no                  | no
  //   yes                  | yes                                            | no                  | yes
  //   yes                  | no                                             | yes                 | yes
  // and 500 buffered rounds are written at once, between looks.
  it('writes a start tick\'s burst in one statement once its last round has finished', async () => {
    h = harness();
    h.sut.start();
    h.state.running = 3;
    h.sut.add(write(1), undefined);
    h.sut.add(write(2), undefined);
    await h.clock.tickAsync(LOOK_MS);
    expect(h.batches).to.deep.equal([]); // one round of the burst still runs
    h.sut.add(write(3), undefined);
    h.state.running = 0;
    await h.clock.tickAsync(LOOK_MS);
    expect(h.batches).to.deep.equal([['cam-1', 'cam-2', 'cam-3']]);
    expect(h.counters).to.include({ writeBacks: 1, written: 3 });
    await h.clock.tickAsync(4 * LOOK_MS);
    expect(h.counters.writeBacks).to.equal(1); // an empty buffer costs no statement
  });

  it('a state change goes out at the next look, with its outage-log seq, while other rounds still run', async () => {
    h = harness();
    h.sut.start();
    h.state.running = 10;
    h.sut.add(write(1), undefined);
    h.sut.add(write(7), change(7));
    await h.clock.tickAsync(LOOK_MS);
    expect(h.batches).to.deep.equal([['cam-1', 'cam-7']]);
    expect(h.published.map((events) => events.map((e) => [e.cameraId, e.seq]))).to.deep.equal([[['cam-7', 107]]]);
    h.sut.add(write(2), undefined);
    await h.clock.tickAsync(LOOK_MS);
    expect(h.batches.length).to.equal(1); // the change was written; the next round waits for the burst again
  });

  it('a failure\'s fast recheck is written at the next look, while other rounds still run', async () => {
    h = harness();
    h.sut.start();
    h.state.running = 10;
    h.sut.add(write(1), undefined);
    h.sut.add(write(2, 10_000), undefined); // the default policy rechecks a failure in 10 s
    await h.clock.tickAsync(LOOK_MS);
    expect(h.batches).to.deep.equal([['cam-1', 'cam-2']]);
  });

  it('a slow camera does not hold the others back: a round waits at most a second and a look', async () => {
    h = harness();
    h.sut.start();
    h.state.running = 1; // e.g. a camera that hangs until its timeout
    h.sut.add(write(1), undefined);
    await h.clock.tickAsync(1000 - 1);
    expect(h.batches).to.deep.equal([]);
    await h.clock.tickAsync(LOOK_MS);
    expect(h.batches).to.deep.equal([['cam-1']]);
  });

  it('500 buffered rounds are written at once, between looks', async () => {
    h = harness();
    h.state.running = 1000;
    for (let i = 0; i < 500; i++) h.sut.add(write(i), undefined);
    await h.clock.tickAsync(0);
    expect(h.batches.map((b) => b.length)).to.deep.equal([500]);
  });

  it('a failed write is counted and logged, announces nothing, and the next batch still goes', async () => {
    h = harness();
    h.sut.start();
    h.failOnce();
    h.sut.add(write(1), change(1));
    await h.clock.tickAsync(LOOK_MS);
    expect(h.counters).to.include({ writeErrors: 1, written: 0, changes: 0 });
    expect(h.published).to.deep.equal([]);
    h.sut.add(write(2), change(2));
    await h.clock.tickAsync(LOOK_MS);
    expect(h.batches).to.deep.equal([['cam-2']]);
    expect(h.counters).to.include({ writeErrors: 1, written: 1, changes: 1, writeBacks: 2 });
  });

  it('stop() writes what is buffered, even while rounds run', async () => {
    h = harness();
    h.sut.start();
    h.state.running = 5;
    h.sut.add(write(1), undefined);
    await h.sut.stop();
    expect(h.batches).to.deep.equal([['cam-1']]);
  });
});
