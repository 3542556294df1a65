/**
 * Leading-edge coalescing of state changes for the console channel.
 *
 * | situation                                  | when the batch goes out                          |
 * |--------------------------------------------|--------------------------------------------------|
 * | first change after a quiet window          | after `leadMs` (parts of one publish travel together) |
 * | more changes within `windowMs` of a flush  | at the end of that window, all of them in one batch |
 * | changes while a flush is still running     | once it finishes, no earlier than the window end |
 *
 * So a lone outage reaches the screens at once, and a burst of 2,000 changes in a second is still
 * at most 1 + 1000/windowMs batches. Batches never overlap: the next one starts after the last ended.
 */
export interface CoalescerOptions {
  /** Batches start at least this far apart. */
  windowMs: number;
  /** Delay of a batch that opens a quiet period. */
  leadMs: number;
  /** Injectable clock (tests). */
  now?: () => number;
}

export class Coalescer<T> {
  private pending: T[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private lastStart = Number.NEGATIVE_INFINITY;
  private closed = false;
  private readonly now: () => number;

  /** `flush` receives each batch in arrival order; its rejection is the caller's to log (`onError`). */
  constructor(
    private readonly flush: (batch: T[]) => Promise<void>,
    private readonly options: CoalescerOptions,
    private readonly onError: (err: Error) => void,
  ) {
    this.now = options.now ?? Date.now;
  }

  push(items: readonly T[]): void {
    if (this.closed || items.length === 0) return;
    this.pending.push(...items);
    this.schedule();
  }

  /** Drops what is pending and stops scheduling. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }

  private schedule(): void {
    if (this.timer || this.running || this.closed || this.pending.length === 0) return;
    const delay = Math.max(this.options.leadMs, this.lastStart + this.options.windowMs - this.now());
    this.timer = setTimeout(() => this.run(), delay);
  }

  private run(): void {
    this.timer = undefined;
    if (this.closed || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.running = true;
    this.lastStart = this.now();
    this.flush(batch)
      .catch((err: Error) => this.onError(err))
      .finally(() => {
        this.running = false;
        this.schedule();
      });
  }
}
