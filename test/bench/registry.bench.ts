/**
 * Registry benchmark: `npm run bench:registry`.
 *
 * 1. Imports a generated 10,000-row XLSX (Chinese headers, every column) through the real HTTP
 *    API and times it end to end (upload → report).
 * 2. Grows the fleet to 100,000 cameras through CameraRepository.insertMany, marks ~3% offline
 *    or degraded, ANALYZEs, and times a fixed seeded mix of GET /api/v1/cameras requests.
 * 3. Prints exactly one JSON line on stdout; progress and per-kind figures go to stderr.
 *
 * Every request carries an admin API token, as an integration's would: its lookup is part of the cost.
 *
 * Backend: embedded PGlite in a fresh temporary folder, or — when DATABASE_URL is set — a
 * throw-away database `sem_bench_<pid>` created on that server and dropped at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/index.js';
import { createContext, type AppContext } from '../../server/context.js';
import { createApp } from '../../server/app.js';
import { silentLogger } from '../../server/logger.js';
import { writeXlsx } from '../../server/services/table/table-writer.js';
import { ensureFirstAdmin, FIRST_ADMIN } from '../../server/services/access/bootstrap-admin.js';
import { cliActor } from '../../server/services/access/audit-trail.js';
import { throwAwayDatabase, type Backend } from './probe-env.js';
import { instrumentSql, logPerKind, percentile, perKindFigures, r1, type Sample } from './registry-report.js';
import { importSheet, storedCamera } from './fleet-generator.js';
import { api, buildMix, collectCursors, FLEET_SIZE, getJson, KINDS, type ListBody } from './registry-mix.js';

const IMPORT_ROWS = 10_000;
const INSERT_CHUNK = 10_000;
const PER_KIND = 20;
const WARMUP_PER_KIND = 3;
const MIX_SEED = 20240601;
const WARMUP_SEED = 7;
/**
 * The product vacuums its tables on a schedule (VACUUM_CRON, every 5 min) and after large imports, so a
 * registry at rest is vacuumed: measure that. BENCH_VACUUM=0 measures right after a raw bulk load instead.
 */
const VACUUM = process.env.BENCH_VACUUM !== '0';
const BENCH_KEY = 'b7e1c2d4e5f6a7980112233445566778899aabbccddeeff00112233445566778';
const BENCH_ADMIN_PASSWORD = 'Bench night shift 42';
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

/** The first admin and an API token of theirs, made the way `npm run users -- token` does. */
async function adminToken(ctx: AppContext): Promise<string> {
  await ensureFirstAdmin(ctx.userRepo, ctx.audit, silentLogger, BENCH_ADMIN_PASSWORD, () => undefined);
  const admin = await ctx.userRepo.findByUsername(FIRST_ADMIN);
  if (!admin) throw new Error(`no "${FIRST_ADMIN}" account after ensureFirstAdmin`);
  return (await ctx.tokens.create({ userId: admin.id, name: 'registry bench' }, null, cliActor())).secret;
}

/** How much of the table is all-visible (index-only scans need it) and whether autovacuum ran. */
async function logVisibility(ctx: AppContext, when: string): Promise<void> {
  const [cls] = await ctx.db.query<{ relpages: number; relallvisible: number }>(
    `SELECT relpages, relallvisible FROM pg_class WHERE oid = 'cameras'::regclass`,
  );
  const [stat] = await ctx.db.query<{ last_autovacuum: Date | null; last_autoanalyze: Date | null; n_dead_tup: number }>(
    `SELECT last_autovacuum, last_autoanalyze, n_dead_tup FROM pg_stat_user_tables WHERE relid = 'cameras'::regclass`,
  );
  log(
    `${when}: ${cls.relallvisible}/${cls.relpages} heap pages all-visible; ` +
      `autovacuum ${stat?.last_autovacuum ? stat.last_autovacuum.toISOString() : 'never'}, dead tuples ${stat?.n_dead_tup ?? '?'}`,
  );
}

// ---------------------------------------------------------------------------------------------

async function run(ctx: AppContext, base: string, backend: Backend['name']) {
  const token = await adminToken(ctx);
  // 1. Import: build the sheet (not timed), then time the HTTP upload until the report arrives.
  let t = performance.now();
  const sheet = importSheet(0, IMPORT_ROWS);
  const xlsx = await writeXlsx(sheet.headers, sheet.rows, { sheetName: '摄像机台账' });
  log(`generated ${IMPORT_ROWS}-row xlsx (${(xlsx.length / 1024).toFixed(0)} KiB, ${sheet.headers.length} columns) in ${r1(performance.now() - t)} ms`);

  const form = new FormData();
  form.append('file', new Blob([xlsx], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), '郎溪县摄像机台账.xlsx');
  t = performance.now();
  const res = await api(`${base}/cameras/import`, token, { method: 'POST', body: form });
  const reportText = await res.text();
  const importMs = performance.now() - t;
  let report: { create?: number; committed?: boolean; invalid?: unknown[] };
  try {
    report = JSON.parse(reportText);
  } catch {
    throw new Error(`import answered ${res.status} with non-JSON: ${reportText.slice(0, 500)}`);
  }
  if (res.status !== 200 || report.create !== IMPORT_ROWS || report.committed !== true) {
    const invalid = Array.isArray(report.invalid) ? ` first invalid: ${JSON.stringify(report.invalid.slice(0, 5))}` : '';
    throw new Error(`import failed: HTTP ${res.status}, create=${report.create}, committed=${report.committed}.${invalid} ${reportText.slice(0, 300)}`);
  }
  log(`import: ${IMPORT_ROWS} rows created in ${r1(importMs)} ms`);

  // 2. Grow the fleet to FLEET_SIZE (time only the inserts), mark ~3% offline/degraded, ANALYZE.
  let insertMs = 0;
  const seal = (plain: string) => ctx.cipher.encrypt(plain);
  for (let first = IMPORT_ROWS; first < FLEET_SIZE; first += INSERT_CHUNK) {
    const rows = [];
    for (let n = first; n < Math.min(FLEET_SIZE, first + INSERT_CHUNK); n++) rows.push(storedCamera(n, seal));
    t = performance.now();
    const inserted = await ctx.cameras.insertMany(rows);
    insertMs += performance.now() - t;
    if (inserted !== rows.length) throw new Error(`insertMany inserted ${inserted} of ${rows.length}`);
  }
  const [{ n: cameras }] = await ctx.db.query<{ n: number }>('SELECT count(*) AS n FROM cameras');
  if (cameras !== FLEET_SIZE) throw new Error(`expected ${FLEET_SIZE} cameras, found ${cameras}`);
  log(`grew the fleet to ${cameras} cameras (insertMany ${r1(insertMs)} ms)`);

  t = performance.now();
  const flagged = await ctx.db.query<{ status: string }>(
    `UPDATE cameras SET
       status = CASE WHEN abs(hashtext(device_id)) % 3 = 0 THEN 'degraded' ELSE 'offline' END,
       status_since = now() - (abs(hashtext(device_id)) % 86400) * interval '1 second',
       status_cause = CASE WHEN abs(hashtext(device_id)) % 3 = 0 THEN 'packet loss 12%' ELSE 'RTSP connect timeout' END
     WHERE abs(hashtext(device_id || 'status')) % 100 < 3
     RETURNING status`,
  );
  await ctx.db.query(VACUUM ? 'VACUUM ANALYZE cameras' : 'ANALYZE cameras');
  const offline = flagged.filter((r) => r.status === 'offline').length;
  log(`marked ${offline} offline, ${flagged.length - offline} degraded; ${VACUUM ? 'VACUUM ANALYZE' : 'ANALYZE'} done (${r1(performance.now() - t)} ms)`);
  await logVisibility(ctx, 'before the list mix');

  // 3. List latency: warm-up, then the measured mix, one request at a time.
  const cursors = await collectCursors(base, token);
  for (const { query } of buildMix(WARMUP_SEED, WARMUP_PER_KIND, cursors)) await getJson<ListBody>(`${base}/cameras?${query}`, token);
  const samples: Sample[] = [];
  const mix = buildMix(MIX_SEED, PER_KIND, cursors);
  log(`measuring ${mix.length} list requests (${Object.keys(KINDS).length} kinds × ${PER_KIND}) after ${Object.keys(KINDS).length * WARMUP_PER_KIND} warm-up requests`);
  const probe = instrumentSql(ctx);
  for (const { kind, query } of mix) {
    const sql = { list: 0, count: 0, auth: 0 };
    probe.current = sql;
    const { body, ms } = await getJson<ListBody>(`${base}/cameras?${query}`, token);
    probe.current = null;
    if (!Array.isArray(body.items) || typeof body.total !== 'number') throw new Error(`GET /cameras?${query}: unexpected body`);
    samples.push({ kind, query, ms, items: body.items.length, total: body.total, listSqlMs: sql.list, countSqlMs: sql.count, authSqlMs: sql.auth });
  }
  await logVisibility(ctx, 'after the list mix');
  const empty = samples.filter((s) => s.items === 0);
  if (empty.length > samples.length / 10) {
    throw new Error(`${empty.length} of ${samples.length} list requests returned nothing, e.g. ${empty.slice(0, 3).map((s) => s.query).join(' | ')}`);
  }

  const perKind = perKindFigures(samples);
  logPerKind(perKind, backend, log);
  const all = samples.map((s) => s.ms);

  // 4. Export of the whole fleet as CSV (one request; the xlsx writer is the slower path and is not timed here).
  t = performance.now();
  const exp = await api(`${base}/cameras/export?format=csv`, token);
  const exported = Buffer.from(await exp.arrayBuffer());
  const exportMs = performance.now() - t;
  if (exp.status !== 200) throw new Error(`export → ${exp.status}: ${exported.toString('utf8').slice(0, 300)}`);
  const exportRows = Number(exp.headers.get('x-row-count'));
  log(`export csv: ${exportRows} rows, ${(exported.length / 1048576).toFixed(1)} MiB in ${r1(exportMs)} ms`);

  return {
    bench: 'registry',
    backend,
    importRows: IMPORT_ROWS,
    importMs: Math.round(importMs),
    cameras,
    listP95Ms: r1(percentile(all, 95)),
    listP50Ms: r1(percentile(all, 50)),
    listP99Ms: r1(percentile(all, 99)),
    listMaxMs: r1(Math.max(...all)),
    queries: samples.length,
    slowestKind: perKind[0].kind,
    slowestKindP95Ms: r1(perKind[0].p95),
    listSqlP95Ms: r1(percentile(samples.map((s) => s.listSqlMs), 95)),
    countSqlP95Ms: r1(percentile(samples.map((s) => s.countSqlMs), 95)),
    authSqlP95Ms: r1(percentile(samples.map((s) => s.authSqlMs), 95)),
    vacuum: VACUUM,
    insertMs: Math.round(insertMs),
    exportMs: Math.round(exportMs),
    exportRows,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

async function main(): Promise<number> {
  const adminUrl = process.env.DATABASE_URL || undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sem-bench-'));
  let backend: Backend | undefined;
  let ctx: AppContext | undefined;
  let server: Server | undefined;
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
      // Newer contexts carry a state-event bus (a LISTEN connection on PostgreSQL): close it before the pool.
      await (ctx as { bus?: { close(): Promise<void> } } | undefined)?.bus?.close().catch(() => undefined);
      await ctx?.db.close().catch((err: unknown) => log(`closing the database failed: ${String(err)}`));
      await backend?.drop().catch((err: unknown) => log(`dropping the bench database failed: ${String(err)}`));
      rmSync(dataDir, { recursive: true, force: true });
    })());
  // Ctrl-C must not leave a sem_bench_<pid> database on the server or a temp folder behind.
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(1));
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    backend = adminUrl ? await throwAwayDatabase(adminUrl) : { name: 'pglite', drop: async () => undefined };
    const config = loadConfig({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      CAMERA_SECRET_KEY: BENCH_KEY,
      RATE_LIMIT_PER_MINUTE: '10000000',
      IMPORT_RATE_LIMIT_PER_MINUTE: '10000',
      // The liveness workers (when this build has them) must not probe 100,000 made-up cameras mid-measurement.
      WORKER_ENABLED: 'false',
      ...(backend.databaseUrl ? { DATABASE_URL: backend.databaseUrl } : {}),
    });
    log(`backend ${backend.name}${backend.name === 'pglite' ? ` in ${config.pgliteDir}` : ''}`);
    log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')} (other work on the machine skews the figures)`);
    ctx = await createContext(config, silentLogger);
    server = createApp(ctx).listen(0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => server!.once('listening', resolve).once('error', reject));
    const { port } = server.address() as AddressInfo;
    const result = await run(ctx, `http://127.0.0.1:${port}/api/v1`, backend.name);
    log(`load average at the end ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
    process.stdout.write(JSON.stringify(result) + '\n');
    const missed = [
      result.importMs > 10_000 && backend.name === 'pglite' ? `importMs ${result.importMs} > 10000` : '',
      result.listP95Ms > 50 ? `listP95Ms ${result.listP95Ms} > 50` : '',
    ].filter(Boolean);
    if (missed.length > 0) log(`target missed: ${missed.join(', ')}`);
    return 0;
  } catch (err) {
    process.stderr.write(`bench:registry failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench:registry failed: ${String(err)}\n`);
    process.exit(1);
  },
);
