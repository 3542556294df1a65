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
  keepMessageSequencesTogether(server);
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

/**
 * pglite-socket 0.2.x multiplexes all connections onto one PGlite session but queues each protocol
 * message on its own, keeping a connection's messages together only inside an explicit transaction.
 * An extended-protocol query (Parse, Bind, Describe, Execute, Sync) from one connection can then be
 * interleaved with another's, which runs the wrong statement (upstream electric-sql/pglite#1046), and
 * one failed message left its queue stopped for good. This replaces the queue's scheduler: a
 * connection holds the engine from its first message until Sync, a simple Query or Terminate (and,
 * as before, for a whole transaction); a failure rejects that message and the queue carries on.
 * @param {any} server
 */
function keepMessageSequencesTogether(server) {
  const queue = server.queryQueue;
  /** @type {number | null} */
  let holder = null;
  const SEQUENCE_ENDS = new Set([0x53 /* Sync */, 0x51 /* Query */, 0x58 /* Terminate */]);
  queue.processQueue = async function processQueue() {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = holder ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        const index = owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === owner);
        if (index === -1) break; // the owner's next message will restart the queue
        const [item] = this.queue.splice(index, 1);
        const type = item.message[0];
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
          item.resolve(bytes);
        } catch (err) {
          item.reject(err);
        }
        this.lastHandlerId = item.handlerId;
        // A startup packet (first byte 0: its length) stands alone; other messages run until a sequence end.
        holder = type === 0 || SEQUENCE_ENDS.has(type) ? null : item.handlerId;
      }
    } finally {
      this.processing = false;
    }
  };
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (/** @type {number} */ handlerId) => {
    clear(handlerId);
    if (holder === handlerId) {
      holder = null;
      void queue.processQueue();
    }
  };
}
