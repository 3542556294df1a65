/**
 * Process plumbing for `bench:probe`: the throw-away database, the simulator child, forked bench
 * children with a typed message queue, and CPU readings from /proc (Linux) for processes and the machine.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const log = (msg: string) => process.stderr.write(`[bench:probe] ${msg}\n`);

/** Where the bench's database lives, and how to throw it away. */
export interface Backend {
  name: 'pglite' | 'postgres';
  databaseUrl?: string;
  /** The throw-away database's name on a server (its backends' CPU is measured). */
  dbName?: string;
  /**
   * VACUUM ANALYZE of the tables the worker rewrote (on a server; PGlite lives in the worker's process):
   * the saturation phase writes ~45,000 check rows, and an autovacuum starting during the second
   * full-speed floor would share the two cores with it.
   */
  settle?(): Promise<void>;
  drop(): Promise<void>;
}

/** A database `sem_bench_<pid>` on the server named by `adminUrl`, dropped by `drop()`. */
export async function throwAwayDatabase(adminUrl: string): Promise<Backend> {
  const dbName = `sem_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`cannot reach the PostgreSQL server at DATABASE_URL: ${(err as Error).message}`);
  }
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`); // a crashed run with a recycled pid
    await admin.query(`CREATE DATABASE ${dbName}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  log(`created throw-away database ${dbName}`);
  return {
    name: 'postgres',
    databaseUrl: url.toString(),
    dbName,
    settle: async () => {
      const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
      await client.connect();
      try {
        await client.query('VACUUM ANALYZE camera_checks, cameras, probe_samples');
      } finally {
        await client.end();
      }
    },
    drop: async () => {
      const again = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
      await again.connect();
      try {
        await again.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      } finally {
        await again.end();
      }
      log(`dropped database ${dbName}`);
    },
  };
}

export interface Simulator {
  child: ChildProcess;
  control: string;
  startMs: number;
}

/**
 * Sets each camera's fault through the simulator's control API (`fault(cam)` is the request body),
 * 100 requests at a time; returns when each took effect (ms since epoch), in `cameras` order.
 */
export async function setSimulatorFaults<C extends { index: number }>(control: string, cameras: readonly C[], fault: (cam: C) => object): Promise<number[]> {
  const at = new Array<number>(cameras.length);
  for (let first = 0; first < cameras.length; first += 100) {
    await Promise.all(cameras.slice(first, first + 100).map(async (cam, k) => {
      const body = fault(cam);
      const res = await fetch(`${control}/cameras/${cam.index}/fault`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`simulator refused the fault ${JSON.stringify(body)} for camera ${cam.index}: HTTP ${res.status}`);
      at[first + k] = Date.now();
    }));
  }
  return at;
}

/** Starts `workers/simulator/main.ts` as its own process and waits for its `{"ready":true,…}` line. */
export function startSimulator(cameras: number, base: string, port: number, nvr: number[] = []): Promise<Simulator> {
  const main = fileURLToPath(new URL('../../workers/simulator/main.ts', import.meta.url));
  const args = ['--import', 'tsx', main, '--cameras', String(cameras), '--base', base, '--port', String(port), '--control-port', '0'];
  if (nvr.length > 0) args.push('--nvr', nvr.join(','));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[simulator] ${d.toString()}`));
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (d: Buffer) => {
      text += d.toString();
      const line = text.split('\n').find((l) => l.startsWith('{') && l.includes('"ready"'));
      if (!line) return;
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      const ready = JSON.parse(line) as { control: string; startMs: number };
      resolve({ child, control: ready.control, startMs: ready.startMs });
    };
    const onExit = (code: number | null) => reject(new Error(`simulator exited with code ${code} before it was ready: ${text.slice(0, 300)}`));
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

type Message = { type: string };

/**
 * A forked bench child (`node --import tsx file`) with an IPC queue: `next(type)` resolves with the
 * next message of that type, rejects when the child sends `{type:'failed'}`, exits, or times out.
 */
export class BenchChild<M extends Message> {
  readonly child: ChildProcess;
  private readonly queue: M[] = [];
  private waiter: { type: string; resolve: (m: M) => void; reject: (e: Error) => void } | undefined;
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(readonly name: string, file: string, argv: string[], env: NodeJS.ProcessEnv, execArgv: string[] = []) {
    const path = fileURLToPath(new URL(file, import.meta.url));
    this.child = fork(path, argv, { execArgv: ['--import', 'tsx', ...execArgv], env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    // Children log to stderr; their stdout is not ours (we print exactly one JSON line).
    this.child.stdout!.on('data', (d: Buffer) => process.stderr.write(`[${name}] ${d.toString()}`));
    this.child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[${name}] ${d.toString()}`));
    this.child.on('message', (m: M) => {
      if (m.type === 'failed') return this.fail(new Error(`${name} failed: ${(m as unknown as { message: string }).message}`));
      this.queue.push(m);
      this.deliver();
    });
    this.child.on('exit', (code, signal) => {
      this.exit = { code, signal };
      this.fail(new Error(`${name} exited unexpectedly (code ${code}, signal ${signal})`));
    });
  }

  send(message: object): void {
    this.child.send(message);
  }

  next<T extends M['type']>(type: T, timeoutMs: number): Promise<Extract<M, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`${this.name}: no "${type}" message within ${timeoutMs} ms`)), timeoutMs);
      this.waiter = {
        type,
        resolve: (m) => (clearTimeout(timer), resolve(m as Extract<M, { type: T }>)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      this.deliver();
      if (this.exit && this.waiter) this.fail(new Error(`${this.name} already exited (code ${this.exit.code})`));
    });
  }

  /** Waits for the child to exit (after `stop`), killing it after `graceMs`. */
  async ended(graceMs: number): Promise<void> {
    if (this.exit) return;
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await done;
    clearTimeout(timer);
  }

  /** Ends the child if it still runs (SIGTERM, then SIGKILL). */
  async kill(): Promise<void> {
    if (this.exit || this.child.exitCode !== null) return;
    this.waiter = undefined;
    this.child.kill('SIGTERM');
    await this.ended(5000);
  }

  private deliver(): void {
    if (!this.waiter) return;
    const i = this.queue.findIndex((m) => m.type === this.waiter!.type);
    if (i < 0) return;
    const [m] = this.queue.splice(i, 1);
    const w = this.waiter;
    this.waiter = undefined;
    w.resolve(m);
  }

  private fail(err: Error): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(err);
  }
}

/** Stops a spawned process: SIGTERM, SIGKILL after `graceMs`. */
export async function stopProcess(child: ChildProcess | undefined, graceMs = 5000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
}

const TICK_MS = 10; // CLK_TCK = 100 on Linux

/** utime + stime of a process (all threads) or one thread, in ms; NaN when unreadable. */
export function procCpuMs(pid: number, tid?: number): number {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

/**
 * Runs `open` and names the threads of this process it started — the embedded database's engine
 * (PGlite's worker thread). libuv starts its thread pool on first use, so it is started first: its
 * threads are not counted.
 */
export async function threadsStartedBy<T>(open: () => Promise<T>): Promise<{ value: T; threads: number[] }> {
  const threadIds = () => readdirSync('/proc/self/task').map(Number);
  await readFile('/proc/self/stat');
  const before = new Set(threadIds());
  const value = await open();
  return { value, threads: threadIds().filter((tid) => !before.has(tid)) };
}

/** CPU ms of these threads of this process (one gone meanwhile drops out of the sum). */
export function threadsCpuMs(threads: readonly number[]): number {
  let ms = 0;
  for (const tid of threads) {
    const t = procCpuMs(process.pid, tid);
    if (Number.isFinite(t)) ms += t;
  }
  return ms;
}

/** Busy and total CPU time of the whole machine (all cores), in ms. */
export function machineCpuMs(): { busy: number; total: number } {
  const [line] = readFileSync('/proc/stat', 'utf8').split('\n');
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = v[3] + v[4];
  return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
}

const backendCpu = new Map<number, number>();

/**
 * CPU ms of the PostgreSQL backends serving `dbName` (their command line names the database), summed
 * over every backend seen so far — one that exits keeps its last reading, so the sum never drops.
 */
export function backendsCpuMs(dbName: string): number {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const ms = procCpuMs(Number(pid));
      if (cmd.startsWith('postgres:') && cmd.includes(` ${dbName} `) && Number.isFinite(ms)) backendCpu.set(Number(pid), ms);
    } catch {
      // gone meanwhile
    }
  }
  let sum = 0;
  for (const ms of backendCpu.values()) sum += ms;
  return sum;
}

/**
 * Samples every second how many cores processes other than `pids` (and the database's backends)
 * keep busy, so a lag spike can be matched with someone else's burst on a shared machine.
 */
export function sampleOtherLoad(pids: number[], dbName?: string): { stop(): Array<{ t: number; cores: number }> } {
  const read = () => ({
    t: Date.now(),
    machine: machineCpuMs().busy,
    ours: pids.reduce((a, pid) => a + (procCpuMs(pid) || 0), 0) + (dbName ? backendsCpuMs(dbName) : 0),
  });
  let last = read();
  const series: Array<{ t: number; cores: number }> = [];
  const timer = setInterval(() => {
    const now = read();
    series.push({ t: now.t, cores: Math.max(0, (now.machine - last.machine - (now.ours - last.ours)) / (now.t - last.t)) });
    last = now;
  }, 1000);
  return {
    stop: () => {
      clearInterval(timer);
      return series;
    },
  };
}
