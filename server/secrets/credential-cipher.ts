import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Thrown when a stored secret cannot be opened (wrong key, tampered or truncated data). */
export class SecretDecryptError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt stored secret: ${reason}`);
    this.name = 'SecretDecryptError';
  }
}

/** The id an envelope carries for `key`: the first 8 hex digits of its SHA-256 (not secret). */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * AES-256-GCM for camera passwords at rest. Envelope: `v1:<keyId>:<iv>:<tag>:<ciphertext>`
 * (base64 parts). The key id (first bytes of the key's SHA-256) lets a rotation tell which key
 * sealed a value; the key itself is never stored beside the data.
 *
 * It seals with `key` only, but opens values sealed with `key` or any of `alsoOpens`, chosen by
 * key id: while a key rotation is unfinished the database may hold values sealed with either key.
 */
export class CredentialCipher {
  readonly keyId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly key: Buffer,
    alsoOpens: readonly Buffer[] = [],
  ) {
    for (const k of [key, ...alsoOpens]) {
      if (k.length !== 32) throw new Error('camera secret key must be 32 bytes');
      this.keys.set(keyIdOf(k), k);
    }
    this.keyId = keyIdOf(key);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', this.keyId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  }

  decrypt(envelope: string): string {
    const parts = envelope.split(':');
    if (parts.length !== 5 || parts[0] !== 'v1') throw new SecretDecryptError('unknown format');
    const [, keyId, iv, tag, body] = parts;
    const key = this.keys.get(keyId);
    if (!key) throw new SecretDecryptError(`sealed with key ${keyId}, loaded keys are ${[...this.keys.keys()].join(', ')}`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptError('authentication failed');
    }
  }
}
