import type { Database } from './db.js';

const TABLES = new Set(['cameras', 'camera_checks', 'outage_log', 'probe_samples']);

/**
 * Table upkeep. PGlite has no autovacuum and some servers run with it off, while camera_checks is
 * rewritten on every check round: without VACUUM it bloats and counts lose their index-only scans.
 */
export class MaintenanceRepository {
  constructor(private readonly db: Database) {}

  /** VACUUM (ANALYZE) the named tables, one statement each (VACUUM cannot run in a transaction). */
  async vacuumAnalyze(tables: readonly string[]): Promise<void> {
    for (const table of tables) {
      if (!TABLES.has(table)) throw new Error(`not a maintained table: ${table}`);
      await this.db.query(`VACUUM (ANALYZE) ${table}`);
    }
  }
}
