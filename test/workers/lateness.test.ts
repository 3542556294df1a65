import { expect } from 'chai';
import { Lateness, type LateRounds } from '../../workers/lateness.js';

describe('Lateness', () => {
  // Threshold 5 s, period 60 s. Rounds as (start s, lag ms) → report or null:
  //   start  lag     report
  //   0      900     null                       on time
  //   10     6000    {1 late, worst 6000, 10}   first late round: at once
  //   20     7000    null                       within the period: counted
  //   30     5200    null
  //   40     800     null                       on time
  //   69     800     null                       on time, 59 s after the report
  //   71     5001    {3 late, worst 7000, 20}   late rounds of 20, 30 and 71 — the first round after the period
  //   140    100     null                       nothing counted since the report at 71
  //   150    9000    {1 late, worst 9000, 150}  late again after a quiet period: at once
  //   160    6000    null
  //   215    100     {1 late, worst 6000, 160}  the last tally, with an on-time round after the period
  const rows: Array<[number, number, LateRounds | null]> = [
    [0, 900, null],
    [10, 6000, { lateRounds: 1, worstLagMs: 6000, sinceMs: 10_000 }],
    [20, 7000, null],
    [30, 5200, null],
    [40, 800, null],
    [69, 800, null],
    [71, 5001, { lateRounds: 3, worstLagMs: 7000, sinceMs: 20_000 }],
    [140, 100, null],
    [150, 9000, { lateRounds: 1, worstLagMs: 9000, sinceMs: 150_000 }],
    [160, 6000, null],
    [215, 100, { lateRounds: 1, worstLagMs: 6000, sinceMs: 160_000 }],
  ];

  it('reports the first late round at once, then at most once a minute, and the last tally', () => {
    const sut = new Lateness(5000, 60_000);
    for (const [startS, lagMs, expected] of rows) {
      expect(sut.record(lagMs, startS * 1000), `round at ${startS} s, lag ${lagMs} ms`).to.deep.equal(expected);
    }
  });

  it('a lag of exactly the threshold is on time', () => {
    expect(new Lateness(5000, 60_000).record(5000, 0)).to.equal(null);
  });
});
