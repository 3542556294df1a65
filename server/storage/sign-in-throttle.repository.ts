import type { Queryable } from './db.js';
import type { ThrottleCounter } from '../domain/sign-in-throttle.js';

interface Row {
  key: string;
  failures: number;
  last_failure_at: Date;
  locked_until: Date | null;
}

/** Failed sign-in counters per account and per client address. */
export class SignInThrottleRepository {
  constructor(private readonly db: Queryable) {}

  async load(keys: readonly string[]): Promise<Map<string, ThrottleCounter>> {
    const rows = await this.db.query<Row>('SELECT * FROM sign_in_throttle WHERE key = ANY($1::text[])', [keys]);
    return new Map(rows.map((r) => [r.key, { failures: r.failures, lastFailureAt: r.last_failure_at, lockedUntil: r.locked_until }]));
  }

  async save(key: string, c: ThrottleCounter): Promise<void> {
    await this.db.query(
      `INSERT INTO sign_in_throttle (key, failures, last_failure_at, locked_until) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET failures = EXCLUDED.failures, last_failure_at = EXCLUDED.last_failure_at,
         locked_until = EXCLUDED.locked_until`,
      [key, c.failures, c.lastFailureAt, c.lockedUntil],
    );
  }

  async clear(key: string): Promise<void> {
    await this.db.query('DELETE FROM sign_in_throttle WHERE key = $1', [key]);
  }

  async pruneOlderThan(before: Date): Promise<void> {
    await this.db.query('DELETE FROM sign_in_throttle WHERE last_failure_at < $1 AND (locked_until IS NULL OR locked_until < $1)', [before]);
  }
}
