/**
 * The CPU floor of `bench:probe`: the same wire exchanges as one liveness round (floor-requests.ts),
 * in its own process. Forked with `{ control, rounds, warmup, concurrency, paced? }` as argv[2]. Sends one
 * `{type:'result', rounds, failures, cpuMs, mainCpuMs, wallMs}` over IPC for the measured rounds
 * (after `warmup` unmeasured ones, at full speed) and exits.
 *
 * Full speed (default): `concurrency` lanes, each starting its next round as soon as one ends.
 * Paced (`paced: true`): sends `{type:'ready'}`, then takes `{type:'slots', offsetsMs, periodMs}` over IPC — the worker's
 * phase slots within one period, sorted — and starts round j at slot j mod N of period ⌊j / N⌋
 * (camera j mod N), from one chained timer, whatever is still running: the arrivals the schedule
 * gives the worker, so each round pays the same event-loop wake-ups the worker's does.
 */
import { prepare, round, type Prepared, type SimCamera } from './floor-requests.js';
import { procCpuMs } from './probe-env.js';
import type { FloorResult } from './probe-metrics.js';

async function run(cams: Prepared[], first: number, rounds: number, concurrency: number): Promise<number> {
  let next = 0;
  let failures = 0;
  const lane = async () => {
    while (next < rounds) {
      const i = first + next++;
      if (!(await round(cams[i % cams.length]))) failures++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, rounds) }, lane));
  return failures;
}

/** Starts round j at `at(j)` (ms, performance clock) however many are running; resolves with the failures once all ended. */
function runPaced(cams: Prepared[], rounds: number, offsetsMs: number[], periodMs: number): Promise<number> {
  const t0 = performance.now() + 20;
  const at = (j: number) => t0 + Math.floor(j / offsetsMs.length) * periodMs + offsetsMs[j % offsetsMs.length];
  let next = 0;
  let running = 0;
  let failures = 0;
  return new Promise((resolve) => {
    const ended = (ok: boolean) => {
      if (!ok) failures++;
      if (--running === 0 && next >= rounds) resolve(failures);
    };
    const tick = () => {
      const now = performance.now();
      for (; next < rounds && at(next) <= now; next++, running++) void round(cams[next % cams.length]).then(ended);
      if (next < rounds) setTimeout(tick, at(next) - now);
    };
    tick();
  });
}

type Slots = { type: 'slots'; offsetsMs: number[]; periodMs: number };

async function main(): Promise<void> {
  const { control, rounds, warmup, concurrency, paced } = JSON.parse(process.argv[2]) as {
    control: string; rounds: number; warmup: number; concurrency: number; paced?: boolean;
  };
  const slots = paced ? new Promise<Slots>((resolve) => process.once('message', (m: Slots) => resolve(m))) : undefined;
  if (paced) process.send!({ type: 'ready' });
  const cams = ((await (await fetch(`${control}/cameras`)).json()) as SimCamera[]).map(prepare);
  setTimeout(() => {
    process.send!({ type: 'failed', message: 'floor loop did not finish within 10 minutes' });
    process.exit(1);
  }, 600_000).unref();
  await run(cams, 0, warmup, concurrency);
  const pacing = await slots;
  const cpu0 = process.cpuUsage();
  const main0 = procCpuMs(process.pid, process.pid);
  const t0 = performance.now();
  const failures = pacing ? await runPaced(cams, rounds, pacing.offsetsMs, pacing.periodMs) : await run(cams, warmup, rounds, concurrency);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const result: FloorResult = {
    type: 'result', rounds, failures, cpuMs: (cpu.user + cpu.system) / 1000, mainCpuMs: procCpuMs(process.pid, process.pid) - main0, wallMs,
  };
  process.send!(result, () => process.exit(0));
}

main().catch((err: unknown) => {
  process.send!({ type: 'failed', message: String((err as Error)?.stack ?? err) });
  process.exit(1);
});
