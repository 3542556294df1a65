import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { decodeKey } from '../../config/schema.js';

export const CAMERA_KEY_FILE = 'camera-secret.key';

/**
 * Returns the camera-credential key: the configured one, else the one in
 * `<dataDir>/camera-secret.key`, generated (mode 0600) on first start.
 */
export function loadOrCreateCameraKey(dataDir: string, configured: Buffer | undefined): { key: Buffer; source: string } {
  if (configured) return { key: configured, source: 'CAMERA_SECRET_KEY' };
  const file = path.join(dataDir, CAMERA_KEY_FILE);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== undefined) {
    const key = decodeKey(text);
    if (!key) throw new Error(`${file} does not hold a 32-byte key (hex or base64)`);
    return { key, source: file };
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, source: `${file} (generated)` };
}
