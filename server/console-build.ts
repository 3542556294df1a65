import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONSOLE_DIST } from './http/console-static.js';

const VITE_CONFIG = fileURLToPath(new URL('../client/vite.config.ts', import.meta.url));

/** Builds the console with Vite when `client/dist` has no index.html (a fresh checkout). */
export async function ensureConsoleBuilt(log: (line: string) => void): Promise<void> {
  if (existsSync(CONSOLE_DIST + 'index.html') || !existsSync(VITE_CONFIG)) return;
  log('building the console (first start)…');
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: VITE_CONFIG, logLevel: 'warn' });
  log(`console built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
