/** Rules a new password must pass. Pure: the common-password list is handed in. */

export const MIN_PASSWORD_LENGTH = 10;
/** Long enough for any passphrase, short enough that hashing cannot be used to burn CPU. */
export const MAX_PASSWORD_LENGTH = 128;

export interface PasswordContext {
  username: string;
  /** Lower-cased common passwords. */
  common: ReadonlySet<string>;
}

/** A broken rule: a stable code (the console words it in the reader's language) and an English message. */
export interface PasswordProblem {
  code: 'too_short' | 'too_long' | 'common' | 'contains_username' | 'too_few_characters';
  message: string;
}

/**
 * The first rule a candidate breaks; undefined = acceptable.
 * Truth table:
 * candidate               | result
 * "short"                 | too short
 * 129 characters          | too long
 * "password123" (common)  | common
 * "PassWord123" (common, other case) | common
 * username or reversed    | contains the username
 * "correct horse battery" | ok
 */
export function passwordProblem(candidate: string, ctx: PasswordContext): PasswordProblem | undefined {
  const length = [...candidate].length;
  if (length < MIN_PASSWORD_LENGTH) return { code: 'too_short', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` };
  if (length > MAX_PASSWORD_LENGTH) return { code: 'too_long', message: `must be at most ${MAX_PASSWORD_LENGTH} characters` };
  const lower = candidate.toLowerCase();
  if (ctx.common.has(lower)) return { code: 'common', message: 'is one of the most common passwords; choose another' };
  const name = ctx.username.toLowerCase();
  if (name.length >= 3 && (lower.includes(name) || lower.includes([...name].reverse().join('')))) {
    return { code: 'contains_username', message: 'must not contain the username' };
  }
  if (new Set(lower).size < 4) return { code: 'too_few_characters', message: 'uses too few different characters' };
  return undefined;
}
