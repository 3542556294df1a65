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

/** A token as sign-in needs it: with its owner's current role, towns and state. */
export interface TokenWithOwner {
  token: ApiTokenRecord;
  owner: { role: Role; towns: string[] | null; disabled: boolean };
}

/** last_used_at is written at most this often per token. */
const MARK_USED_EVERY_MS = 60_000;

const COLUMNS = `t.id, t.name, t.secret_hash, t.user_id, u.username, t.role, t.towns, t.created_at, t.created_by,
                 t.expires_at, t.last_used_at, t.revoked_at`;
const FROM = 'FROM api_tokens t JOIN users u ON u.id = t.user_id';
const SELECT = `SELECT ${COLUMNS} ${FROM}`;

/** Integration tokens (hashed). `scope` narrows lists to tokens whose towns lie inside it. */
export class ApiTokenRepository {
  constructor(private readonly db: Queryable) {}

  /** Inserts and answers the stored token with its owner's username, in one statement. */
  async insert(t: NewApiToken): Promise<ApiTokenRecord> {
    const [row] = await this.db.query<Row>(
      `WITH t AS (
         INSERT INTO api_tokens (name, secret_hash, user_id, role, towns, created_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *
       )
       SELECT ${COLUMNS} FROM t JOIN users u ON u.id = t.user_id`,
      [t.name, t.secretHash, t.userId, t.role, t.towns, t.createdBy, t.expiresAt],
    );
    return toRecord(row);
  }

  async find(id: string): Promise<ApiTokenRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await this.db.query<Row>(`${SELECT} WHERE t.id = $1`, [id]);
    return rows[0] && toRecord(rows[0]);
  }

  /**
   * The token and its owner in one round trip: every API request with a bearer token signs in
   * through here, so this is one indexed query rather than one for the token and one for the user.
   */
  async findWithOwner(id: string): Promise<TokenWithOwner | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await this.db.query<Row & { owner_role: Role; owner_towns: string[] | null; owner_disabled: boolean }>(
      `SELECT ${COLUMNS}, u.role AS owner_role, u.towns AS owner_towns, u.disabled AS owner_disabled ${FROM} WHERE t.id = $1`,
      [id],
    );
    const r = rows[0];
    return r && { token: toRecord(r), owner: { role: r.owner_role, towns: r.owner_towns, disabled: r.owner_disabled } };
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

  /**
   * Records use at most once a minute per token, so busy integrations do not write on every call.
   * Given the last_used_at just read, a call within the minute skips the round trip altogether;
   * the WHERE clause still settles races between requests and servers.
   */
  async markUsed(id: string, now: Date, lastUsedAt?: Date | null): Promise<void> {
    if (lastUsedAt && now.getTime() - lastUsedAt.getTime() <= MARK_USED_EVERY_MS) return;
    await this.db.query(
      `UPDATE api_tokens SET last_used_at = $2
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - $3 * interval '1 millisecond')`,
      [id, now, MARK_USED_EVERY_MS],
    );
  }

  /** Revokes (keeping the first revocation time) and answers the token as it now stands, in one statement. */
  async revoke(id: string, now: Date): Promise<ApiTokenRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await this.db.query<Row>(
      `WITH t AS (UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING *)
       SELECT ${COLUMNS} FROM t JOIN users u ON u.id = t.user_id`,
      [id, now],
    );
    return rows[0] && toRecord(rows[0]);
  }
}
