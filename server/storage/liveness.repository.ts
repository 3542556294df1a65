import type { CameraStatus, PointClass } from '../domain/camera.js';
import type { Database, Queryable } from './db.js';
import type { NamedStatement } from './named-statement.js';

/** A camera a worker has claimed for one check round. */
export interface ClaimedCamera {
  id: string;
  deviceId: string;
  name: string;
  town: string;
  network: string;
  pointClass: PointClass | null;
  rtspUrl: string | null;
  onvifUrl: string | null;
  username: string | null;
  passwordEnc: string | null;
  status: CameraStatus;
  statusSince: Date | null;
  statusCause: string | null;
  healthStreak: number;
  healthDirection: 'worse' | 'better' | null;
  maintenanceUntil: Date | null;
  lastSampleAt: Date | null;
  /** When the check was due (before the claim pushed it forward): schedule lag = start − dueAt. */
  dueAt: Date;
}

/** What a finished round writes back. */
export interface RoundWrite {
  cameraId: string;
  at: Date;
  status: CameraStatus;
  statusSince: Date | null;
  cause: string | null;
  healthStreak: number;
  healthDirection: 'worse' | 'better' | null;
  verdict: string;
  latencyMs: number | null;
  evidence: unknown;
  nextCheckAt: Date;
  /** Status or cause differ from what the camera row holds. */
  cameraChanged: boolean;
  /** Present when the status changed: one outage-log row. */
  change?: { from: CameraStatus; to: CameraStatus; fromSince: Date | null; town: string; network: string };
  /** Present when this round is kept as a raw sample. */
  sample?: {
    verdict: string;
    rtsp?: { ok: boolean; ms: number; fail: string | null };
    onvif?: { ok: boolean; ms: number; fail: string | null };
    tcp?: { ok: boolean; ms: number };
  };
}

const CLAIMED_FIELDS = `c.id, c.device_id AS "deviceId", c.name, c.town_code AS town, c.network_code AS network,
  c.point_class AS "pointClass", c.rtsp_main_url AS "rtspUrl", c.onvif_url AS "onvifUrl", c.username,
  c.password_enc AS "passwordEnc", c.status, c.status_since AS "statusSince", c.status_cause AS "statusCause",
  k.health_streak AS "healthStreak", k.health_direction AS "healthDirection", c.maintenance_until AS "maintenanceUntil",
  k.last_sample_at AS "lastSampleAt", due.next_check_at AS "dueAt"`;

/**
 * A claimed batch arrives as one JSON array (json_agg): one native JSON.parse instead of pg building
 * and parsing 18 typed fields per row — the claim is on every round's path. Timestamps come as
 * ISO 8601 with offset, which Date reads natively.
 */
function parseClaimed(batch: string | null): ClaimedCamera[] {
  if (batch === null) return [];
  const rows = JSON.parse(batch) as Array<Record<keyof ClaimedCamera, unknown>>;
  for (const row of rows) {
    row.statusSince = toDate(row.statusSince);
    row.maintenanceUntil = toDate(row.maintenanceUntil);
    row.lastSampleAt = toDate(row.lastSampleAt);
    row.dueAt = toDate(row.dueAt);
  }
  return rows as unknown as ClaimedCamera[];
}

const toDate = (value: unknown): Date | null => (typeof value === 'string' ? new Date(value) : null);

/** Run every second by each worker: prepared once per connection (see NamedStatement). */
const CLAIM_DUE: NamedStatement = {
  name: 'liveness_claim_due',
  text: `WITH due AS (
     SELECT camera_id, next_check_at FROM camera_checks
     WHERE next_check_at <= $2::timestamptz + make_interval(secs => $5::float8 / 1000)
     ORDER BY next_check_at LIMIT $3 FOR UPDATE SKIP LOCKED),
   claimed AS (
     UPDATE camera_checks k SET next_check_at = $2::timestamptz + make_interval(secs => $4::float8 / 1000), claimed_by = $1
     FROM due JOIN cameras c ON c.id = due.camera_id
     WHERE k.camera_id = ANY (ARRAY(SELECT camera_id FROM due)) AND k.camera_id = due.camera_id
     RETURNING ${CLAIMED_FIELDS})
   SELECT json_agg(claimed)::text AS batch FROM claimed`,
};

const RECORD_ROUNDS: NamedStatement = {
  name: 'liveness_record_rounds',
  text: `WITH v AS MATERIALIZED (
     SELECT v.*, d.doc->'e' AS evidence, d.doc->'c' AS change, d.doc->'s' AS sample
     FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::timestamptz[], $5::text[], $6::int2[], $7::text[],
       $8::text[], $9::real[], $10::timestamptz[], $11::bool[]) WITH ORDINALITY
       AS v("cameraId", at, status, "statusSince", cause, "healthStreak", "healthDirection", verdict, "latencyMs",
         "nextCheckAt", "cameraChanged", n)
     JOIN jsonb_array_elements($12::jsonb) WITH ORDINALITY AS d(doc, n) USING (n)),
   mine AS (
     UPDATE camera_checks k SET health_streak = v."healthStreak", health_direction = v."healthDirection", last_check_at = v.at,
       last_verdict = v.verdict, last_latency_ms = v."latencyMs", last_evidence = v.evidence, next_check_at = v."nextCheckAt",
       claimed_by = NULL, last_sample_at = CASE WHEN v.sample IS NOT NULL THEN v.at ELSE k.last_sample_at END
     FROM v WHERE k.camera_id = v."cameraId" AND k.claimed_by = $13
     RETURNING v.*),
   -- The wide registry row changes only when status or cause does.
   registry AS (
     UPDATE cameras c SET status = m.status, status_since = m."statusSince", status_cause = m.cause
     FROM mine m WHERE m."cameraChanged" AND c.id = m."cameraId"),
   samples AS (
     INSERT INTO probe_samples (camera_id, at, worker_id, verdict, rtsp_ok, rtsp_ms, rtsp_fail, onvif_ok, onvif_ms, onvif_fail, tcp_ok, tcp_ms)
     SELECT m."cameraId", m.at, $13, m.sample->>'verdict',
       (m.sample#>>'{rtsp,ok}')::bool, (m.sample#>>'{rtsp,ms}')::real, m.sample#>>'{rtsp,fail}',
       (m.sample#>>'{onvif,ok}')::bool, (m.sample#>>'{onvif,ms}')::real, m.sample#>>'{onvif,fail}',
       (m.sample#>>'{tcp,ok}')::bool, (m.sample#>>'{tcp,ms}')::real
     FROM mine m WHERE m.sample IS NOT NULL)
   INSERT INTO outage_log (camera_id, town_code, network_code, from_status, to_status, at, from_since, cause, evidence, worker_id)
   SELECT m."cameraId", m.change->>'town', m.change->>'network', m.change->>'from', m.change->>'to', m.at,
     (m.change->>'fromSince')::timestamptz, m.cause, m.evidence, $13
   FROM mine m WHERE m.change IS NOT NULL
   ORDER BY m.at, m."cameraId"
   RETURNING id, camera_id`,
};

/** All SQL of the liveness engine: claims, batched write-back, outage log, samples. */
export class LivenessRepository {
  constructor(private readonly db: Database) {}

  /**
   * Claims up to `limit` cameras due by `now + lookaheadMs` for `workerId`. The claim pushes
   * next_check_at to `now + leaseMs`, so other workers skip them and a crashed worker's cameras
   * fall due again when the lease runs out. SKIP LOCKED lets any number of workers claim at once.
   * Use a dedicated connection per claimer: on PGlite, claims sharing one connection see the same rows.
   * The rows to update are named by `= ANY (ARRAY(SELECT … FROM due))`, an index lookup of the claimed
   * ids whatever the planner guesses: with a plain join, `due` is estimated at `limit` rows, and around
   * 10,000 cameras the planner chose a hash join that read and hashed all of camera_checks on every
   * claim (half the claim's time there; larger fleets got index lookups again).
   */
  async claimDue(client: Queryable, workerId: string, now: Date, limit: number, leaseMs: number, lookaheadMs: number): Promise<ClaimedCamera[]> {
    const rows = await client.query<{ batch: string | null }>(
      CLAIM_DUE,
      [workerId, now, limit, leaseMs, lookaheadMs],
    );
    return parseClaimed(rows[0]?.batch ?? null);
  }

  /**
   * Writes a batch of rounds in one statement through `unnest()` (atomic by itself, one round trip
   * instead of BEGIN, three or four statements and COMMIT): check state, camera status, outage rows,
   * samples — each only for rounds whose claim is still ours (a lease that ran out belongs to another
   * worker now). Returns the outage-log id of each camera whose change was recorded (the event seq).
   * The JSON documents of each round (evidence, change, sample) travel as one JSON array matched by
   * position (WITH ORDINALITY), not as a jsonb[] literal: pg escaped every quote of every document
   * for the literal, a quarter of the write-back's CPU. Timestamps go as ISO text for the same reason.
   */
  async recordRounds(workerId: string, rounds: RoundWrite[]): Promise<Map<string, number>> {
    const seqs = new Map<string, number>();
    if (rounds.length === 0) return seqs;
    const logged = await this.db.query<{ id: number; camera_id: string }>(
      RECORD_ROUNDS,
      [
        ...roundColumns(rounds),
        workerId,
      ],
    );
    for (const row of logged) seqs.set(row.camera_id, row.id);
    return seqs;
  }

  /**
   * Claims one camera now, for an operator's "check now": only if no worker holds it (or its lease
   * ran out). Returns null when a worker is checking it at this moment.
   */
  async claimOne(cameraId: string, claimer: string, now: Date, leaseMs: number): Promise<ClaimedCamera | null> {
    const rows = await this.db.query<ClaimedCamera>(
      `WITH due AS (
         SELECT k.camera_id, k.next_check_at FROM camera_checks k
         WHERE k.camera_id = $1 AND (k.claimed_by IS NULL OR k.next_check_at <= $3) AND k.next_check_at < 'infinity'
         FOR UPDATE SKIP LOCKED)
       UPDATE camera_checks k SET next_check_at = $3::timestamptz + make_interval(secs => $4::float8 / 1000), claimed_by = $2
       FROM due JOIN cameras c ON c.id = due.camera_id
       WHERE k.camera_id = due.camera_id
       RETURNING ${CLAIMED_FIELDS}`,
      [cameraId, claimer, now, leaseMs],
    );
    return rows[0] ?? null;
  }

  /** Deletes raw samples older than `before`; returns how many. */
  async pruneSamples(before: Date): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      'WITH gone AS (DELETE FROM probe_samples WHERE at < $1 RETURNING 1) SELECT count(*) AS n FROM gone',
      [before],
    );
    return rows[0].n;
  }

  /** Releases this worker's claims (on shutdown) so another worker picks them up at once. */
  async releaseClaims(workerId: string, now: Date): Promise<void> {
    await this.db.query('UPDATE camera_checks SET next_check_at = $2, claimed_by = NULL WHERE claimed_by = $1', [workerId, now]);
  }
}

/**
 * The unnest() columns of recordRounds ($1..$12) in one pass. A loop, not a map() closure per column
 * per call: V8 drops the optimised code of per-call closures at every full GC, and these ran each flush.
 */
function roundColumns(rounds: RoundWrite[]): unknown[] {
  const ids: string[] = [], at: string[] = [], status: string[] = [], since: Array<string | null> = [];
  const cause: Array<string | null> = [], streak: number[] = [], direction: Array<string | null> = [], verdict: string[] = [];
  const latency: Array<number | null> = [], next: string[] = [], changed: boolean[] = [], docs: object[] = [];
  for (const r of rounds) {
    ids.push(r.cameraId);
    at.push(r.at.toISOString());
    status.push(r.status);
    since.push(r.statusSince?.toISOString() ?? null);
    cause.push(r.cause);
    streak.push(r.healthStreak);
    direction.push(r.healthDirection);
    verdict.push(r.verdict);
    latency.push(r.latencyMs);
    next.push(r.nextCheckAt.toISOString());
    changed.push(r.cameraChanged);
    docs.push({ e: r.evidence ?? null, c: r.change, s: r.sample });
  }
  return [ids, at, status, since, cause, streak, direction, verdict, latency, next, changed, JSON.stringify(docs)];
}
