/**
 * Every password, key and token the test run uses, so the log-scan test can prove none of them
 * reached a log. Registered by the helpers that create them.
 */
const secrets = new Set<string>();

export function rememberSecret(...values: string[]): void {
  for (const v of values) if (v.length >= 8) secrets.add(v);
}

export function usedSecrets(): ReadonlySet<string> {
  return secrets;
}
