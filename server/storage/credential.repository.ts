import type { Queryable } from './db.js';

/** One stored camera password, still sealed. */
export interface SealedCredential {
  id: string;
  deviceId: string;
  passwordEnc: string;
}

/**
 * The sealed camera passwords as a whole, for key rotation. Every camera counts, decommissioned
 * ones too: a restored camera must still open with the installed key.
 */
export class CredentialRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Blocks other writers to `cameras` (and a second rotation) until the transaction ends, so no
   * value is sealed with the old key between reading and rewriting. Readers carry on.
   */
  async lockAgainstWrites(): Promise<void> {
    await this.db.query('LOCK TABLE cameras IN SHARE ROW EXCLUSIVE MODE');
  }

  /**
   * Makes this transaction's COMMIT wait for the server's disk flush even where
   * `synchronous_commit` is off: the new key file is installed right after, and must never
   * outlive a commit lost to a server crash.
   */
  async requireDurableCommit(): Promise<void> {
    await this.db.query('SET LOCAL synchronous_commit = on');
  }

  async listSealed(): Promise<SealedCredential[]> {
    return this.db.query<SealedCredential>(
      `SELECT id, device_id AS "deviceId", password_enc AS "passwordEnc" FROM cameras WHERE password_enc IS NOT NULL ORDER BY device_id`,
    );
  }

  /**
   * Replaces sealed values by camera id in one statement (two array parameters, whatever the
   * count). `updated_at` is left alone: the password itself has not changed, and sync clients
   * reading by `updated_at` should not re-fetch the whole registry. (The camera_checks trigger
   * still makes the rewritten cameras due at once; after a stop for the rotation they mostly are
   * anyway.) Returns the rows written.
   */
  async replaceSealed(rows: ReadonlyArray<{ id: string; passwordEnc: string }>): Promise<number> {
    if (rows.length === 0) return 0;
    const written = await this.db.query(
      `UPDATE cameras c SET password_enc = v.password_enc
       FROM unnest($1::uuid[], $2::text[]) AS v(id, password_enc) WHERE c.id = v.id RETURNING 1`,
      [rows.map((r) => r.id), rows.map((r) => r.passwordEnc)],
    );
    return written.length;
  }

  /** How many stored values carry a key id other than `keyId` (the envelope's second field). */
  async countSealedWithOtherKeys(keyId: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cameras WHERE password_enc IS NOT NULL AND split_part(password_enc, ':', 2) <> $1`,
      [keyId],
    );
    return row.n;
  }
}
