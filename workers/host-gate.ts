/**
 * Per-host fairness: at most `perHost` rounds run against one host at a time (an NVR with 64
 * channels is not opened 64 times at once); the rest wait in that host's queue, in order.
 */
export class HostGate {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => Promise<void>>>();

  constructor(private readonly perHost: number) {}

  run(host: string, task: () => Promise<void>): void {
    const running = this.active.get(host) ?? 0;
    if (running < this.perHost) {
      this.active.set(host, running + 1);
      void this.execute(host, task);
      return;
    }
    const queue = this.waiting.get(host) ?? [];
    queue.push(task);
    this.waiting.set(host, queue);
  }

  /** Forgets queued tasks (on shutdown; their claims are handed back). */
  dropWaiting(): void {
    this.waiting.clear();
  }

  get waitingCount(): number {
    let n = 0;
    for (const queue of this.waiting.values()) n += queue.length;
    return n;
  }

  private async execute(host: string, task: () => Promise<void>): Promise<void> {
    let next: (() => Promise<void>) | undefined = task;
    while (next) {
      await next().catch(() => undefined);
      const queue = this.waiting.get(host);
      next = queue?.shift();
      if (queue && queue.length === 0) this.waiting.delete(host);
    }
    const running = (this.active.get(host) ?? 1) - 1;
    if (running === 0) this.active.delete(host);
    else this.active.set(host, running);
  }
}
