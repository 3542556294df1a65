import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSOLE_DIST } from './http/console-static.js';

const CLIENT_DIR = fileURLToPath(new URL('../client/', import.meta.url));
const VITE_CONFIG = path.join(CLIENT_DIR, 'vite.config.ts');

/**
 * Builds the console with Vite when `client/dist` has no index.html (a fresh checkout), or when a
 * source file is newer than the build (a developer's edit: never serve a stale console).
 */
export async function ensureConsoleBuilt(log: (line: string) => void): Promise<void> {
  if (!existsSync(VITE_CONFIG)) return;
  const built = CONSOLE_DIST + 'index.html';
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : undefined;
  if (builtAt !== undefined && newestSourceMs() <= builtAt) return;
  log(builtAt === undefined ? 'building the console (first start)…' : 'rebuilding the console (its sources changed)…');
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: VITE_CONFIG, logLevel: 'warn' });
  log(`console built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Newest modification time among the files a build reads (dist and node_modules excluded). */
function newestSourceMs(dir = CLIENT_DIR): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name === 'docs') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMs(full) : statSync(full).mtimeMs);
  }
  return newest;
}
