/**
 * Plays the demo script against the simulated fleet: each event at its time, cycle after cycle,
 * until stopped. A failing step is reported and the script goes on.
 */
import type { CameraFault, Fleet } from '../../workers/simulator/index.js';
import { buildScript, TIMELINE, type DemoFault, type ScriptCast, type ScriptEvent } from './script.js';

/** What the player needs of a fleet. */
export type FaultSwitches = Pick<Fleet, 'kill' | 'revive' | 'setFault'>;

const SWITCHES: Record<Exclude<DemoFault, 'down'>, { on: Partial<CameraFault>; off: Partial<CameraFault> }> = {
  hang: { on: { rtsp: 'hang', onvif: 'hang' }, off: { rtsp: 'none', onvif: 'none' } },
  auth: { on: { rtsp: 'auth', onvif: 'auth' }, off: { rtsp: 'none', onvif: 'none' } },
  notfound: { on: { rtsp: 'notfound' }, off: { rtsp: 'none' } },
  novideo: { on: { rtsp: 'novideo' }, off: { rtsp: 'none' } },
  skew: { on: { skewSeconds: 600 }, off: { skewSeconds: 0 } },
};

/** Applies one event to the fleet (all its cameras at once). */
export async function applyEvent(fleet: FaultSwitches, event: ScriptEvent): Promise<void> {
  await Promise.all(
    event.cameras.map((i) => {
      if (event.fault === 'down') return event.on ? fleet.kill(i) : fleet.revive(i);
      const s = SWITCHES[event.fault];
      return fleet.setFault(i, event.on ? s.on : s.off);
    }),
  );
}

/** Runs the script in a loop from `start()` (T+0) until `stop()`. */
export class ScriptPlayer {
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private t0 = 0;

  constructor(
    private readonly deps: {
      fleet: FaultSwitches;
      cast: ScriptCast;
      seed: number;
      /** Receives one line per event, e.g. "[T+60s] power cut: …". */
      log: (line: string) => void;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Seconds since T+0. */
  get elapsedS(): number {
    return Math.floor((this.now() - this.t0) / 1000);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.t0 = this.now();
    this.done = this.loop();
  }

  /** Stops after the step in progress; faults stay as they are (the fleet is stopped next). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.done;
  }

  private async loop(): Promise<void> {
    for (let cycle = 0; this.running; cycle++) {
      const cycleStart = this.t0 + cycle * TIMELINE.cycleMs;
      for (const event of buildScript(this.deps.cast, this.deps.seed, cycle)) {
        await this.sleepUntil(cycleStart + event.atMs);
        if (!this.running) return;
        try {
          await applyEvent(this.deps.fleet, event);
          this.deps.log(`[T+${this.elapsedS}s] ${event.label}`);
        } catch (err) {
          this.deps.log(`[T+${this.elapsedS}s] could not apply "${event.label}": ${(err as Error).message}`);
        }
      }
      await this.sleepUntil(cycleStart + TIMELINE.cycleMs);
    }
  }

  private sleepUntil(at: number): Promise<void> {
    const ms = at - this.now();
    if (ms <= 0 || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
