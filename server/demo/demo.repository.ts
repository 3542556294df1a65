import type { Queryable } from '../storage/db.js';

/** The demo's own SQL (kept in a repository like all SQL): spreading a fresh fleet's first checks. */
export class DemoRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Moves every checkable, unclaimed camera's next check to an even slot in [now, now + windowMs)
   * (in camera-id order, so towns and NVR channels interleave). A freshly registered fleet is due all
   * at once; spread, the first round of 2,000 cameras is a steady 200 a second for 10 s instead of
   * one burst. Returns how many cameras were moved.
   */
  async spreadFirstChecks(windowMs: number): Promise<number> {
    const rows = await this.db.query(
      `WITH o AS (
         SELECT camera_id, (row_number() OVER (ORDER BY camera_id) - 1)::float8 / count(*) OVER () AS f
         FROM camera_checks WHERE next_check_at < 'infinity' AND claimed_by IS NULL)
       UPDATE camera_checks k SET next_check_at = now() + make_interval(secs => o.f * $1::float8 / 1000)
       FROM o WHERE k.camera_id = o.camera_id RETURNING 1`,
      [windowMs],
    );
    return rows.length;
  }
}
