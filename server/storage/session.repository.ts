import type { Queryable } from './db.js';
import { toUserRecord, userColumnsOf, type UserRecord, type UserRow } from './user.repository.js';

export interface SessionRecord {
  idHash: string;
  userId: string;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export interface NewSession {
  idHash: string;
  userId: string;
  csrfToken: string;
  now: Date;
  expiresAt: Date;
  ip?: string;
  userAgent?: string;
}

interface Row {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

const toRecord = (r: Row): SessionRecord => ({
  idHash: r.id_hash,
  userId: r.user_id,
  csrfToken: r.csrf_token,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  ip: r.ip,
  userAgent: r.user_agent,
});

/** Server-side sessions; the table holds only hashes of the cookie secrets. */
export class SessionRepository {
  constructor(private readonly db: Queryable) {}

  async insert(s: NewSession): Promise<void> {
    await this.db.query(
      `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
       VALUES ($1, $2, $3, $4, $4, $5, $6, $7)`,
      [s.idHash, s.userId, s.csrfToken, s.now, s.expiresAt, s.ip ?? null, s.userAgent?.slice(0, 300) ?? null],
    );
  }

  /**
   * The session with its user, whatever their state; the service decides what is still valid.
   * Every API request with a session cookie signs in through here: one indexed join, not a query
   * for the session and another for the user.
   */
  async find(idHash: string): Promise<{ session: SessionRecord; userId: string; user: UserRecord } | undefined> {
    const rows = await this.db.query<UserRow & Omit<Row, 'created_at'> & { session_created_at: Date }>(
      `SELECT ${userColumnsOf('u')}, s.id_hash, s.user_id, s.csrf_token, s.created_at AS session_created_at, s.last_seen_at,
              s.expires_at, s.ip, s.user_agent
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1`,
      [idHash],
    );
    const r = rows[0];
    return r && { session: toRecord({ ...r, created_at: r.session_created_at }), userId: r.user_id, user: toUserRecord(r) };
  }

  async touch(idHash: string, now: Date): Promise<void> {
    await this.db.query('UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1', [idHash, now]);
  }

  async delete(idHash: string): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
  }

  /** Signs a user out everywhere (or everywhere but the session they keep). Returns how many ended. */
  async deleteForUser(userId: UserRecord['id'], exceptIdHash?: string): Promise<number> {
    const rows = await this.db.query<{ id_hash: string }>(
      'DELETE FROM sessions WHERE user_id = $1 AND ($2::text IS NULL OR id_hash <> $2) RETURNING id_hash',
      [userId, exceptIdHash ?? null],
    );
    return rows.length;
  }

  async listForUser(userId: string): Promise<SessionRecord[]> {
    const rows = await this.db.query<Row>('SELECT * FROM sessions WHERE user_id = $1 ORDER BY last_seen_at DESC', [userId]);
    return rows.map(toRecord);
  }

  /** Drops sessions past their absolute end or idle for longer than `idleBefore` allows. */
  async pruneExpired(now: Date, idleBefore: Date): Promise<number> {
    const rows = await this.db.query<{ id_hash: string }>(
      'DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2 RETURNING id_hash',
      [now, idleBefore],
    );
    return rows.length;
  }
}
