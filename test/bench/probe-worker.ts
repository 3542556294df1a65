/**
 * The liveness worker of `bench:probe`, in its own process so its CPU and memory are its own.
 * Forked by probe.bench.ts with its settings in the environment (the ordinary config keys) and
 * `{ durationMs, leadMs, warmupMs, graceMs }` as argv[2].
 *
 * 1. Opens the database (on the embedded default: the PGlite folder the orchestrator closed) and
 *    puts every camera on its own phase slot in [begin, begin + interval), begin = now + leadMs — the
 *    slot the engine's nextSlot keeps it on, so the run starts in steady state. Starts the worker → `started`.
 * 2. After `warmupMs` of probing (JIT, connection pools, first flushes, the answer memo's learning cycle),
 *    snapshots CPU, event loop and counters at t0 = begin + warmupMs and t0 + duration (and one interval
 *    before t0 unless that is the first cycle); after the grace sends `window` with every round it logged
 *    (and, when told of an `outage`, when each dark camera was declared offline).
 * 3. On `saturate`: makes every unclaimed camera due now and measures until `seconds` pass or 90 %
 *    are done → `saturation`. On `stop` (or SIGTERM): stops the worker, closes the database → `stopped`.
 * Row writes and statement times are counted by wrapping pg.Client#query (same on both backends).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pg from 'pg';
import { loadConfig } from '../../config/index.js';
import { phaseOf, slotAtOrAfter } from '../../server/domain/liveness.js';
import { createStateEventBus } from '../../server/events/create-bus.js';
import { createLogger } from '../../server/logger.js';
import { CredentialCipher } from '../../server/secrets/credential-cipher.js';
import { openConfiguredDatabase, type Database } from '../../server/storage/db.js';
import { startWorker, type Worker } from '../../workers/worker.js';
import { procCpuMs, threadsCpuMs, threadsStartedBy } from './probe-env.js';
import { outageFigures, type OutageStart } from './probe-outage.js';
import { LOOP_DELAY_RESOLUTION_MS, percentile, type DbStats, type RoundLog, type Snapshot, type WorkerMessage } from './probe-metrics.js';

const send = (m: WorkerMessage) => process.send!(m);
const dbStats: DbStats = {};

/** Counts rows written and wall time per statement kind, for every pg client in this process. */
function instrumentPg(): void {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, text: unknown, values?: unknown, cb?: unknown) {
    // A string, or a named statement's { name, text, values } (values then come inside it).
    const sql = typeof text === 'string' ? text : (text as { text?: unknown } | null)?.text;
    if (typeof sql !== 'string') return original.apply(this, [text, values, cb].filter((a) => a !== undefined));
    const verb = /\b(UPDATE\s+(?!SKIP)\w+|INSERT INTO\s+\w+|DELETE FROM\s+\w+)/i.exec(sql) ?? /^\s*(\w+)/.exec(sql);
    const kind = (verb ? verb[1].replace(/\s+/g, ' ') : 'other') + (/^\s*WITH due AS/.test(sql) ? ' (claim)' : '');
    const started = performance.now();
    const count = (res?: { rowCount?: number | null }) => {
      const s = (dbStats[kind] ??= { n: 0, rows: 0, ms: 0 });
      s.n++;
      s.rows += res?.rowCount ?? 0;
      s.ms += performance.now() - started;
    };
    if (typeof values === 'function') [cb, values] = [values, undefined];
    if (typeof cb === 'function') {
      return original.call(this, text, values, (err: unknown, res: { rowCount?: number }) => {
        count(err ? undefined : res);
        (cb as (e: unknown, r: unknown) => void)(err, res);
      });
    }
    return (original.call(this, text, values) as Promise<{ rowCount?: number }>).then((res) => (count(res), res));
  };
}

async function seedSchedule(db: Database, intervalMs: number, leadMs: number): Promise<{ begin: number; ids: string[]; firstDue: number[] }> {
  const ids = (await db.query<{ id: string }>(`SELECT camera_id AS id FROM camera_checks WHERE next_check_at < 'infinity'`)).map((r) => r.id);
  const begin = Date.now() + leadMs;
  const firstDue = ids.map((id) => slotAtOrAfter(begin, intervalMs, phaseOf(id)));
  await db.query(
    `UPDATE camera_checks k SET next_check_at = v.t, claimed_by = NULL FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, t) WHERE k.camera_id = v.id`,
    [ids, firstDue.map((t) => new Date(t))],
  );
  return { begin, ids, firstDue };
}

/** The threads the embedded database started (PGlite's engine thread); empty on the PostgreSQL server. */
let engineThreads: number[] = [];

/** CPU of the engine's threads, or null when there are none (PGlite's lives as long as the database). */
const engineCpuMs = (): number | null => (engineThreads.length === 0 ? null : threadsCpuMs(engineThreads));

function snapshot(worker: Worker): Snapshot {
  const cpu = process.cpuUsage();
  const c = worker.scheduler.counters;
  return {
    wall: Date.now(),
    cpuMs: (cpu.user + cpu.system) / 1000,
    mainCpuMs: procCpuMs(process.pid, process.pid),
    dbEngineCpuMs: engineCpuMs(),
    eluActiveMs: performance.eventLoopUtilization().active,
    rounds: c.rounds,
    claims: c.claims,
    written: c.written,
    samples: c.samples,
    changes: c.changes,
    writeErrors: c.writeErrors,
    writeBacks: c.writeBacks,
    db: structuredClone(dbStats),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const at = (t: number) => sleep(Math.max(0, t - Date.now()));

async function main(): Promise<void> {
  const { durationMs, leadMs, warmupMs, graceMs } = JSON.parse(process.argv[2]) as { durationMs: number; leadMs: number; warmupMs: number; graceMs: number };
  instrumentPg();
  const config = loadConfig();
  let loggedErrors = 0;
  const logger = createLogger(config.logLevel, (line) => {
    if (line.includes('"level":"error"')) loggedErrors++;
    process.stderr.write(`${line}\n`);
  });
  const opened = performance.now();
  const { value: db, threads } = await threadsStartedBy(() => openConfiguredDatabase(config));
  if (!config.databaseUrl) engineThreads = threads;
  const bus = createStateEventBus(db, logger);
  const cipher = new CredentialCipher(config.cameraSecretKey!);
  const openMs = Math.round(performance.now() - opened);
  const { begin, ids, firstDue } = await seedSchedule(db, config.liveness.policy.intervalMs, leadMs);
  const t0 = begin + warmupMs;

  const log: RoundLog = { ids: [], at: [], lag: [], latency: [], notOnline: 0 };
  let sampledPeak = 0;
  const rssTimer = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss())), 500);
  const worker = startWorker({ config, db, cipher, bus, logger }, {
    onRound: (info) => {
      log.ids.push(info.cameraId);
      log.at.push(Date.now());
      log.lag.push(info.lagMs);
      log.latency.push(info.latencyMs);
      if (info.verdict !== 'online') log.notOnline++;
    },
  });
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(rssTimer);
      await worker.stop();
      await bus.close();
      await db.close();
      const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      process.send!({ type: 'stopped', peakRssMb, sampledPeakRssMb: Math.round(sampledPeak / 1048576), loggedErrors } satisfies WorkerMessage, () => process.exit(0));
    })());
  process.once('SIGTERM', () => {
    setTimeout(() => process.exit(1), 8000).unref();
    void stop().finally(() => process.exit(1));
  });
  let outage: OutageStart | undefined;
  process.on('message', (m: { type: string; seconds?: number }) => {
    if (m.type === 'outage') outage = m as OutageStart;
    if (m.type === 'stop') void stop().catch(fail);
    if (m.type === 'saturate') void saturate(worker, db, log, m.seconds ?? 20).catch(fail);
  });
  send({ type: 'started', begin, t0, ids, firstDue, openMs });

  // camera_checks takes two non-HOT row versions per round (claim + result both move next_check_at).
  const tableMb = async () => (await db.query<{ b: number }>(`SELECT pg_total_relation_size('camera_checks') AS b`))[0].b / 1048576;
  // The cycle before the window, when it is not the first: with the default warm-up (two intervals) the
  // second cycle after start, when the answer memo learns each camera's answers (reported on its own).
  const priorAt = t0 - config.liveness.policy.intervalMs;
  let prior: Snapshot | undefined;
  if (priorAt >= begin + config.liveness.policy.intervalMs) {
    await at(priorAt);
    prior = snapshot(worker);
  }
  await at(t0 - 300);
  const tableStartMb = await tableMb();
  // Sampled every LOOP_DELAY_RESOLUTION_MS (500): a 10-ms sampler woke the worker 100 times a second during the window, which
  // cost it ~120 CPU ms per 1,000 rounds (measured: 968–1011 with it, 853–880 without) — the
  // instrument's cost, not the worker's, and one the floor never paid. Stalls ≥ 500 ms are always caught.
  const delay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  await at(t0);
  delay.enable();
  const start = snapshot(worker);
  await at(t0 + durationMs);
  const end = snapshot(worker);
  delay.disable();
  const tableEndMb = await tableMb();
  await sleep(graceMs);
  const outageSeen = outage ? await outageFigures(db, outage, log, t0, t0 + durationMs) : undefined;
  // The histogram holds whole periods (500 ms and more); the delay is what exceeds the period.
  const beyond = (ns: number) => Math.max(0, ns / 1e6 - LOOP_DELAY_RESOLUTION_MS);
  const loopDelayMs = { p99: beyond(delay.percentile(99)), max: beyond(delay.max) };
  send({ type: 'window', prior, start, end, log, tableMb: [tableStartMb, tableEndMb], loopDelayMs, outage: outageSeen });
}

/** Every unclaimed camera due now; rate over the time it takes to do 90 % of them (or `seconds`). */
async function saturate(worker: Worker, db: Database, log: RoundLog, seconds: number): Promise<void> {
  const from = log.ids.length;
  const notOnlineBefore = log.notOnline;
  const start = snapshot(worker);
  const made = (await db.query<{ n: number }>(
    `WITH d AS (UPDATE camera_checks SET next_check_at = now() WHERE claimed_by IS NULL AND next_check_at < 'infinity' RETURNING 1) SELECT count(*) AS n FROM d`,
  ))[0].n;
  const until = start.wall + seconds * 1000;
  while (Date.now() < until && log.ids.length - from < 0.9 * made) await sleep(100);
  const end = snapshot(worker);
  const rounds = log.ids.length - from;
  const latencies = log.latency.slice(from);
  send({
    type: 'saturation', start, end, made, rounds, notOnline: log.notOnline - notOnlineBefore,
    firstAt: log.at[from] ?? end.wall, lastAt: log.at[log.at.length - 1] ?? end.wall,
    latencyP50: percentile(latencies, 50), latencyP99: percentile(latencies, 99),
  });
}

function fail(err: unknown): void {
  send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  setTimeout(() => process.exit(1), 100);
}

main().catch(fail);
