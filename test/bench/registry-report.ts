/** Per-request figures of the registry bench, and the per-kind table it prints to stderr. */
import type { AppContext } from '../../server/context.js';

export interface Sample {
  kind: string;
  query: string;
  ms: number;
  items: number;
  total: number;
  /** Time inside the page query, the count(*) query (sent side by side) and the sign-in (token) queries. */
  listSqlMs: number;
  countSqlMs: number;
  authSqlMs: number;
}

export interface SqlTimes {
  list: number;
  count: number;
  auth: number;
}

/**
 * Wraps ctx.db.query so each request's SQL time can be split into the page query, the count and
 * everything else (on a list request that is the bearer token's lookup).
 */
export function instrumentSql(ctx: AppContext): { current: SqlTimes | null } {
  const probe: { current: SqlTimes | null } = { current: null };
  const db = ctx.db as unknown as { query: (sql: string, params?: readonly unknown[]) => Promise<unknown[]> };
  const original = db.query.bind(ctx.db);
  db.query = async (sql, params) => {
    const started = performance.now();
    try {
      return await original(sql, params);
    } finally {
      const into = probe.current;
      if (into) {
        const ms = performance.now() - started;
        if (/^\s*SELECT count\(\*\)/i.test(sql)) into.count += ms;
        else if (/\bFROM cameras\b/i.test(sql)) into.list += ms;
        else into.auth += ms;
      }
    }
  };
  return probe;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const r1 = (v: number) => Math.round(v * 10) / 10;

export interface KindFigures {
  kind: string;
  n: number;
  p50: number;
  p95: number;
  max: number;
  slowest: string;
  listSqlP95: number;
  countSqlP95: number;
  authSqlP95: number;
  avgItems: number;
  avgTotal: number;
}

/** Figures per query kind, slowest p95 first. */
export function perKindFigures(samples: Sample[]): KindFigures[] {
  const byKind = new Map<string, Sample[]>();
  for (const s of samples) byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s]);
  const perKind = [...byKind].map(([kind, list]) => {
    const ms = list.map((s) => s.ms);
    const slowest = list.reduce((a, b) => (b.ms > a.ms ? b : a));
    return {
      kind,
      n: list.length,
      p50: percentile(ms, 50),
      p95: percentile(ms, 95),
      max: slowest.ms,
      slowest: slowest.query,
      listSqlP95: percentile(list.map((s) => s.listSqlMs), 95),
      countSqlP95: percentile(list.map((s) => s.countSqlMs), 95),
      authSqlP95: percentile(list.map((s) => s.authSqlMs), 95),
      avgItems: list.reduce((a, s) => a + s.items, 0) / list.length,
      avgTotal: list.reduce((a, s) => a + s.total, 0) / list.length,
    };
  });
  return perKind.sort((a, b) => b.p95 - a.p95);
}

export function logPerKind(perKind: KindFigures[], backend: string, log: (msg: string) => void): void {
  log(`per-kind latency on ${backend} (ms, slowest p95 first):`);
  log(`  ${'kind'.padEnd(16)} ${'n'.padStart(3)} ${'p50'.padStart(6)} ${'p95'.padStart(6)} ${'max'.padStart(6)} ${'pageSQL'.padStart(7)} ${'countSQL'.padStart(8)} ${'authSQL'.padStart(7)} ${'items'.padStart(5)} ${'total'.padStart(6)}  slowest query`);
  for (const k of perKind) {
    const cells = [k.p50, k.p95, k.max].map((v) => v.toFixed(1).padStart(6)).join(' ');
    const sql = `${k.listSqlP95.toFixed(1).padStart(7)} ${k.countSqlP95.toFixed(1).padStart(8)} ${k.authSqlP95.toFixed(1).padStart(7)}`;
    log(`  ${k.kind.padEnd(16)} ${String(k.n).padStart(3)} ${cells} ${sql} ${k.avgItems.toFixed(0).padStart(5)} ${k.avgTotal.toFixed(0).padStart(6)}  ${decodeURIComponent(k.slowest).slice(0, 70)}`);
  }
  log('  (p50/p95/max: HTTP round trip; pageSQL/countSQL/authSQL: p95 time inside the page query, the count(*) query');
  log('   and the bearer-token lookup; page and count are sent together, and PGlite runs one at a time, so there');
  log('   countSQL includes waiting for the page query)');
}
