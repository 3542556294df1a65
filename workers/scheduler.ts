import type pg from 'pg';
import type { LivenessConfig } from '../config/index.js';
import type { Logger } from '../server/logger.js';
import type { CredentialCipher } from '../server/secrets/credential-cipher.js';
import { onConnection, type Database } from '../server/storage/db.js';
import type { ClaimedCamera, LivenessRepository } from '../server/storage/liveness.repository.js';
import type { StateEventBus } from '../server/events/state-events.js';
import type { ProbeRegistry } from './probes/index.js';
import { evaluateRound } from './evaluate.js';
import { HostGate } from './host-gate.js';
import { Lateness, type LateRounds } from './lateness.js';
import { PasswordCache } from './password-cache.js';
import { RoundWriter } from './round-writer.js';
import { parsedUrl } from './probes/parsed-url.js';
import { runRound } from './runner.js';

export interface SchedulerDeps {
  db: Database;
  repo: LivenessRepository;
  probes: ProbeRegistry;
  cipher: CredentialCipher;
  bus: StateEventBus;
  config: LivenessConfig;
  logger: Logger;
  /** The worker's clock (ms since epoch); tests may pass a fake one. */
  clock?: () => number;
  /** Uniform in [0, 1), for the claim's spread; tests may pass a fixed one. */
  random?: () => number;
  /** Called after each round, e.g. by the benchmark to measure schedule lag. */
  onRound?: (info: { cameraId: string; lagMs: number; latencyMs: number; verdict: string }) => void;
}

type ClaimTx = Parameters<LivenessRepository['claimDue']>[0];

/**
 * Claimed rounds start in bursts on ticks aligned to this period (the first tick at or after each
 * round's due time), one timer per tick: at the fleet's steady rate a wake-up per round cost more CPU
 * than the round's own work, and rounds started together share the event loop's wake-ups. Lag < one tick.
 * One second, not 250 ms: with the single-threaded GC (runtime-flags.ts) bench:probe's worker fell from
 * 479 to 360–392 CPU ms per 1,000 rounds at 10,000 cameras; 2-s ticks were no cheaper (464). A minute's
 * interval does not notice a second of lag; the check is still never started before it is due.
 */
export const START_TICK_MS = 1000;
/**
 * An idle claim loop wakes this long before each start tick and claims what falls due by that tick:
 * claimed rows wait ~this long for their start instead of up to a second and more (a claim window
 * reaching past the tick kept each row alive across a scavenge or two, and V8 promoted them), and the
 * loop wakes once per tick. The lead covers the claim statement's own time (~5 ms, ~60 ms when busy).
 */
const CLAIM_LEAD_MS = 150;
/**
 * Each claim wakes up to this much earlier still, at random: workers sharing a database all wake
 * for the same tick, and the first to claim takes everything due by it. Without the spread one
 * worker could win every tick and the others idle below saturation (seen in the two-worker test).
 */
const CLAIM_SPREAD_MS = 50;

/**
 * A round that waited this long (at most an eighth of the interval) for its device's lanes gets one
 * more (HostGate, up to WORKER_PER_HOST_MAX): a slow NVR's rounds start a couple of seconds late at
 * most, well inside the 5-s lateness the worker warns about.
 */
const LANE_AFTER_WAIT_MS = 2000;

/**
 * Claims due cameras in batches (many workers share a PostgreSQL server without double probes),
 * runs rounds with bounded concurrency and per-host fairness, and writes results back in batches.
 */
export class Scheduler {
  private running = false;
  private held = 0;
  private capacityLimited = false;
  /** The claims' own connection and the query wrapper handed to the repository (made once per connection). */
  private claim: { client: pg.PoolClient; tx: ClaimTx } | undefined;
  private loopDone: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Start ticks (aligned ms) → their timer and the claimed rounds they start. */
  private readonly ticks = new Map<number, { timer: NodeJS.Timeout; cameras: ClaimedCamera[] }>();
  private readonly unstarted = new Set<string>();
  private readonly gate: HostGate<ClaimedCamera>;
  private readonly passwords: PasswordCache;
  private readonly writer: RoundWriter;
  private readonly lateness = new Lateness();
  private settledAt = Number.POSITIVE_INFINITY;
  private readonly now: () => number;
  private readonly random: () => number;
  /** `writeBacks` counts write-back statements (each carries a batch of `written` rounds). */
  readonly counters = { rounds: 0, claims: 0, written: 0, samples: 0, changes: 0, writeErrors: 0, writeBacks: 0 };

  constructor(private readonly deps: SchedulerDeps) {
    this.now = deps.clock ?? Date.now;
    this.random = deps.random ?? Math.random;
    const { perHost, perHostMax, policy } = deps.config;
    this.gate = new HostGate(perHost, (camera, host) => this.check(camera, host), {
      maxPerHost: perHostMax, growAfterMs: Math.min(LANE_AFTER_WAIT_MS, policy.intervalMs / 8), now: this.now,
    });
    this.passwords = new PasswordCache(deps.cipher);
    this.writer = new RoundWriter({
      repo: deps.repo, bus: deps.bus, logger: deps.logger, workerId: deps.config.workerId, now: this.now, counters: this.counters,
      running: () => this.held - this.unstarted.size,
    });
  }

  get workerId(): string {
    return this.deps.config.workerId;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.settledAt = this.now() + this.deps.config.policy.intervalMs;
    this.writer.start();
    this.loopDone = this.loop();
  }

  /** Stops claiming, lets running rounds finish, writes what is buffered and hands unstarted claims back. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loopDone;
    for (const [, tick] of this.ticks) clearTimeout(tick.timer);
    this.ticks.clear();
    this.gate.dropWaiting();
    const deadline = this.now() + this.deps.config.probeTimeoutMs * 3;
    while (this.held - this.unstarted.size > 0 && this.now() < deadline) await sleep(20);
    await this.writer.stop();
    await this.deps.repo.releaseClaims(this.workerId, new Date(this.now())).catch((err: Error) => this.deps.logger.warn('could not release claims', { error: err }));
    this.claim?.client.release();
    this.claim = undefined;
  }

  /** A connection of its own for claims (SKIP LOCKED needs separate connections, also on PGlite's socket). */
  private async claimConnection(): Promise<{ client: pg.PoolClient; tx: ClaimTx }> {
    const client = await this.deps.db.connect();
    return { client, tx: onConnection(client) };
  }

  private async loop(): Promise<void> {
    const { config, logger } = this.deps;
    while (this.running) {
      const room = Math.min(config.concurrency - this.held, config.batchSize);
      // Finished rounds wake the loop early only while the concurrency limit holds claims back (no
      // room at all); a claim that found fewer due cameras than it had room for waits for the idle
      // poll — waking on every finished round cost one claim statement per round.
      this.capacityLimited = room <= 0;
      let claimed = 0;
      if (room > 0) {
        try {
          const { tx } = (this.claim ??= await this.claimConnection());
          const now = this.now();
          const cameras = await this.deps.repo.claimDue(tx, this.workerId, new Date(now), room, config.leaseMs, tickAtOrAfter(now) - now);
          claimed = cameras.length;
          this.counters.claims += claimed;
          for (const camera of cameras) this.schedule(camera);
        } catch (err) {
          logger.error('claiming due cameras failed', { error: err as Error });
          this.claim?.client.release(true);
          this.claim = undefined;
          await this.pause(1000);
          continue;
        }
      }
      if (claimed === 0 || claimed < room) await this.pause(untilNextClaim(this.now(), CLAIM_LEAD_MS + CLAIM_SPREAD_MS * this.random()));
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** Holds a claimed round for the first start tick at or after its due time (at once if that has passed). */
  private schedule(camera: ClaimedCamera): void {
    // Claimed again while its round still waits here (its lease ran out in a long queue): one round is enough,
    // and the new claim only extended the lease.
    if (this.unstarted.has(camera.id)) return;
    this.held++;
    this.unstarted.add(camera.id);
    const now = this.now();
    const due = camera.dueAt.getTime();
    if (due <= now) return this.admit(camera);
    const at = tickAtOrAfter(due);
    const tick = this.ticks.get(at);
    if (tick) return void tick.cameras.push(camera);
    const cameras = [camera];
    this.ticks.set(at, { cameras, timer: setTimeout(startTick, at - now, this, at) });
  }

  /** A start tick came: its rounds go to the host gate. */
  startTick(at: number): void {
    const tick = this.ticks.get(at);
    if (!tick) return;
    this.ticks.delete(at);
    for (const c of tick.cameras) this.admit(c);
  }

  private admit(camera: ClaimedCamera): void {
    const host = hostOf(camera);
    this.gate.run(host, camera);
  }

  private async check(camera: ClaimedCamera, host: string): Promise<void> {
    this.unstarted.delete(camera.id);
    const started = this.now();
    // The sweep after a start is late by design (cameras fell due while no worker ran): count from one interval on.
    if (camera.dueAt.getTime() >= this.settledAt) {
      const late = this.lateness.record(started - camera.dueAt.getTime(), started);
      if (late) this.reportLate(late);
    }
    try {
      const outcome = await runRound(this.targetOf(camera), this.deps.probes, {
        timeoutMs: this.deps.config.probeTimeoutMs,
        connectTimeoutMs: this.deps.config.probeConnectTimeoutMs,
        now: this.now,
      });
      // No answer at all (the runner fell back to its TCP check): the device's queued channels need not wait their turn.
      this.gate.markSilent(host, outcome.evidence.tcp !== undefined);
      const { write, event } = evaluateRound(camera, outcome, this.deps.config, this.now());
      this.writer.add(write, event);
      this.counters.rounds++;
      this.deps.onRound?.({ cameraId: camera.id, lagMs: started - camera.dueAt.getTime(), latencyMs: outcome.latencyMs, verdict: write.verdict });
    } catch (err) {
      // A probe never throws for a dead camera; reaching here is a bug. The claim's lease brings the camera back.
      this.deps.logger.error('check round failed', { cameraId: camera.id, error: err as Error });
    } finally {
      this.held--;
      if (this.capacityLimited && this.held <= this.deps.config.concurrency * 0.9) this.wake?.();
    }
  }

  private reportLate(late: LateRounds): void {
    const { concurrency, perHost, perHostMax, probeTimeoutMs } = this.deps.config;
    this.deps.logger.warn('check rounds are starting late', {
      lateRounds: late.lateRounds, worstLagMs: late.worstLagMs, since: new Date(late.sinceMs).toISOString(),
      inFlight: this.held - this.unstarted.size, concurrency, waitingForTheirHost: this.gate.waitingCount,
      hint: `cameras that do not answer hold a slot for up to ${probeTimeoutMs} ms per round and recheck, and the channels of one ` +
        `device wait for its ${perHost} to ${perHostMax} lanes (WORKER_PER_HOST, WORKER_PER_HOST_MAX); raise WORKER_CONCURRENCY or add a worker`,
    });
  }

  private targetOf(camera: ClaimedCamera) {
    let password: string | undefined;
    if (!camera.passwordEnc) this.passwords.forget(camera.id);
    else {
      try {
        password = this.passwords.open(camera.id, camera.passwordEnc);
      } catch (err) {
        this.deps.logger.warn('cannot decrypt camera password; probing without it', { cameraId: camera.id, error: err as Error });
      }
    }
    return { rtspUrl: camera.rtspUrl, onvifUrl: camera.onvifUrl, username: camera.username ?? undefined, password };
  }
}

/** Fairness key: the device's host, so an NVR's channels share its connection budget. */
function hostOf(camera: ClaimedCamera): string {
  return parsedUrl((camera.rtspUrl ?? camera.onvifUrl)!)?.hostname ?? camera.id;
}

/** The first start tick at or after `ms` (ticks are multiples of START_TICK_MS). */
export const tickAtOrAfter = (ms: number) => Math.ceil(ms / START_TICK_MS) * START_TICK_MS;

/**
 * From `now` to `leadMs` before the next start tick that is further away than the largest lead (so
 * a claim that just ran for one tick, with a longer lead than the next, is not repeated for it).
 */
function untilNextClaim(now: number, leadMs: number): number {
  return tickAtOrAfter(now + CLAIM_LEAD_MS + CLAIM_SPREAD_MS + 1) - leadMs - now;
}

// A module function with arguments, not a closure per tick (V8 re-optimises those after every full GC).
function startTick(scheduler: Scheduler, at: number): void {
  scheduler.startTick(at);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
