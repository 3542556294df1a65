import type { CredentialCipher } from '../server/secrets/credential-cipher.js';

/**
 * Decrypted camera passwords, kept per camera so a round does not pay an AES-GCM open each time.
 * An entry is valid only for the exact envelope it was opened from: a changed password (or a key
 * rotation re-sealing it) is a different envelope, so the next round opens the new one. Passwords
 * stay in this worker's memory only, as they already did for the length of a round; never logged.
 */
export class PasswordCache {
  private readonly entries = new Map<string, { envelope: string; plain: string }>();

  constructor(
    private readonly cipher: CredentialCipher,
    private readonly maxEntries = 200_000,
  ) {}

  /** The password sealed in `envelope` for camera `id`. @throws what CredentialCipher.decrypt throws (nothing is cached then). */
  open(id: string, envelope: string): string {
    const hit = this.entries.get(id);
    if (hit && hit.envelope === envelope) return hit.plain;
    const plain = this.cipher.decrypt(envelope);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(id, { envelope, plain });
    return plain;
  }

  /** Forgets camera `id` (e.g. its credentials were removed). */
  forget(id: string): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
