import type { Queryable } from './db.js';
import type { Role, TownScope } from '../domain/access.js';
import { isUuid } from './user.repository.js';

export interface ApiTokenRecord {
  id: string;
  name: string;
  secretHash: string;
  userId: string;
  username: string;
  role: Role;
  towns: string[] | null;
  createdAt: Date;
  createdBy: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface NewApiToken {
  name: string;
  secretHash: string;
  userId: string;
  role: Role;
  towns: string[] | null;
  createdBy: string;
  expiresAt: Date | null;
}

interface Row {
  id: string;
  name: string;
  secret_hash: string;
  user_id: string;
  username: string;
  role: Role;
  towns: string[] | null;
  created_at: Date;
  created_by: string;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toRecord = (r: Row): ApiTokenRecord => ({
  id: r.id,
  name: r.name,
  secretHash: r.secret_hash,
  userId: r.user_id,
  username: r.username,
  role: r.role,
  towns: r.towns,
  createdAt: r.created_at,
  createdBy: r.created_by,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

const SELECT = `SELECT t.id, t.name, t.secret_hash, t.user_id, u.username, t.role, t.towns, t.created_at, t.created_by,
                       t.expires_at, t.last_used_at, t.revoked_at
                FROM api_tokens t JOIN users u ON u.id = t.user_id`;

/** Integration tokens (hashed). `scope` narrows lists to tokens whose towns lie inside it. */
export class ApiTokenRepository {
  constructor(private readonly db: Queryable) {}

  async insert(t: NewApiToken): Promise<ApiTokenRecord> {
    const [row] = await this.db.query<{ id: string }>(
      `INSERT INTO api_tokens (name, secret_hash, user_id, role, towns, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [t.name, t.secretHash, t.userId, t.role, t.towns, t.createdBy, t.expiresAt],
    );
    return (await this.find(row.id))!;
  }

  async find(id: string): Promise<ApiTokenRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await this.db.query<Row>(`${SELECT} WHERE t.id = $1`, [id]);
    return rows[0] && toRecord(rows[0]);
  }

  async list(scope: TownScope = null, userId?: string): Promise<ApiTokenRecord[]> {
    const rows = await this.db.query<Row>(
      `${SELECT} WHERE ($1::text[] IS NULL OR (t.towns IS NOT NULL AND t.towns <@ $1::text[]))
         AND ($2::uuid IS NULL OR t.user_id = $2)
       ORDER BY t.created_at DESC`,
      [scope, userId ?? null],
    );
    return rows.map(toRecord);
  }

  /** Records use at most once a minute per token, so busy integrations do not write on every call. */
  async markUsed(id: string, now: Date): Promise<void> {
    await this.db.query(
      `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`,
      [id, now],
    );
  }

  async revoke(id: string, now: Date): Promise<ApiTokenRecord | undefined> {
    if (!isUuid(id)) return undefined;
    await this.db.query('UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1', [id, now]);
    return this.find(id);
  }
}
