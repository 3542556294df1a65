/**
 * Per-host fairness: at most `perHost` rounds run against one host at a time (an NVR with 64
 * channels is not opened 64 times at once); the rest wait in that host's queue, in order.
 * Two exceptions, each because holding the line would make the device's own rounds late:
 * - A host marked silent (its last round got no answer at all) is not held to any limit while it
 *   stays silent: a dark NVR's channels each wait out the probe timeout, and two at a time its 64
 *   channels fell further behind every minute (bench:probe --nvr 64 --outage-pct: lag +45 s a minute,
 *   never declared within five). Waiting on a device that answers nothing costs it nothing.
 * - A host that answers slowly gets one more lane, up to `maxPerHost`, whenever the round at the head
 *   of its queue has waited `growAfterMs`: 64 channels answering in 2.5 s through two lanes take 80 s,
 *   longer than their 60-s interval, so that queue only grew (and claims ran out of lease while they
 *   waited). Lanes beyond `perHost` end once the queue is served in time again.
 * Lanes are added when a round arrives or one ends, the moments a queue changes.
 * Items and one `work` function rather than a closure per task: V8 drops the optimised code of
 * per-call closures at every full GC, and this runs once per round.
 */
export interface HostGateOptions {
  /** Lanes a slow host may get while its queue waits (≥ perHost). */
  maxPerHost: number;
  /** A queued round that waited this long gets a lane of its own (up to maxPerHost). */
  growAfterMs: number;
  now: () => number;
}

interface Queued<T> {
  item: T;
  since: number;
}

export class HostGate<T> {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, Array<Queued<T>>>();
  private readonly silent = new Set<string>();
  private readonly options: HostGateOptions;

  constructor(
    private readonly perHost: number,
    private readonly work: (item: T, host: string) => Promise<void>,
    options: Partial<HostGateOptions> = {},
  ) {
    this.options = { maxPerHost: perHost, growAfterMs: Number.POSITIVE_INFINITY, now: Date.now, ...options };
  }

  run(host: string, item: T): void {
    const running = this.active.get(host) ?? 0;
    if (running < this.perHost || this.silent.has(host)) {
      this.active.set(host, running + 1);
      void this.execute(host, item);
      return;
    }
    const queued = { item, since: this.options.now() };
    const queue = this.waiting.get(host);
    if (!queue) return void this.waiting.set(host, [queued]);
    queue.push(queued);
    this.grow(host, queue);
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
    for (const queued of queue) void this.execute(host, queued.item);
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

  /** Rounds running against `host` now (for tests and diagnostics). */
  lanesOf(host: string): number {
    return this.active.get(host) ?? 0;
  }

  /** Starts queued rounds that waited growAfterMs on lanes of their own, up to maxPerHost. */
  private grow(host: string, queue: Array<Queued<T>>): void {
    let running = this.active.get(host) ?? 0;
    while (running < this.options.maxPerHost && this.headOverdue(queue)) {
      const { item } = queue.shift()!;
      this.active.set(host, ++running);
      void this.execute(host, item);
    }
    if (queue.length === 0) this.waiting.delete(host);
  }

  private async execute(host: string, item: T): Promise<void> {
    let next: T | undefined = item;
    while (next !== undefined) {
      await this.work(next, host).catch(ignore);
      const queue = this.waiting.get(host);
      // Lanes beyond the limit (a silent host that answers again, a slow host served in time) end rather than go on.
      if ((this.active.get(host) ?? 0) > this.limitOf(host, queue)) break;
      next = queue?.shift()?.item;
      if (queue) {
        if (queue.length === 0) this.waiting.delete(host);
        else this.grow(host, queue);
      }
    }
    const running = (this.active.get(host) ?? 1) - 1;
    if (running === 0) {
      this.active.delete(host);
      this.silent.delete(host);
    } else this.active.set(host, running);
  }

  /** Lanes the host may keep now: any while silent, up to maxPerHost while its queue is overdue, else perHost. */
  private limitOf(host: string, queue: Array<Queued<T>> | undefined): number {
    if (this.silent.has(host)) return Number.POSITIVE_INFINITY;
    return queue !== undefined && this.headOverdue(queue) ? this.options.maxPerHost : this.perHost;
  }

  /** The round at the head of the queue has waited growAfterMs. */
  private headOverdue(queue: Array<Queued<T>>): boolean {
    return queue.length > 0 && this.options.now() - queue[0].since >= this.options.growAfterMs;
  }
}

function ignore(): void {}
