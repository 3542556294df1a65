import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { decodeKey } from '../../config/schema.js';
import { CredentialCipher } from './credential-cipher.js';
import type { Logger } from '../logger.js';

export const CAMERA_KEY_FILE = 'camera-secret.key';
/** The key a rotation is moving to; it exists only between the start and the end of `npm run keys -- rotate`. */
export const CAMERA_KEY_NEXT_FILE = 'camera-secret.key.next';

export interface CameraKeys {
  /** The key new values are sealed with. */
  key: Buffer;
  source: string;
  /** The key of an unfinished rotation: some stored values may already be sealed with it. */
  pending?: Buffer;
}

/**
 * Returns the camera-credential key: the configured one, else the one in
 * `<dataDir>/camera-secret.key`, generated (mode 0600) on first start; plus the key of an
 * unfinished rotation (`camera-secret.key.next`) when one was interrupted.
 */
export function loadOrCreateCameraKey(dataDir: string, configured: Buffer | undefined): CameraKeys {
  const pending = readPendingKey(dataDir);
  const withPending = (keys: CameraKeys): CameraKeys => (pending ? { ...keys, pending } : keys);
  if (configured) return withPending({ key: configured, source: 'CAMERA_SECRET_KEY' });
  const file = path.join(dataDir, CAMERA_KEY_FILE);
  const current = readCurrentKey(dataDir);
  if (current) return withPending({ key: current, source: file });
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return withPending({ key, source: `${file} (generated)` });
}

/**
 * The cipher every process uses: seals with the current key and, after an interrupted rotation,
 * still opens values sealed with the pending one (`pendingFile` says so; `logger` gets the warning).
 */
export function openCameraCipher(dataDir: string, configured: Buffer | undefined, logger?: Logger): { cipher: CredentialCipher; pendingFile?: string } {
  const { key, pending } = loadOrCreateCameraKey(dataDir, configured);
  const cipher = new CredentialCipher(key, pending ? [pending] : []);
  if (!pending) return { cipher };
  const pendingFile = path.join(dataDir, CAMERA_KEY_NEXT_FILE);
  logger?.warn('a camera key rotation was interrupted; reading passwords with both keys until `npm run keys -- rotate` is run again', { file: pendingFile });
  return { cipher, pendingFile };
}

/** The current key file's key, or undefined when there is no key file yet. */
export function readCurrentKey(dataDir: string): Buffer | undefined {
  const file = path.join(dataDir, CAMERA_KEY_FILE);
  const text = readIfExists(file);
  if (text === undefined) return undefined;
  const key = decodeKey(text);
  if (!key) throw new Error(`${file} does not hold a 32-byte key (hex or base64)`);
  return key;
}

/**
 * The pending key, or undefined. Only the exact form `writePendingKey` writes counts: a file cut
 * short by a crash while it was written was never fsynced, so nothing can have been sealed with it.
 */
export function readPendingKey(dataDir: string): Buffer | undefined {
  const text = readIfExists(path.join(dataDir, CAMERA_KEY_NEXT_FILE));
  const hex = text?.trim();
  return hex && /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

/** Durably writes `key` as the pending key (mode 0600), replacing an unusable leftover, before any value is sealed with it. */
export function writePendingKey(dataDir: string, key: Buffer): void {
  const file = path.join(dataDir, CAMERA_KEY_NEXT_FILE);
  rmSync(file, { force: true });
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeFileSync(fd, key.toString('hex') + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(file, 0o600); // the umask may have narrowed the mode, never widened it; make it exact
  fsyncDirectory(dataDir);
  if (!readPendingKey(dataDir)?.equals(key)) throw new Error(`${file} did not read back as written`);
}

/** Makes the pending key the current one: one atomic rename, so a crash leaves either key file whole. */
export function installPendingKey(dataDir: string): void {
  renameSync(path.join(dataDir, CAMERA_KEY_NEXT_FILE), path.join(dataDir, CAMERA_KEY_FILE));
  fsyncDirectory(dataDir);
}

/** Removes a pending key that sealed nothing (its rotation stopped before writing). */
export function discardPendingKey(dataDir: string): void {
  rmSync(path.join(dataDir, CAMERA_KEY_NEXT_FILE), { force: true });
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return undefined;
  }
}

// A rename or create is durable only once its directory entry is flushed.
function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* some platforms (Windows) cannot fsync a directory; the rename itself is still atomic */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
