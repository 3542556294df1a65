/**
 * One log file for the whole test run: test servers log into it at debug level, and the root hook
 * scans it at the end for every secret the run used (test/support/secrets.ts).
 */
import { appendFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createLogger, type Logger } from '../../server/logger.js';

export const RUN_LOG = path.resolve('test-artifacts', 'logs', `test-run-${process.pid}.log`);

let logger: Logger | undefined;

export function runLogger(): Logger {
  if (!logger) {
    mkdirSync(path.dirname(RUN_LOG), { recursive: true });
    logger = createLogger('debug', (line) => appendFileSync(RUN_LOG, line + '\n'));
  }
  return logger;
}

/** Appends output captured from a child process (a CLI, a spawned server) to the run log. */
export function appendToRunLog(source: string, text: string): void {
  if (!text) return;
  mkdirSync(path.dirname(RUN_LOG), { recursive: true });
  appendFileSync(RUN_LOG, text.split('\n').filter(Boolean).map((l) => `[${source}] ${l}`).join('\n') + '\n');
}

/** The secrets found in a log text, each shown only by its first characters. */
export function leakedSecrets(text: string, secrets: Iterable<string>): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    if (text.includes(secret) || text.includes(encodeURIComponent(secret))) found.push(`${secret.slice(0, 3)}… (${secret.length} chars)`);
  }
  return found;
}

export function readRunLog(): string {
  return existsSync(RUN_LOG) ? readFileSync(RUN_LOG, 'utf8') : '';
}
