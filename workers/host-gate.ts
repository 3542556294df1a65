/**
 * Per-host fairness: at most `perHost` rounds run against one host at a time (an NVR with 64
 * channels is not opened 64 times at once); the rest wait in that host's queue, in order.
 * A host marked silent (its last round got no answer at all) is not held to that limit while it
 * stays silent: the limit spares a working device, but a dark NVR's channels each wait out the
 * probe timeout, and two at a time its 64 channels fell further behind every minute (bench:probe
 * --nvr 64 --outage-pct: lag +45 s a minute, never declared within five). Waiting on a device that
 * answers nothing costs it nothing.
 * Items and one `work` function rather than a closure per task: V8 drops the optimised code of
 * per-call closures at every full GC, and this runs once per round.
 */
export class HostGate<T> {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, T[]>();
  private readonly silent = new Set<string>();

  constructor(
    private readonly perHost: number,
    private readonly work: (item: T, host: string) => Promise<void>,
  ) {}

  run(host: string, item: T): void {
    const running = this.active.get(host) ?? 0;
    if (running < this.perHost || this.silent.has(host)) {
      this.active.set(host, running + 1);
      void this.execute(host, item);
      return;
    }
    const queue = this.waiting.get(host);
    if (queue) queue.push(item);
    else this.waiting.set(host, [item]);
  }

  /**
   * Marks a host silent (a round got no answer from it at all) or answering again. Marking it silent
   * starts everything queued for it at once; the mark lasts while rounds on the host run or wait.
   */
  markSilent(host: string, silent: boolean): void {
    if (!silent) {
      this.silent.delete(host);
      return;
    }
    if (!this.active.has(host) && !this.waiting.has(host)) return;
    this.silent.add(host);
    const queue = this.waiting.get(host);
    if (!queue) return;
    this.waiting.delete(host);
    this.active.set(host, (this.active.get(host) ?? 0) + queue.length);
    for (const item of queue) void this.execute(host, item);
  }

  /** Forgets queued items (on shutdown; their claims are handed back). */
  dropWaiting(): void {
    this.waiting.clear();
  }

  get waitingCount(): number {
    let n = 0;
    for (const queue of this.waiting.values()) n += queue.length;
    return n;
  }

  private async execute(host: string, item: T): Promise<void> {
    let next: T | undefined = item;
    while (next !== undefined) {
      await this.work(next, host).catch(ignore);
      // Once a silent host answers again, lanes beyond the limit end rather than take the next item.
      if ((this.active.get(host) ?? 0) > this.perHost && !this.silent.has(host)) break;
      const queue = this.waiting.get(host);
      next = queue?.shift();
      if (queue && queue.length === 0) this.waiting.delete(host);
    }
    const running = (this.active.get(host) ?? 1) - 1;
    if (running === 0) {
      this.active.delete(host);
      this.silent.delete(host);
    } else this.active.set(host, running);
  }
}

function ignore(): void {}
