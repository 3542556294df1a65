import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Random secrets handed to browsers and integrations; only their SHA-256 is ever stored. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** API tokens read "sem_<token id without dashes>_<secret>", so a leaked one is recognisable in scans. */
export function formatApiToken(id: string, secret: string): string {
  return `sem_${id.replace(/-/g, '')}_${secret}`;
}

export function parseApiToken(text: string): { id: string; secret: string } | undefined {
  const m = /^sem_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/.exec(text.trim());
  if (!m) return undefined;
  const h = m[1];
  return { id: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`, secret: m[2] };
}
