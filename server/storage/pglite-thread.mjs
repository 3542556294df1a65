// Runs inside a worker thread: owns the PGlite instance and serves it over a Unix socket with
// pglite-socket, so the main thread talks the ordinary `pg` protocol and never blocks on a query.
// Plain JavaScript on purpose: a worker thread's entry module does not get the tsx loader on Node 20.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** @type {{ dataDir: string, socketPath: string, maxConnections: number }} */
const input = workerData;
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

try {
  const db = await PGlite.create({ dataDir: input.dataDir, extensions: { pg_trgm } });
  const server = new PGLiteSocketServer({ db, path: input.socketPath, maxConnections: input.maxConnections });
  await server.start();
  port.on('message', (message) => {
    if (message.type !== 'stop') return;
    void (async () => {
      await server.stop();
      await db.close();
      port.postMessage({ type: 'stopped' });
    })();
  });
  port.postMessage({ type: 'ready' });
} catch (err) {
  port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
}
