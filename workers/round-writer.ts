import type { Logger } from '../server/logger.js';
import type { LivenessRepository, RoundWrite } from '../server/storage/liveness.repository.js';
import type { StateChangeEvent, StateEventBus } from '../server/events/state-events.js';

/** How often the buffer is looked at. */
const LOOK_EVERY_MS = 250;
/** A round's result waits at most about this long (plus one look) while other rounds are still running. */
const MAX_WAIT_MS = 1000;
/** A buffer this full is written at once, whatever else runs. */
const FLUSH_AT = 500;
/** A round whose camera falls due again within this (a failure's fast recheck) does not wait either. */
const SOON_MS = 15_000;

export interface RoundWriterDeps {
  repo: Pick<LivenessRepository, 'recordRounds'>;
  bus: StateEventBus;
  logger: Logger;
  workerId: string;
  now: () => number;
  /** Rounds running at this moment: while a start tick's burst is still running, its results wait for the rest. */
  running: () => number;
  counters: { written: number; samples: number; changes: number; writeErrors: number; writeBacks: number };
}

/**
 * Buffers finished rounds and writes them back in batches, one statement per batch, then announces
 * their state changes. A batch is written when the rounds running have all finished (a start tick's
 * burst is over), when it holds a state change (the console hears of it within a look) or a camera
 * due again soon (a failure's recheck is scheduled in time), when its oldest round has waited
 * MAX_WAIT_MS (a slow camera does not hold the rest back), or at FLUSH_AT.
 * Why not simply every 250 ms: real cameras answer over hundreds of ms, so a tick's burst went out in
 * up to four statements, and each has a fixed cost in the database (parse, plan, protocol):
 * `npm run bench:writeback` measured the claim and write-back SQL of 10,000 cameras at 107–112 CPU ms
 * per 1,000 rounds with one write-back per tick against 144–147 with four (embedded engine; on the
 * PostgreSQL server 108–112 against 137–148).
 */
export class RoundWriter {
  private writes: RoundWrite[] = [];
  private events: Array<Omit<StateChangeEvent, 'seq'>> = [];
  private oldestAt = 0;
  /** A buffered round carries a state change or a soon recheck. */
  private urgent = false;
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: RoundWriterDeps) {}

  start(): void {
    this.timer ??= setInterval(lookAt, LOOK_EVERY_MS, this);
  }

  /** Stops looking and writes what is buffered. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  add(write: RoundWrite, event: Omit<StateChangeEvent, 'seq'> | undefined): void {
    if (this.writes.length === 0) this.oldestAt = this.deps.now();
    this.writes.push(write);
    if (event) this.events.push(event);
    if (event || write.nextCheckAt.getTime() - this.deps.now() < SOON_MS) this.urgent = true;
    if (this.writes.length >= FLUSH_AT) void this.flush();
  }

  /** The periodic look: writes the buffer when one of the reasons above holds. */
  look(): void {
    if (this.writes.length === 0) return;
    if (this.urgent || this.deps.running() === 0 || this.deps.now() - this.oldestAt >= MAX_WAIT_MS) void this.flush();
  }

  /** Writes buffered rounds in one statement, then announces their state changes. Serialised. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(this.writeBuffered);
    return this.flushing;
  }

  // One function for the life of the writer, not a closure per flush (V8 re-optimises those after every full GC).
  private readonly writeBuffered = async (): Promise<void> => {
    if (this.writes.length === 0) return;
    const { counters, logger } = this.deps;
    const writes = this.writes;
    const events = this.events;
    this.writes = [];
    this.events = [];
    this.urgent = false;
    const published: StateChangeEvent[] = [];
    try {
      counters.writeBacks++;
      const seqs = await this.deps.repo.recordRounds(this.deps.workerId, writes);
      counters.written += writes.length;
      for (const w of writes) if (w.sample) counters.samples++;
      // Only changes that reached the outage log are announced, each with its log id as seq.
      for (const e of events) {
        const seq = seqs.get(e.cameraId);
        if (seq !== undefined) published.push({ ...e, seq });
      }
      published.sort(bySeq);
      counters.changes += published.length;
    } catch (err) {
      counters.writeErrors++;
      logger.error('writing check results failed; the cameras will be rechecked when their lease ends', { rounds: writes.length, error: err as Error });
      return;
    }
    try {
      await this.deps.bus.publish(published);
    } catch (err) {
      logger.error('publishing state changes failed', { error: err as Error });
    }
  };
}

const bySeq = (a: StateChangeEvent, b: StateChangeEvent) => a.seq - b.seq;

// A module function with an argument, not a closure (V8 re-optimises those after every full GC).
function lookAt(writer: RoundWriter): void {
  writer.look();
}
