import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { acquireDirectoryLock } from './pglite-lock.js';

/** Where `pg` reaches the embedded engine: a Unix-socket directory and the port naming the socket file. */
export interface EmbeddedServer {
  socketDir: string;
  port: number;
  stop(): Promise<void>;
}

const SOCKET_PORT = 5432;
// sun_path holds 108 bytes; leave room for "/.s.PGSQL.5432".
const MAX_SOCKET_DIR = 90;

/**
 * Opens the PGlite data folder (creating missing parents) in a worker thread, behind a
 * lock file, and serves it on a private Unix socket (mode 0700 folder: no TCP port is opened).
 */
export async function startEmbeddedServer(dataDir: string, maxConnections = 64): Promise<EmbeddedServer> {
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const release = acquireDirectoryLock(dataDir);
  const socketDir = pickSocketDir(dataDir);
  const socketPath = path.join(socketDir, `.s.PGSQL.${SOCKET_PORT}`);
  rmSync(socketPath, { force: true }); // a crashed predecessor may have left it; we hold the lock
  const worker = new Worker(new URL('./pglite-thread.mjs', import.meta.url), {
    workerData: { dataDir, socketPath, maxConnections },
  });
  try {
    await waitFor(worker, 'ready');
  } catch (err) {
    await worker.terminate();
    release();
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    socketDir,
    port: SOCKET_PORT,
    stop() {
      stopped ??= (async () => {
        worker.postMessage({ type: 'stop' });
        await waitFor(worker, 'stopped').catch(() => undefined);
        await worker.terminate();
        rmSync(socketPath, { force: true });
        release();
      })();
      return stopped;
    },
  };
}

function pickSocketDir(dataDir: string): string {
  const beside = `${dataDir}.run`;
  if (beside.length <= MAX_SOCKET_DIR) {
    mkdirSync(beside, { recursive: true, mode: 0o700 });
    return beside;
  }
  return mkdtempSync(path.join(os.tmpdir(), 'sem-pg-'));
}

function waitFor(worker: Worker, type: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string; message?: string }) => {
      if (message.type === type) done(() => resolve());
      else if (message.type === 'failed') done(() => reject(new Error(`embedded database failed to open: ${message.message}`)));
    };
    const onError = (err: Error) => done(() => reject(err));
    const onExit = (code: number) => done(() => reject(new Error(`embedded database thread exited with code ${code}`)));
    const done = (fn: () => void) => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      fn();
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}
