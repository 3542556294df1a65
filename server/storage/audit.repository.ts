import type { Queryable } from './db.js';
import type { TownScope } from '../domain/access.js';

export type ActorType = 'user' | 'token' | 'cli' | 'system' | 'anonymous';
export type AuditOutcome = 'ok' | 'denied' | 'failed';

export interface AuditEntry {
  actorType: ActorType;
  actorId?: string | null;
  actorName: string;
  ip?: string | null;
  action: string;
  outcome?: AuditOutcome;
  targetType?: string | null;
  targetId?: string | null;
  targetLabel?: string | null;
  towns?: readonly string[] | null;
  detail?: Record<string, unknown>;
}

export interface AuditRecord extends Required<Omit<AuditEntry, 'towns' | 'detail'>> {
  id: number;
  at: Date;
  towns: string[] | null;
  detail: Record<string, unknown>;
}

export interface AuditQuery {
  from?: Date;
  to?: Date;
  /** Exact action, or a prefix ending in '.' (e.g. "camera.") */
  action?: string;
  actor?: string;
  outcome?: AuditOutcome;
  targetType?: string;
  targetId?: string;
  /** Entries about these towns only; null = every entry. */
  scope: TownScope;
  /** Entries with id below this (newest-first paging). */
  beforeId?: number;
  limit: number;
}

interface Row {
  id: number;
  at: Date;
  actor_type: ActorType;
  actor_id: string | null;
  actor_name: string;
  ip: string | null;
  action: string;
  outcome: AuditOutcome;
  target_type: string | null;
  target_id: string | null;
  target_label: string | null;
  towns: string[] | null;
  detail: Record<string, unknown>;
}

const toRecord = (r: Row): AuditRecord => ({
  id: r.id,
  at: r.at,
  actorType: r.actor_type,
  actorId: r.actor_id,
  actorName: r.actor_name,
  ip: r.ip,
  action: r.action,
  outcome: r.outcome,
  targetType: r.target_type,
  targetId: r.target_id,
  targetLabel: r.target_label,
  towns: r.towns,
  detail: r.detail,
});

/** The append-only audit log (the table refuses UPDATE and DELETE). */
export class AuditRepository {
  constructor(private readonly db: Queryable) {}

  async append(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const col = <K extends keyof AuditEntry>(k: K) => entries.map((e) => e[k] ?? null);
    await this.db.query(
      `INSERT INTO audit_log (actor_type, actor_id, actor_name, ip, action, outcome, target_type, target_id, target_label, towns, detail)
       SELECT a.actor_type, a.actor_id, a.actor_name, a.ip, a.action, a.outcome, a.target_type, a.target_id, a.target_label,
              CASE WHEN a.towns IS NULL THEN NULL ELSE string_to_array(a.towns, ',') END, a.detail::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::text[], $11::text[])
         AS a(actor_type, actor_id, actor_name, ip, action, outcome, target_type, target_id, target_label, towns, detail)`,
      [
        col('actorType'),
        col('actorId'),
        col('actorName'),
        col('ip'),
        col('action'),
        entries.map((e) => e.outcome ?? 'ok'),
        col('targetType'),
        col('targetId'),
        col('targetLabel'),
        entries.map((e) => (e.towns ? e.towns.join(',') : null)),
        entries.map((e) => JSON.stringify(e.detail ?? {})),
      ],
    );
  }

  async query(q: AuditQuery): Promise<AuditRecord[]> {
    const actionPrefix = q.action?.endsWith('.') ? q.action : null;
    const rows = await this.db.query<Row>(
      `SELECT * FROM audit_log
       WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2)
         AND ($3::text IS NULL OR action = $3) AND ($4::text IS NULL OR starts_with(action, $4))
         AND ($5::text IS NULL OR lower(actor_name) = lower($5)) AND ($6::text IS NULL OR outcome = $6)
         AND ($7::text IS NULL OR target_type = $7) AND ($8::text IS NULL OR target_id = $8)
         AND ($9::text[] IS NULL OR (towns IS NOT NULL AND towns <@ $9::text[]))
         AND ($10::bigint IS NULL OR id < $10)
       ORDER BY id DESC LIMIT $11`,
      [
        q.from ?? null,
        q.to ?? null,
        actionPrefix ? null : (q.action ?? null),
        actionPrefix,
        q.actor ?? null,
        q.outcome ?? null,
        q.targetType ?? null,
        q.targetId ?? null,
        q.scope,
        q.beforeId ?? null,
        q.limit,
      ],
    );
    return rows.map(toRecord);
  }
}
