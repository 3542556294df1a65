import { expect } from 'chai';
import { DEFAULT_POLICY, nextSlot, observe, phaseOf, transition, type CheckRound, type HealthState, type Observation } from '../../../server/domain/liveness.js';

const ok = { ok: true, latencyMs: 5 };
const fail = (failureKind: string, detail?: string) => ({ ok: false, latencyMs: 5, failureKind, detail });

describe('liveness: observe (one round → verdict)', () => {
  // rtsp | onvif | tcp → verdict, cause pattern
  const table: Array<[string, CheckRound, Observation['verdict'], RegExp | null]> = [
    ['both ok', { rtsp: ok, onvif: ok }, 'online', null],
    ['rtsp only ok', { rtsp: ok }, 'online', null],
    ['onvif only ok', { onvif: ok }, 'online', null],
    ['clock skew beyond threshold', { rtsp: ok, onvif: { ...ok, clockOffsetMs: -300_000 } }, 'degraded', /^onvif: clock offset -300 s$/],
    ['clock skew within threshold', { onvif: { ...ok, clockOffsetMs: 119_000 } }, 'online', null],
    ['onvif answers, stream missing', { rtsp: fail('not_found', 'RTSP/1.0 404'), onvif: ok }, 'degraded', /^rtsp: not_found \(RTSP\/1.0 404\)$/],
    ['rtsp ok, onvif times out', { rtsp: ok, onvif: fail('timeout') }, 'degraded', /^onvif: timeout$/],
    ['rtsp auth rejected only', { rtsp: fail('auth') }, 'degraded', /^rtsp: auth$/],
    ['no video stream', { rtsp: fail('no_video') }, 'degraded', /no_video/],
    ['both silent, host answers tcp', { rtsp: fail('timeout'), onvif: fail('timeout'), tcp: ok }, 'offline', /^service down: rtsp: timeout; onvif: timeout$/],
    ['both refused: host up, services down', { rtsp: fail('refused'), onvif: fail('refused') }, 'offline', /^service down: rtsp: refused; onvif: refused$/],
    ['both silent, host silent', { rtsp: fail('timeout'), onvif: fail('timeout'), tcp: fail('timeout') }, 'offline', /^host down: /],
    ['rtsp only, silent, no tcp', { rtsp: fail('unreachable') }, 'offline', /^host down: rtsp: unreachable$/],
    ['garbage is no answer', { rtsp: fail('protocol'), tcp: ok }, 'offline', /^service down/],
  ];
  for (const [name, round, verdict, cause] of table) {
    it(name, () => {
      const sut = observe(round, DEFAULT_POLICY);
      expect(sut.verdict).to.equal(verdict);
      if (cause) expect(sut.cause).to.match(cause);
      else expect(sut.cause).to.equal(null);
    });
  }
});

describe('liveness: transition (anti-flapping)', () => {
  const policy = { ...DEFAULT_POLICY, confirmRechecks: 3, recoverChecks: 2 };
  const up: Observation = { verdict: 'online', cause: null };
  const down: Observation = { verdict: 'offline', cause: 'host down: rtsp: timeout' };
  const degraded: Observation = { verdict: 'degraded', cause: 'rtsp: not_found' };
  const start = (status: HealthState['status']): HealthState => ({ status, streak: 0, direction: null });

  /** Runs observations from a start state; returns the statuses after each and the changes. */
  function run(from: HealthState['status'], observations: Observation[], maintenance = false) {
    let state = start(from);
    const statuses: string[] = [];
    const changes: string[] = [];
    const waits: number[] = [];
    for (const obs of observations) {
      const t = transition(state, obs, maintenance, policy);
      state = t.state;
      statuses.push(state.status);
      waits.push(t.nextCheckInMs);
      if (t.change) changes.push(`${t.change.from}→${t.change.to}`);
    }
    return { statuses, changes, waits };
  }

  // start | observations → statuses after each, changes
  const table: Array<[string, HealthState['status'], Observation[], string[], string[]]> = [
    ['unknown → online at first success', 'unknown', [up], ['online'], ['unknown→online']],
    ['unknown needs 1+3 failures for offline', 'unknown', [down, down, down, down], ['unknown', 'unknown', 'unknown', 'offline'], ['unknown→offline']],
    ['online survives 3 failures', 'online', [down, down, down, up], ['online', 'online', 'online', 'online'], []],
    ['online → offline after 1+3 failures', 'online', [down, down, down, down], ['online', 'online', 'online', 'offline'], ['online→offline']],
    ['mixed bad observations count together, latest wins', 'online', [degraded, down, degraded, down], ['online', 'online', 'online', 'offline'], ['online→offline']],
    ['online → degraded after 1+3', 'online', [degraded, degraded, degraded, degraded], ['online', 'online', 'online', 'degraded'], ['online→degraded']],
    ['offline needs 2 successes to recover', 'offline', [up, up], ['offline', 'online'], ['offline→online']],
    ['flap during recovery restarts the count', 'offline', [up, down, up, up], ['offline', 'offline', 'offline', 'online'], ['offline→online']],
    ['offline → degraded is a better move (2 needed)', 'offline', [degraded, degraded], ['offline', 'degraded'], ['offline→degraded']],
    ['degraded → offline is a worse move (4 needed)', 'degraded', [down, down, down, down], ['degraded', 'degraded', 'degraded', 'offline'], ['degraded→offline']],
  ];
  for (const [name, from, observations, statuses, changes] of table) {
    it(name, () => {
      const sut = run(from, observations);
      expect(sut.statuses).to.deep.equal(statuses);
      expect(sut.changes).to.deep.equal(changes);
    });
  }

  it('rechecks fast while a change is pending, regular interval otherwise', () => {
    expect(run('online', [down, down, down, down, up]).waits).to.deep.equal([10_000, 10_000, 10_000, 60_000, 10_000]);
  });

  it('maintenance overrides observations and is left like unknown', () => {
    expect(run('offline', [down, up], true).changes).to.deep.equal(['offline→maintenance']);
    expect(run('maintenance', [up]).changes).to.deep.equal(['maintenance→online']);
    expect(run('maintenance', [down, down, down, down]).changes).to.deep.equal(['maintenance→offline']);
  });
});

describe('liveness: schedule slots', () => {
  // now, interval, phase → next slot
  // now, interval, phase → next slot (never sooner than half an interval)
  const table: Array<[number, number, number, number]> = [
    [0, 60_000, 0, 60_000],
    [1_000, 60_000, 0.55, 33_000],
    [1_000, 60_000, 0.5, 90_000],
    [30_000, 60_000, 0.5, 90_000],
    [59_999, 60_000, 0.5, 90_000],
    [125_000, 60_000, 0.25, 195_000],
    [100_000, 60_000, 0.25, 135_000],
  ];
  for (const [now, interval, phase, expected] of table) {
    it(`now=${now} phase=${phase} → ${expected}`, () => {
      const sut = nextSlot(now, interval, phase);
      expect(sut).to.equal(expected);
      expect(sut).to.be.at.least(now + interval / 2).and.below(now + 1.5 * interval);
    });
  }

  it('spreads ids evenly over the interval', () => {
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(phaseOf(`cam-${i}-${i * 7919}`) * 10)]++;
    for (const b of buckets) expect(b).to.be.within(850, 1150);
  });
});
