import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Thrown when a stored secret cannot be opened (wrong key, tampered or truncated data). */
export class SecretDecryptError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt stored secret: ${reason}`);
    this.name = 'SecretDecryptError';
  }
}

/**
 * AES-256-GCM for camera passwords at rest. Envelope: `v1:<keyId>:<iv>:<tag>:<ciphertext>`
 * (base64 parts). The key id (first bytes of the key's SHA-256) lets a rotation tell which key
 * sealed a value; the key itself is never stored beside the data.
 */
export class CredentialCipher {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('camera secret key must be 32 bytes');
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
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
    if (keyId !== this.keyId) throw new SecretDecryptError(`sealed with key ${keyId}, current key is ${this.keyId}`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptError('authentication failed');
    }
  }
}
