import { expect } from 'chai';
import sinon from 'sinon';
import { loadConfig, type LivenessConfig } from '../../config/index.js';
import { silentLogger, type Logger } from '../../server/logger.js';
import { CredentialCipher } from '../../server/secrets/credential-cipher.js';
import type { Database } from '../../server/storage/db.js';
import type { ClaimedCamera, LivenessRepository, RoundWrite } from '../../server/storage/liveness.repository.js';
import type { StateEventBus } from '../../server/events/state-events.js';
import type { ProbeRegistry } from '../../workers/probes/index.js';
import type { ProbeTarget } from '../../workers/probes/types.js';
import { Scheduler, START_TICK_MS } from '../../workers/scheduler.js';

const KEY = Buffer.alloc(32, 3);

function camera(i: number, passwordEnc: string | null): ClaimedCamera {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, deviceId: `dev${i}`, name: `cam ${i}`, town: 't', network: 'n', pointClass: null,
    rtspUrl: `rtsp://127.9.${Math.floor(i / 250)}.${i % 250}:554/s`, onvifUrl: null, username: 'admin', passwordEnc,
    status: 'online', statusSince: null, statusCause: null, healthStreak: 0, healthDirection: null, maintenanceUntil: null, lastSampleAt: null,
    dueAt: new Date(0),
  };
}

/**
 * A scheduler on fakes: `due` cameras are handed out by claimDue (at most `limit` per claim, and never
 * past a camera in `cuts` within one claim), probes answer at once unless their host is in `held`
 * (those wait for `release()`), the clock is sinon's (the idle poll fires only when the test ticks it).
 */
function harness(due: ClaimedCamera[], over: Partial<LivenessConfig>, cuts: number[] = [], held = new Set<string>(), logger: Logger = silentLogger, random = () => 0) {
  const clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  const config = { ...loadConfig({ LOG_LEVEL: 'silent' }).liveness, ...over };
  const pending = [...due];
  let handed = 0;
  const claims: number[] = [];
  const windows: Array<{ at: number; lookaheadMs: number }> = [];
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const written: RoundWrite[] = [];
  const targets: ProbeTarget[] = [];
  const repo = {
    claimDue: async (_tx: unknown, _w: string, now: Date, limit: number, _lease: number, lookaheadMs: number) => {
      claims.push(limit);
      windows.push({ at: now.getTime(), lookaheadMs });
      const cut = cuts.find((c) => c > handed) ?? Infinity;
      const batch = pending.splice(0, Math.min(limit, cut - handed));
      handed += batch.length;
      return batch;
    },
    recordRounds: async (_w: string, rounds: RoundWrite[]) => (written.push(...rounds), new Map()),
    releaseClaims: async () => undefined,
  } as unknown as LivenessRepository;
  const db = { connect: async () => ({ query: async () => ({ rows: [] }), release: () => undefined }) } as unknown as Database;
  const ok = async (target: ProbeTarget) => {
    targets.push(target);
    if (held.has(new URL(target.url).hostname)) await released;
    return { ok: true, latencyMs: 1 };
  };
  const probes: ProbeRegistry = { rtsp: ok, onvif: ok, tcp: ok };
  const bus = { publish: async () => undefined, subscribe: () => () => undefined, close: async () => undefined } as StateEventBus;
  let rounds = 0;
  let onAll: (() => void) | undefined;
  const sut = new Scheduler({
    db, repo, probes, cipher: new CredentialCipher(KEY), bus, config, logger, random,
    onRound: () => ++rounds === due.length && onAll?.(),
  });
  const allDone = new Promise<void>((resolve) => (onAll = resolve));
  return { sut, clock, claims, windows, written, targets, allDone, release };
}

describe('Scheduler (on fakes)', () => {
  let h: ReturnType<typeof harness> | undefined;
  afterEach(async () => {
    h?.release();
    h?.clock.restore();
    await h?.sut.stop();
    h = undefined;
  });

  it('finished rounds do not cost a claim each while the last claim had room to spare', async () => {
    // 20 slow rounds in flight, then 100 fast ones claimed: their ends must not each trigger a claim.
    const cameras = Array.from({ length: 120 }, (_, i) => camera(i, null));
    const slow = new Set(cameras.slice(0, 20).map((c) => new URL(c.rtspUrl!).hostname));
    h = harness(cameras, { concurrency: 500, batchSize: 500, perHost: 2 }, [20], slow);
    h.sut.start();
    await h.clock.tickAsync(START_TICK_MS + 50); // the idle loop's next claim (once per tick) finds the 100 fast cameras
    expect(h.claims.length).to.equal(2);
    for (let i = 0; i < 10; i++) await Promise.resolve();
    await h.clock.tickAsync(0);
    expect(h.targets.length).to.equal(120);
    expect(h.claims.length).to.equal(2); // before the fix: one claim per finished fast round
    h.release();
    await h.allDone;
  });

  it('while concurrency holds claims back, finished rounds wake the claim loop (no poll needed)', async () => {
    h = harness(Array.from({ length: 30 }, (_, i) => camera(i, null)), { concurrency: 10, batchSize: 500, perHost: 2 });
    h.sut.start();
    await h.allDone; // 30 rounds through 10 slots without the fake clock moving
    expect(h.claims.length).to.be.at.least(3);
    expect(h.claims.every((limit) => limit <= 10)).to.equal(true);
  });

  it('a camera claimed again while its round still waits for its device is not checked twice', async () => {
    // Two channels of one device, one lane: a is held running, b waits. b's lease runs out in the queue and the
    // next claim hands it out again (the same worker re-claims it): b is checked once, after a.
    const a = camera(0, null);
    const b = { ...camera(1, null), rtspUrl: a.rtspUrl };
    h = harness([a, b, b], { concurrency: 500, batchSize: 500, perHost: 1, perHostMax: 1 }, [2], new Set([new URL(a.rtspUrl!).hostname]));
    h.sut.start();
    await h.clock.tickAsync(START_TICK_MS + 50); // the second claim re-claims b
    expect(h.claims.length).to.be.at.least(2);
    expect(h.targets.filter((t) => t.url.startsWith('rtsp://'))).to.have.length(1);
    h.release();
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await h.clock.tickAsync(START_TICK_MS);
    expect(h.targets.filter((t) => t.url.startsWith('rtsp://'))).to.have.length(2);
  });

  it('starts claimed rounds in bursts on the first aligned tick at or after their due time', async () => {
    // Clock at 1,000,000 ms (a tick boundary): 6 cameras due over the next 2.4 ticks, all in one claim.
    //   due (ticks)  0.04  0.48  1  1.004  1.6  2.4
    //   starts at    1     1     1  2      2    3
    const T = START_TICK_MS;
    const dueIn = [0.04, 0.48, 1, 1.004, 1.6, 2.4].map((f) => Math.round(f * T));
    const cameras = dueIn.map((ms, i) => ({ ...camera(i, null), dueAt: new Date(1_000_000 + ms) }));
    h = harness(cameras, { concurrency: 500, batchSize: 500, perHost: 2 });
    const started = () => h!.targets.map((t) => Number(new URL(t.url).hostname.split('.')[3]));
    h.sut.start();
    await h.clock.tickAsync(T - 1);
    expect(started()).to.deep.equal([]); // nothing starts before its due time
    await h.clock.tickAsync(1); // tick 1: the first three start together
    expect(started()).to.deep.equal([0, 1, 2]);
    await h.clock.tickAsync(T - 1);
    expect(started()).to.deep.equal([0, 1, 2]);
    await h.clock.tickAsync(1); // tick 2
    expect(started()).to.deep.equal([0, 1, 2, 3, 4]);
    await h.clock.tickAsync(T); // tick 3
    expect(started()).to.deep.equal([0, 1, 2, 3, 4, 5]);
    await h.allDone;
  });

  it('an idle loop claims once per start tick, shortly before it (spread at random), what falls due by that tick', async () => {
    // Clock at 1,000,000 ms, a tick boundary; nothing is due. Each wait draws the next claim's lead,
    // 150 + 50 × random ms. Claims (ms after start → claim window):
    //   draw   lead   claim at     window
    //   —      —      0            0 (the tick is now)
    //   0      150    T − 150      150
    //   0.98   199    2T − 199     199   (a longer lead than the last: still one claim per tick)
    //   0.5    175    3T − 175     175   (a shorter one after a longer one: no tick claimed twice)
    const draws = [0, 0.98, 0.5];
    h = harness([], { concurrency: 500, batchSize: 500, perHost: 2 }, [], new Set(), silentLogger, () => draws.shift() ?? 0);
    h.sut.start();
    await h.clock.tickAsync(3 * START_TICK_MS);
    const seen = h.windows.map((w) => ({ at: w.at - 1_000_000, lookaheadMs: w.lookaheadMs }));
    expect(seen).to.deep.equal([
      { at: 0, lookaheadMs: 0 },
      { at: START_TICK_MS - 150, lookaheadMs: 150 },
      { at: 2 * START_TICK_MS - 199, lookaheadMs: 199 },
      { at: 3 * START_TICK_MS - 175, lookaheadMs: 175 },
    ]);
  });

  it('warns when rounds start more than 5 s late for want of a slot, once the sweep after the start is over', async () => {
    // Clock at 1,000,000 ms; interval 60 s, so lateness counts for rounds due from 1,060,000 on. One slot.
    //   camera  due         host     round
    //   0       1,059,000   hangs    starts on time; its lag is not counted (the sweep after the start)
    //   1       1,060,000   hangs    waits for camera 0's slot until 1,070,000: 10 s late → warning
    //   2       1,060,000   answers  waits for camera 1's slot: late, counted for the next report
    const dueAt = [1_059_000, 1_060_000, 1_060_000];
    const cameras = dueAt.map((ms, i) => ({ ...camera(i, null), dueAt: new Date(ms) }));
    const hanging = new Set([0, 1].map((i) => new URL(cameras[i].rtspUrl!).hostname));
    const warn = sinon.spy();
    h = harness(cameras, { concurrency: 1, batchSize: 500, perHost: 2 }, [], hanging, { ...silentLogger, warn });
    h.sut.start();
    await h.clock.tickAsync(70_000);
    h.release();
    await h.allDone;
    const late = warn.getCalls().filter((c) => c.args[0] === 'check rounds are starting late');
    expect(late).to.have.length(1);
    expect(late[0].args[1]).to.deep.include({ lateRounds: 1, worstLagMs: 10_000, since: new Date(1_070_000).toISOString(), concurrency: 1, waitingForTheirHost: 0 });
    expect(late[0].args[1].hint).to.match(/WORKER_CONCURRENCY/);
  });

  it('decrypts a camera password once and opens a changed one anew', async () => {
    const cipher = new CredentialCipher(KEY);
    const first = camera(1, cipher.encrypt('old'));
    const again = { ...first };
    const changed = { ...first, passwordEnc: cipher.encrypt('new') };
    h = harness([first, again, changed], { concurrency: 1, batchSize: 1, perHost: 1 });
    const decrypt = sinon.spy(CredentialCipher.prototype, 'decrypt');
    try {
      h.sut.start();
      await h.allDone;
    } finally {
      decrypt.restore();
    }
    expect(h.targets.map((t) => t.password)).to.deep.equal(['old', 'old', 'new']);
    expect(decrypt.callCount).to.equal(2);
  });
});
