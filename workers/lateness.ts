/**
 * Notices check rounds that start late and says so at most once per period. When many cameras stop
 * answering at once — a town's power cut — each one holds a concurrency slot for PROBE_TIMEOUT_MS on
 * every round and recheck, and the rest of the fleet waits for slots: its states go stale and the dark
 * cameras are declared later. bench:probe --outage-pct 20 (2,000 of 10,000 cameras hanging, default
 * 500 slots) measured rounds starting up to 7 s late. The worker's log should say so, and why.
 */
export interface LateRounds {
  /** Rounds that started more than the threshold after they were due, since the last report. */
  lateRounds: number;
  worstLagMs: number;
  /** Since when (ms since epoch) the rounds of this report were counted. */
  sinceMs: number;
}

export class Lateness {
  private late = 0;
  private worst = 0;
  private since = 0;
  private lastReport = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly thresholdMs = 5000,
    private readonly periodMs = 60_000,
  ) {}

  /**
   * Records the schedule lag of a round starting at `now`. Returns a report when late rounds were counted
   * and no report was made within the period — the first late round is reported at once, later ones
   * once per period, and the last tally with the first round after the period, late or not — else null.
   */
  record(lagMs: number, now: number): LateRounds | null {
    if (lagMs > this.thresholdMs) {
      if (this.late === 0) this.since = now;
      this.late++;
      if (lagMs > this.worst) this.worst = lagMs;
    }
    if (this.late === 0 || now - this.lastReport < this.periodMs) return null;
    const report = { lateRounds: this.late, worstLagMs: this.worst, sinceMs: this.since };
    this.late = 0;
    this.worst = 0;
    this.lastReport = now;
    return report;
  }
}
