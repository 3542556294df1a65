/**
 * Per-host fairness: at most `perHost` rounds run against one host at a time (an NVR with 64
 * channels is not opened 64 times at once); the rest wait in that host's queue, in order.
 * Items and one `work` function rather than a closure per task: V8 drops the optimised code of
 * per-call closures at every full GC, and this runs once per round.
 */
export class HostGate<T> {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, T[]>();

  constructor(
    private readonly perHost: number,
    private readonly work: (item: T) => Promise<void>,
  ) {}

  run(host: string, item: T): void {
    const running = this.active.get(host) ?? 0;
    if (running < this.perHost) {
      this.active.set(host, running + 1);
      void this.execute(host, item);
      return;
    }
    const queue = this.waiting.get(host);
    if (queue) queue.push(item);
    else this.waiting.set(host, [item]);
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
      await this.work(next).catch(ignore);
      const queue = this.waiting.get(host);
      next = queue?.shift();
      if (queue && queue.length === 0) this.waiting.delete(host);
    }
    const running = (this.active.get(host) ?? 1) - 1;
    if (running === 0) this.active.delete(host);
    else this.active.set(host, running);
  }
}

function ignore(): void {}
