/**
 * `npm run probe -- <tcp|rtsp|onvif> <url> [--username U] [--password P] [--timeout-ms N]`
 * Runs one probe and prints its result as one JSON line. Exit 0 ok, 1 the camera failed, 2 bad arguments.
 * Credentials may also be given inline (rtsp://user:pass@host/…); they are never printed.
 */
import { parseArgs } from 'node:util';
import { splitUrlCredentials } from '../server/domain/camera.js';
import { probes, PROBE_NAMES } from './probes/index.js';
import type { ProbeName } from './probes/types.js';

const USAGE = 'usage: npm run probe -- <tcp|rtsp|onvif> <url> [--username U] [--password P] [--timeout-ms N]';

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { username: { type: 'string' }, password: { type: 'string' }, 'timeout-ms': { type: 'string' } },
    });
  } catch (err) {
    return usage((err as Error).message);
  }
  const [name, rawUrl, ...rest] = parsed.positionals;
  if (!PROBE_NAMES.includes(name as ProbeName) || !rawUrl || rest.length > 0) return usage();
  const timeoutMs = parsed.values['timeout-ms'] === undefined ? 5000 : Number(parsed.values['timeout-ms']);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 120_000) return usage('--timeout-ms must be an integer from 1 to 120000');
  const split = splitUrlCredentials(rawUrl);
  try {
    new URL(split.url);
  } catch {
    return usage(`not a URL: ${split.url}`);
  }
  const result = await probes[name as ProbeName](
    { url: split.url, username: parsed.values.username ?? split.username, password: parsed.values.password ?? split.password },
    { timeoutMs, connectTimeoutMs: Math.min(timeoutMs, 3000) },
  );
  process.stdout.write(JSON.stringify({ probe: name, url: split.url, ...result }) + '\n');
  return result.ok ? 0 : 1;
}

function usage(problem?: string): number {
  process.stderr.write(`${problem ? problem + '\n' : ''}${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`probe failed: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
