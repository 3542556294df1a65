import type { CameraStateEvent, CameraSummary, CountCell } from '../realtime/events.js';
import type { Database } from './db.js';

export interface CameraHealthRow {
  status: string;
  statusSince: Date | null;
  statusCause: string | null;
  lastCheckAt: Date | null;
  lastVerdict: string | null;
  lastLatencyMs: number | null;
  nextCheckAt: Date | null;
  evidence: unknown;
}

export interface SampleRow {
  at: Date;
  verdict: string;
  rtspOk: boolean | null;
  rtspMs: number | null;
  rtspFail: string | null;
  onvifOk: boolean | null;
  onvifMs: number | null;
  onvifFail: string | null;
  tcpOk: boolean | null;
  tcpMs: number | null;
}

export interface HistoryRow {
  seq: number;
  at: Date;
  from: string;
  to: string;
  cause: string | null;
  durationMs: number | null;
}

/** Reads for the live console: counts, summaries, the outage log since a seq, one camera's health. */
export class ConsoleRepository {
  constructor(private readonly db: Database) {}

  /** Active-camera counts per town × network × status, limited to `towns` when given. */
  async counts(towns?: readonly string[]): Promise<CountCell[]> {
    const params: unknown[] = [];
    const where = towns ? ` AND town_code = ANY($${params.push(towns)}::text[])` : '';
    return this.db.query<CountCell>(
      `SELECT town_code AS town, network_code AS network, status, count(*) AS count
       FROM cameras WHERE decommissioned_at IS NULL${where} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      params,
    );
  }

  async summaries(towns?: readonly string[]): Promise<CameraSummary[]> {
    const params: unknown[] = [];
    const where = towns ? ` AND town_code = ANY($${params.push(towns)}::text[])` : '';
    const rows = await this.db.query<Omit<CameraSummary, 'since'> & { since: Date | null }>(
      `SELECT id, device_id AS "deviceId", name, town_code AS town, network_code AS network, point_class AS "pointClass",
              status, status_since AS since, status_cause AS cause, longitude AS lng, latitude AS lat
       FROM cameras WHERE decommissioned_at IS NULL${where} ORDER BY town_code, device_id`,
      params,
    );
    return rows.map((r) => ({ ...r, since: r.since ? r.since.toISOString() : null }));
  }

  /** The newest outage-log id (0 when empty): a snapshot reflects everything up to it. */
  async maxSeq(): Promise<number> {
    const [row] = await this.db.query<{ seq: number | null }>('SELECT max(id) AS seq FROM outage_log');
    return row.seq ?? 0;
  }

  /** Changes after `seq` in seq order (at most `limit`), limited to `towns` when given. */
  async changesSince(seq: number, limit: number, towns?: readonly string[]): Promise<CameraStateEvent[]> {
    const params: unknown[] = [seq, limit];
    const where = towns ? ` AND o.town_code = ANY($${params.push(towns)}::text[])` : '';
    const rows = await this.db.query<Omit<CameraStateEvent, 'at'> & { at: Date }>(
      `SELECT o.id AS seq, o.camera_id AS "cameraId", c.device_id AS "deviceId", c.name, o.town_code AS town,
              o.network_code AS network, o.from_status AS "from", o.to_status AS "to", o.at, o.cause
       FROM outage_log o JOIN cameras c ON c.id = o.camera_id
       WHERE o.id > $1${where} ORDER BY o.id LIMIT $2`,
      params,
    );
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }

  async health(cameraId: string): Promise<CameraHealthRow | null> {
    const [row] = await this.db.query<CameraHealthRow>(
      `SELECT c.status, c.status_since AS "statusSince", c.status_cause AS "statusCause", k.last_check_at AS "lastCheckAt",
              k.last_verdict AS "lastVerdict", k.last_latency_ms AS "lastLatencyMs",
              CASE WHEN k.next_check_at = 'infinity' THEN NULL ELSE k.next_check_at END AS "nextCheckAt", k.last_evidence AS evidence
       FROM cameras c LEFT JOIN camera_checks k ON k.camera_id = c.id WHERE c.id = $1`,
      [cameraId],
    );
    return row ?? null;
  }

  async recentSamples(cameraId: string, limit: number): Promise<SampleRow[]> {
    return this.db.query<SampleRow>(
      `SELECT at, verdict, rtsp_ok AS "rtspOk", rtsp_ms AS "rtspMs", rtsp_fail AS "rtspFail", onvif_ok AS "onvifOk",
              onvif_ms AS "onvifMs", onvif_fail AS "onvifFail", tcp_ok AS "tcpOk", tcp_ms AS "tcpMs"
       FROM probe_samples WHERE camera_id = $1 ORDER BY at DESC LIMIT $2`,
      [cameraId, limit],
    );
  }

  async history(cameraId: string, limit: number): Promise<HistoryRow[]> {
    return this.db.query<HistoryRow>(
      `SELECT id AS seq, at, from_status AS "from", to_status AS "to", cause,
              (extract(epoch FROM at - from_since) * 1000)::int8 AS "durationMs"
       FROM outage_log WHERE camera_id = $1 ORDER BY at DESC LIMIT $2`,
      [cameraId, limit],
    );
  }
}
