/** Before/after differences for the audit log, with secrets replaced so the log never holds one. */

const SECRET_FIELD = /pass(word)?|secret|token|key|hash|cookie|authorization/i;
/** Facts about a secret, not the secret: hasPassword, mustChangePassword, passwordChangedAt. */
const ABOUT_A_SECRET = /^(has|must)|ChangedAt$/;

function isSecretField(key: string): boolean {
  return SECRET_FIELD.test(key) && !ABOUT_A_SECRET.test(key);
}

export interface FieldChange {
  before: unknown;
  after: unknown;
}

/** Replaces the value of every secret-looking field (at any depth) with "***" (or null when absent). */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  // Past the depth cap nothing is inspected, so nothing is kept: returning it as-is could leak a secret.
  if (depth > 6) return '***';
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretField(k) ? (v === null || v === undefined ? null : '***') : redactSecrets(v, depth + 1);
  }
  return out;
}

/**
 * The fields whose values differ between two records, as {field: {before, after}}; secrets show
 * only that they changed. Truth table:
 * before      | after       | entry
 * a: 1        | a: 1        | (none)
 * a: 1        | a: 2        | a: {1 → 2}
 * (absent)    | a: 2        | a: {null → 2}
 * password: x | password: y | password: {*** → ***}
 * tags [1,2]  | tags [1,2]  | (none: compared by value)
 */
export function diffRecords(before: object | null | undefined, after: object | null | undefined): Record<string, FieldChange> {
  const b = (redactSecrets(before ?? {}) ?? {}) as Record<string, unknown>;
  const a = (redactSecrets(after ?? {}) ?? {}) as Record<string, unknown>;
  const changes: Record<string, FieldChange> = {};
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    const from = b[key] ?? null;
    const to = a[key] ?? null;
    const secretTouched = isSecretField(key) && (before as Record<string, unknown> | null)?.[key] !== (after as Record<string, unknown> | null)?.[key];
    if (secretTouched || JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { before: from, after: to };
  }
  return changes;
}
