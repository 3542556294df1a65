import type { Queryable } from './db.js';
import type { Role, TownScope } from '../domain/access.js';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  towns: string[] | null;
  passwordHash: string;
  mustChangePassword: boolean;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  passwordChangedAt: Date;
}

export type NewUser = Pick<UserRecord, 'username' | 'displayName' | 'role' | 'towns' | 'passwordHash' | 'mustChangePassword'>;

export type UserPatch = Partial<Pick<UserRecord, 'displayName' | 'role' | 'towns' | 'disabled'>>;

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  towns: string[] | null;
  password_hash: string;
  must_change_password: boolean;
  disabled: boolean;
  created_at: Date;
  updated_at: Date;
  password_changed_at: Date;
}

const COLUMN_NAMES = ['id', 'username', 'display_name', 'role', 'towns', 'password_hash', 'must_change_password', 'disabled', 'created_at', 'updated_at', 'password_changed_at'];
const COLUMNS = COLUMN_NAMES.join(', ');

/** The user columns under a join's table alias, named as `toUserRecord` reads them. */
export function userColumnsOf(alias: string): string {
  return COLUMN_NAMES.map((c) => `${alias}.${c}`).join(', ');
}

export function toUserRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    towns: row.towns,
    passwordHash: row.password_hash,
    mustChangePassword: row.must_change_password,
    disabled: row.disabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    passwordChangedAt: row.password_changed_at,
  };
}

/**
 * Accounts. `scope` narrows reads to users whose towns lie inside it (a town-scoped admin never
 * sees county-wide accounts); null = every user.
 */
export class UserRepository {
  constructor(private readonly db: Queryable) {}

  async countAdmins(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'admin'");
    return row.n;
  }

  /** Inserts unless the username is taken (case-insensitively); undefined when it was. */
  async insert(user: NewUser): Promise<UserRecord | undefined> {
    const rows = await this.db.query<UserRow>(
      `INSERT INTO users (username, display_name, role, towns, password_hash, must_change_password)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [user.username, user.displayName, user.role, user.towns, user.passwordHash, user.mustChangePassword],
    );
    return rows[0] && toUserRecord(rows[0]);
  }

  /** The first admin, only if there is no admin yet (two servers starting at once create one). */
  async insertFirst(user: NewUser): Promise<UserRecord | undefined> {
    const rows = await this.db.query<UserRow>(
      `INSERT INTO users (username, display_name, role, towns, password_hash, must_change_password)
       SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin')
       ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [user.username, user.displayName, user.role, user.towns, user.passwordHash, user.mustChangePassword],
    );
    return rows[0] && toUserRecord(rows[0]);
  }

  async findById(id: string, scope: TownScope = null): Promise<UserRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await this.db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1 AND ${scoped(2)}`, [id, scope]);
    return rows[0] && toUserRecord(rows[0]);
  }

  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const rows = await this.db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE lower(username) = lower($1)`, [username]);
    return rows[0] && toUserRecord(rows[0]);
  }

  async list(scope: TownScope = null): Promise<UserRecord[]> {
    const rows = await this.db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE ${scoped(1)} ORDER BY lower(username)`, [scope]);
    return rows.map(toUserRecord);
  }

  async update(id: string, patch: UserPatch): Promise<UserRecord | undefined> {
    const rows = await this.db.query<UserRow>(
      `UPDATE users SET
         display_name = COALESCE($2, display_name),
         role = COALESCE($3, role),
         towns = CASE WHEN $4::boolean THEN $5::text[] ELSE towns END,
         disabled = COALESCE($6, disabled),
         updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, patch.displayName ?? null, patch.role ?? null, patch.towns !== undefined, patch.towns ?? null, patch.disabled ?? null],
    );
    return rows[0] && toUserRecord(rows[0]);
  }

  async setPassword(id: string, passwordHash: string, mustChange: boolean): Promise<void> {
    await this.db.query(
      'UPDATE users SET password_hash = $2, must_change_password = $3, password_changed_at = now(), updated_at = now() WHERE id = $1',
      [id, passwordHash, mustChange],
    );
  }
}

/** Parameter $n is the scope: NULL = all; else the user's towns must be set and inside it. */
function scoped(n: number): string {
  return `($${n}::text[] IS NULL OR (towns IS NOT NULL AND towns <@ $${n}::text[]))`;
}

export function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}
