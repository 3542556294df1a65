import type { Database } from './db.js';

const TABLES = new Set(['cameras', 'camera_checks', 'outage_log', 'probe_samples']);

/** One table's periodic upkeep: always VACUUM; ANALYZE when its statistics are older than `analyzeAfterMs`. */
export interface Upkeep {
  table: string;
  /** 0: ANALYZE on every run. */
  analyzeAfterMs: number;
}

/**
 * Table upkeep. PGlite has no autovacuum and some servers run with it off, while camera_checks is
 * rewritten on every check round: without VACUUM it bloats and counts lose their index-only scans.
 */
export class MaintenanceRepository {
  constructor(private readonly db: Database) {}

  /** VACUUM (ANALYZE) the named tables, one statement each (VACUUM cannot run in a transaction). */
  async vacuumAnalyze(tables: readonly string[]): Promise<void> {
    await this.upkeep(tables.map((table) => ({ table, analyzeAfterMs: 0 })));
  }

  /**
   * VACUUM each table, with ANALYZE when its statistics (by ANALYZE or autovacuum) are older than asked.
   * Age, not the share of rows changed as autovacuum judges: PGlite runs single-user and never
   * publishes its change counters (n_mod_since_analyze stays 0), while last_analyze is kept.
   * Returns the tables analyzed.
   */
  async upkeep(items: readonly Upkeep[]): Promise<string[]> {
    const analyzed: string[] = [];
    for (const { table, analyzeAfterMs } of items) {
      checked(table);
      const analyze = analyzeAfterMs === 0 || !(await this.analyzedWithin(table, analyzeAfterMs));
      await this.db.query(analyze ? `VACUUM (ANALYZE) ${table}` : `VACUUM ${table}`);
      if (analyze) analyzed.push(table);
    }
    return analyzed;
  }

  private async analyzedWithin(table: string, ms: number): Promise<boolean> {
    const [row] = await this.db.query<{ fresh: boolean | null }>(
      `SELECT greatest(last_analyze, last_autoanalyze) > now() - make_interval(secs => $2::float8 / 1000) AS fresh
       FROM pg_stat_user_tables WHERE relname = $1 AND schemaname = current_schema()`,
      [table, ms],
    );
    return row?.fresh === true;
  }
}

function checked(table: string): void {
  if (!TABLES.has(table)) throw new Error(`not a maintained table: ${table}`);
}
