/**
 * Write-back benchmark: `npm run bench:writeback [-- --cameras 10000 --ticks 60 --statements 1,4 --repeat 2]`.
 *
 * What the database spends on the liveness engine's own SQL per round, apart from probing: a fleet
 * on one-minute slots is claimed once per start tick (LivenessRepository.claimDue on its own
 * connection) and its healthy rounds — built by the worker's evaluateRound — are written back with
 * recordRounds, the tick's batch split into 1, 4, … statements. Simulated time (no waiting, no
 * probes), so the figures are the database's alone: the embedded engine's threads, or the
 * PostgreSQL backends of a throw-away database when DATABASE_URL is set. It shows what a
 * write-back statement costs on its own, which is why RoundWriter writes a start tick's burst
 * in one statement. Prints one JSON line; progress goes to stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/index.js';
import { CameraRepository } from '../../server/storage/camera.repository.js';
import { onConnection, openDatabase, type Database } from '../../server/storage/db.js';
import { LivenessRepository } from '../../server/storage/liveness.repository.js';
import { evaluateRound } from '../../workers/evaluate.js';
import type { RoundOutcome } from '../../workers/runner.js';
import { storedCamera } from './fleet-generator.js';
import { backendsCpuMs, procCpuMs, threadsCpuMs, threadsStartedBy, throwAwayDatabase, type Backend } from './probe-env.js';
import { r1 } from './probe-metrics.js';

const log = (msg: string) => process.stderr.write(`[bench:writeback] ${msg}\n`);
const TICK_MS = 1000;

/** A healthy round as the probes report it (the facts a real camera's answers give). */
const HEALTHY: RoundOutcome = {
  round: { rtsp: { ok: true, latencyMs: 3.1 }, onvif: { ok: true, latencyMs: 4.2, clockOffsetMs: 310 } },
  evidence: {
    rtsp: { ok: true, ms: 3.1, kind: null, detail: null, facts: { codec: 'H.264', status: 200 } },
    onvif: {
      ok: true, ms: 4.2, kind: null, detail: null,
      facts: { vendor: 'HIKVISION', model: 'DS-2CD2T47G2-L', firmware: 'V5.7.3 build 220112', serial: 'DS-2CD2T47G2-L20220301AACHJ12345678', clockOffsetMs: 310 },
    },
  },
  latencyMs: 4.2,
};

function options() {
  const { values } = parseArgs({
    options: { cameras: { type: 'string' }, ticks: { type: 'string' }, statements: { type: 'string' }, repeat: { type: 'string' } },
    strict: true,
  });
  const cameras = Number(values.cameras ?? 10_000);
  const ticks = Number(values.ticks ?? 60);
  const repeat = Number(values.repeat ?? 2);
  const statements = (values.statements ?? '1,4').split(',').map(Number);
  const bad = [
    !(Number.isInteger(cameras) && cameras >= 100) && `--cameras: an integer ≥ 100, got "${values.cameras}"`,
    !(Number.isInteger(ticks) && ticks >= 10) && `--ticks: an integer ≥ 10, got "${values.ticks}"`,
    !(Number.isInteger(repeat) && repeat >= 1) && `--repeat: an integer ≥ 1, got "${values.repeat}"`,
    !statements.every((n) => Number.isInteger(n) && n >= 1) && `--statements: integers ≥ 1 separated by commas, got "${values.statements}"`,
  ].filter(Boolean);
  if (bad.length > 0) throw new Error(bad.join('\n'));
  return { cameras, ticks, repeat, statements };
}

async function seed(db: Database, cameras: number, t0: number): Promise<void> {
  const repo = new CameraRepository(db);
  for (let first = 0; first < cameras; first += 5000) {
    const rows = [];
    for (let i = first; i < Math.min(cameras, first + 5000); i++) rows.push(storedCamera(i, (plain) => plain));
    await repo.insertMany(rows);
  }
  await db.query(`UPDATE cameras SET status = 'online', status_since = now() - interval '1 day'`);
  // Due times spread over one interval from t0; healthy samples were kept recently (none fall due).
  await db.query(
    `UPDATE camera_checks SET next_check_at = $1::timestamptz + random() * interval '60 s', last_check_at = $1, last_verdict = 'online', last_sample_at = $1`,
    [new Date(t0)],
  );
  await db.query('VACUUM ANALYZE cameras');
  await db.query('VACUUM ANALYZE camera_checks');
}

async function main(): Promise<void> {
  const o = options();
  const adminUrl = process.env.DATABASE_URL || undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sem-bench-writeback-'));
  const backend: Backend = adminUrl ? await throwAwayDatabase(adminUrl) : { name: 'pglite', drop: async () => undefined };
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(backend.databaseUrl ? { DATABASE_URL: backend.databaseUrl } : {}) });
  const { value: db, threads: engine } = await threadsStartedBy(() => openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir }));
  const dbCpuMs = () => (backend.dbName ? backendsCpuMs(backend.dbName) : threadsCpuMs(engine));
  const client = await db.connect();
  try {
    let now = Date.now() + 3_600_000; // simulated time, ahead of the rows' real timestamps
    await seed(db, o.cameras, now);
    const repo = new LivenessRepository(db);
    const tx = onConnection(client);
    const runTicks = async (ticks: number, statements: number) => {
      const totals = { rounds: 0, writeBacks: 0, claimMs: 0, writeMs: 0, dbMs: -dbCpuMs(), clientMs: -procCpuMs(process.pid, process.pid) };
      for (let i = 0; i < ticks; i++) {
        now += TICK_MS;
        let t = performance.now();
        const claimed = await repo.claimDue(tx, config.liveness.workerId, new Date(now), config.liveness.batchSize, config.liveness.leaseMs, 0);
        totals.claimMs += performance.now() - t;
        const writes = claimed.map((camera) => evaluateRound(camera, HEALTHY, config.liveness, now + 20).write);
        const size = Math.ceil(writes.length / statements);
        t = performance.now();
        for (let k = 0; k < writes.length; k += size, totals.writeBacks++) await repo.recordRounds(config.liveness.workerId, writes.slice(k, k + size));
        totals.writeMs += performance.now() - t;
        totals.rounds += claimed.length;
      }
      totals.dbMs += dbCpuMs();
      totals.clientMs += procCpuMs(process.pid, process.pid);
      return totals;
    };
    log(`backend ${backend.name}; ${o.cameras} cameras seeded; warming up for two intervals`);
    await runTicks(120, 1); // two intervals: every camera is on its phase slot
    const runs = [];
    for (let rep = 0; rep < o.repeat; rep++) {
      for (const statements of o.statements) {
        const t = await runTicks(o.ticks, statements);
        const per1000 = (ms: number) => r1((ms * 1000) / t.rounds);
        const run = {
          statementsPerTick: statements, rounds: t.rounds, roundsPerStatement: r1(t.rounds / t.writeBacks),
          dbCpuMsPer1000: per1000(t.dbMs), clientMainCpuMsPer1000: per1000(t.clientMs),
          claimMsPer1000: per1000(t.claimMs), writeBackMsPer1000: per1000(t.writeMs), writeBackMsPerStatement: r1(t.writeMs / t.writeBacks),
        };
        log(JSON.stringify(run));
        runs.push(run);
      }
    }
    process.stdout.write(`${JSON.stringify({ bench: 'writeback', backend: backend.name, cameras: o.cameras, ticksPerRun: o.ticks, runs })}\n`);
  } finally {
    client.release();
    await db.close();
    await backend.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
