import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Database } from '../../storage/db.js';
import { CredentialRepository, type SealedCredential } from '../../storage/credential.repository.js';
import { AuditRepository } from '../../storage/audit.repository.js';
import { fsyncTree } from '../../storage/fsync-tree.js';
import { acquireDirectoryLock, DatabaseLockedError } from '../../storage/pglite-lock.js';
import { CredentialCipher, SecretDecryptError } from '../../secrets/credential-cipher.js';
import {
  CAMERA_KEY_FILE, discardPendingKey, installPendingKey, readCurrentKey, readPendingKey, writePendingKey,
} from '../../secrets/camera-key.js';

/** The rotation cannot start in this setup; nothing was touched. */
export class KeyRotationRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyRotationRefusedError';
  }
}

/** Some stored passwords open with no loaded key; the rotation was rolled back. */
export class UndecryptableCredentialsError extends Error {
  constructor(readonly deviceIds: readonly string[], keyIds: readonly string[]) {
    const shown = deviceIds.slice(0, 20).join(', ') + (deviceIds.length > 20 ? `, … (${deviceIds.length - 20} more)` : '');
    super(
      `${deviceIds.length} camera password(s) cannot be decrypted with the current key (sealed with key id ${keyIds.join(', ')}): ${shown}. ` +
        'Nothing was changed. Restore the key that sealed them, or re-enter those passwords, then rotate again.',
    );
    this.name = 'UndecryptableCredentialsError';
  }
}

export interface RotationOptions {
  dataDir: string;
  /** CAMERA_SECRET_KEY from config; rotation refuses when it is set (see README). */
  configuredKey: Buffer | undefined;
  /** Who runs it, for the audit log ("cli:<os user>"). */
  actorName: string;
  /** The embedded database folder (PGlite runs with fsync off): flushed before the key is installed. */
  embeddedDatabaseDir?: string;
}

export interface RotationResult {
  rotated: number;
  oldKeyId: string;
  newKeyId: string;
  keyFile: string;
  /** True when an interrupted rotation's pending key was reused and finished. */
  resumed: boolean;
}

/**
 * Throws KeyRotationRefusedError unless the key is a file this program may replace. Checked
 * before the database is opened, so a refused rotation never waits on the database lock.
 */
export function assertRotatable(options: Pick<RotationOptions, 'dataDir' | 'configuredKey'>): void {
  if (options.configuredKey) {
    throw new KeyRotationRefusedError(
      'CAMERA_SECRET_KEY is set, so the key lives in the environment or a secret store this command cannot update. ' +
        'Refusing rather than printing a new key: a key shown once on a terminal is a leak, and a rotation cut short before it is stored would leave the passwords sealed with a lost key. ' +
        `To rotate: write the current key to ${path.join(options.dataDir, CAMERA_KEY_FILE)} (mode 0600), unset CAMERA_SECRET_KEY, ` +
        'stop the server and workers, run `npm run keys -- rotate`, then start again (copy the new file into your secret store if you keep one).',
    );
  }
  if (!readCurrentKey(options.dataDir)) {
    throw new KeyRotationRefusedError(`no key file at ${path.join(options.dataDir, CAMERA_KEY_FILE)}; the server creates one at first start, so there is nothing to rotate yet`);
  }
}

/**
 * Re-seals every stored camera password with a new key, crash-safe at every step:
 *  1. the new key is written durably to `camera-secret.key.next` (or an interrupted rotation's
 *     pending key is reused, since values may already be sealed with it);
 *  2. one transaction re-seals every value and appends the audit entry — all or nothing;
 *  3. once the commit is on disk, the pending key is renamed over `camera-secret.key`.
 * Until step 3 both key files exist and every process opens values sealed with either, so a
 * crash anywhere leaves readable data, and running the rotation again finishes the job.
 */
export async function rotateCameraKey(db: Database, options: RotationOptions): Promise<RotationResult> {
  assertRotatable(options);
  // Two rotations sharing a DATA_DIR (possible on a PostgreSQL server) would race for the pending
  // key file; the database lock alone does not cover the files.
  let release: () => void;
  try {
    release = acquireDirectoryLock(path.join(options.dataDir, CAMERA_KEY_FILE));
  } catch (err) {
    if (err instanceof DatabaseLockedError) throw new KeyRotationRefusedError(`another key rotation (process ${err.holderPid}) is running on ${options.dataDir}`);
    throw err;
  }
  try {
    return await rotateWhileLocked(db, options);
  } finally {
    release();
  }
}

async function rotateWhileLocked(db: Database, options: RotationOptions): Promise<RotationResult> {
  const current = readCurrentKey(options.dataDir)!;
  const pending = readPendingKey(options.dataDir);
  const next = pending ?? randomBytes(32);
  if (!pending) writePendingKey(options.dataDir, next);
  const reader = new CredentialCipher(current, pending ? [pending] : []);
  const sealer = new CredentialCipher(next);

  let commitSent = false;
  let rotated: number;
  try {
    rotated = await db.transaction(async (tx) => {
      const credentials = new CredentialRepository(tx);
      await credentials.lockAgainstWrites();
      await credentials.requireDurableCommit();
      const resealed = reseal(await credentials.listSealed(), reader, sealer);
      const written = await credentials.replaceSealed(resealed);
      // The repository, not AuditTrail.record: that one swallows errors, and a failed INSERT
      // would leave the transaction aborted, which COMMIT then silently rolls back.
      await new AuditRepository(tx).append([{
        actorType: 'cli', actorName: options.actorName, action: 'keys.rotate',
        targetType: 'camera-key', targetId: sealer.keyId,
        detail: { rotated: written, oldKeyId: reader.keyId, newKeyId: sealer.keyId },
      }]);
      commitSent = true;
      return written;
    });
  } catch (err) {
    // Before COMMIT nothing can be sealed with a key this run created; once COMMIT was sent the
    // outcome may be unknown (a dropped connection), so the pending key must stay.
    if (!commitSent && !pending) discardPendingKey(options.dataDir);
    throw err;
  }

  // Installing the key when the data is not all sealed with it would lose those passwords.
  const stragglers = await new CredentialRepository(db).countSealedWithOtherKeys(sealer.keyId);
  if (stragglers > 0) {
    throw new Error(
      `${stragglers} camera password(s) are sealed with another key after the commit (is a server or worker still running?). ` +
        'Both key files stay in place and everything still decrypts; stop every server and worker, then run the rotation again.',
    );
  }
  if (options.embeddedDatabaseDir) fsyncTree(options.embeddedDatabaseDir);
  installPendingKey(options.dataDir);
  return { rotated, oldKeyId: reader.keyId, newKeyId: sealer.keyId, keyFile: path.join(options.dataDir, CAMERA_KEY_FILE), resumed: pending !== undefined };
}

/** Opens every value with the old key ring and seals it with the new key; throws naming every camera that will not open. */
function reseal(stored: readonly SealedCredential[], reader: CredentialCipher, sealer: CredentialCipher): Array<{ id: string; passwordEnc: string }> {
  const out: Array<{ id: string; passwordEnc: string }> = [];
  const failed: string[] = [];
  const failedKeyIds = new Set<string>();
  for (const row of stored) {
    try {
      out.push({ id: row.id, passwordEnc: sealer.encrypt(reader.decrypt(row.passwordEnc)) });
    } catch (err) {
      if (!(err instanceof SecretDecryptError)) throw err;
      failed.push(row.deviceId);
      const parts = row.passwordEnc.split(':');
      failedKeyIds.add(parts.length === 5 ? parts[1] : 'none (not an envelope)');
    }
  }
  if (failed.length > 0) throw new UndecryptableCredentialsError(failed, [...failedKeyIds]);
  return out;
}
