import type { CameraStatus, PointClass } from '../domain/camera.js';
import type { Database, Queryable } from './db.js';

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

/** All SQL of the liveness engine: claims, batched write-back, outage log, samples. */
export class LivenessRepository {
  constructor(private readonly db: Database) {}

  /**
   * Claims up to `limit` cameras due by `now + lookaheadMs` for `workerId`. The claim pushes
   * next_check_at to `now + leaseMs`, so other workers skip them and a crashed worker's cameras
   * fall due again when the lease runs out. SKIP LOCKED lets any number of workers claim at once.
   * Use a dedicated connection per claimer: on PGlite, claims sharing one connection see the same rows.
   */
  async claimDue(client: Queryable, workerId: string, now: Date, limit: number, leaseMs: number, lookaheadMs: number): Promise<ClaimedCamera[]> {
    return client.query<ClaimedCamera>(
      `WITH due AS (
         SELECT camera_id, next_check_at FROM camera_checks
         WHERE next_check_at <= $2::timestamptz + make_interval(secs => $5::float8 / 1000)
         ORDER BY next_check_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       UPDATE camera_checks k SET next_check_at = $2::timestamptz + make_interval(secs => $4::float8 / 1000), claimed_by = $1
       FROM due JOIN cameras c ON c.id = due.camera_id
       WHERE k.camera_id = due.camera_id
       RETURNING ${CLAIMED_FIELDS}`,
      [workerId, now, limit, leaseMs, lookaheadMs],
    );
  }

  /**
   * Writes a batch of rounds in one transaction: check state (unnest), camera status, outage rows,
   * samples. Returns the outage-log id of each camera whose change was recorded (the event seq).
   */
  async recordRounds(workerId: string, rounds: RoundWrite[]): Promise<Map<string, number>> {
    const seqs = new Map<string, number>();
    if (rounds.length === 0) return seqs;
    await this.db.transaction(async (tx) => {
      // Only rounds whose claim is still ours are written: a lease that ran out belongs to another worker now.
      const written = await tx.query<{ id: string }>(
        `UPDATE camera_checks k SET health_streak = v.streak, health_direction = v.direction, last_check_at = v.at,
           last_verdict = v.verdict, last_latency_ms = v.latency, last_evidence = v.evidence, next_check_at = v.next_check_at,
           claimed_by = NULL, last_sample_at = CASE WHEN v.sampled THEN v.at ELSE k.last_sample_at END
         FROM unnest($1::uuid[], $2::int2[], $3::text[], $4::timestamptz[], $5::text[], $6::real[], $7::jsonb[], $8::timestamptz[], $9::bool[])
           AS v(id, streak, direction, at, verdict, latency, evidence, next_check_at, sampled)
         WHERE k.camera_id = v.id AND k.claimed_by = $10 RETURNING k.camera_id AS id`,
        [
          rounds.map((r) => r.cameraId),
          rounds.map((r) => r.healthStreak),
          rounds.map((r) => r.healthDirection),
          rounds.map((r) => r.at),
          rounds.map((r) => r.verdict),
          rounds.map((r) => r.latencyMs),
          rounds.map((r) => JSON.stringify(r.evidence ?? null)),
          rounds.map((r) => r.nextCheckAt),
          rounds.map((r) => r.sample !== undefined),
          workerId,
        ],
      );
      const mine = new Set(written.map((w) => w.id));
      // The wide registry row changes only when status or cause does.
      const touched = rounds.filter((r) => r.cameraChanged && mine.has(r.cameraId));
      if (touched.length > 0) {
        await tx.query(
          `UPDATE cameras c SET status = v.status, status_since = v.status_since, status_cause = v.cause
           FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[]) AS v(id, status, status_since, cause)
           WHERE c.id = v.id`,
          [touched.map((r) => r.cameraId), touched.map((r) => r.status), touched.map((r) => r.statusSince), touched.map((r) => r.cause)],
        );
      }
      const changes = rounds.filter((r) => r.change && mine.has(r.cameraId));
      if (changes.length > 0) {
        const logged = await tx.query<{ id: number; camera_id: string }>(
          `INSERT INTO outage_log (camera_id, town_code, network_code, from_status, to_status, at, from_since, cause, evidence, worker_id)
           SELECT id, town, network, from_status, to_status, at, from_since, cause, evidence, $10
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[], $9::jsonb[])
             AS v(id, town, network, from_status, to_status, at, from_since, cause, evidence)
           RETURNING id, camera_id`,
          [
            changes.map((r) => r.cameraId),
            changes.map((r) => r.change!.town),
            changes.map((r) => r.change!.network),
            changes.map((r) => r.change!.from),
            changes.map((r) => r.change!.to),
            changes.map((r) => r.at),
            changes.map((r) => r.change!.fromSince),
            changes.map((r) => r.cause),
            changes.map((r) => JSON.stringify(r.evidence ?? null)),
            workerId,
          ],
        );
        for (const row of logged) seqs.set(row.camera_id, row.id);
      }
      const samples = rounds.filter((r) => r.sample && mine.has(r.cameraId));
      if (samples.length > 0) {
        const s = samples.map((r) => r.sample!);
        await tx.query(
          `INSERT INTO probe_samples (camera_id, at, worker_id, verdict, rtsp_ok, rtsp_ms, rtsp_fail, onvif_ok, onvif_ms, onvif_fail, tcp_ok, tcp_ms)
           SELECT id, at, $12, verdict, rtsp_ok, rtsp_ms, rtsp_fail, onvif_ok, onvif_ms, onvif_fail, tcp_ok, tcp_ms
           FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::bool[], $5::real[], $6::text[], $7::bool[], $8::real[], $9::text[], $10::bool[], $11::real[])
             AS v(id, at, verdict, rtsp_ok, rtsp_ms, rtsp_fail, onvif_ok, onvif_ms, onvif_fail, tcp_ok, tcp_ms)`,
          [
            samples.map((r) => r.cameraId),
            samples.map((r) => r.at),
            s.map((x) => x.verdict),
            s.map((x) => x.rtsp?.ok ?? null),
            s.map((x) => x.rtsp?.ms ?? null),
            s.map((x) => x.rtsp?.fail ?? null),
            s.map((x) => x.onvif?.ok ?? null),
            s.map((x) => x.onvif?.ms ?? null),
            s.map((x) => x.onvif?.fail ?? null),
            s.map((x) => x.tcp?.ok ?? null),
            s.map((x) => x.tcp?.ms ?? null),
            workerId,
          ],
        );
      }
    });
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
