/**
 * Starting and stopping the product in one process, as `npm start` does: context (database,
 * services) → liveness worker (when enabled) → HTTP server with the console and its Socket.IO
 * channel. Shared by server/main.ts's flow and the demo; signal handling stays with the caller.
 */
import type { Config } from '../config/index.js';
import type { Logger } from './logger.js';
import { createContext, type AppContext } from './context.js';
import { startHttpServer, type RunningHttp } from './http-server.js';
import { startWorker, type Worker } from '../workers/worker.js';
import { ensureFirstAdmin } from './services/access/bootstrap-admin.js';

/** Expired sessions and stale sign-in counters are swept this often. */
const ACCOUNT_SWEEP_MS = 15 * 60_000;

/** A running server process. */
export interface RunningServer {
  ctx: AppContext;
  /** Undefined when the worker is disabled (WORKER_ENABLED=false). */
  worker: Worker | undefined;
  http: RunningHttp;
  /** http://host:port/ */
  url: string;
  /** Closes HTTP, then the worker (letting running rounds finish), the event bus and the database. Idempotent. */
  stop(): Promise<void>;
}

/** Options of startServer. */
export interface StartOptions {
  /**
   * Runs after the database is open and before the worker starts, e.g. to register cameras so the
   * worker's first claim already sees them.
   */
  beforeWorker?: (ctx: AppContext) => Promise<void>;
  /** Where the first admin's one-time password is shown (default: stdout, once). */
  announce?: (text: string) => void;
}

/**
 * Opens the configured database and starts the worker and the HTTP server, in the order
 * server/main.ts uses. On a failure after the database opened, what started is closed again.
 */
export async function startServer(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningServer> {
  const ctx = await createContext(config, logger);
  let worker: Worker | undefined;
  let sweep: NodeJS.Timeout | undefined;
  try {
    await ensureFirstAdmin(ctx.userRepo, ctx.audit, logger, config.auth.adminInitialPassword, options.announce);
    sweep = setInterval(() => void ctx.auth.prune().catch((err: Error) => logger.warn('session sweep failed', { error: err })), ACCOUNT_SWEEP_MS);
    sweep.unref();
    await options.beforeWorker?.(ctx);
    worker = config.liveness.workerEnabled ? startWorker({ config, db: ctx.db, cipher: ctx.cipher, bus: ctx.bus, logger }) : undefined;
    const http = await startHttpServer(ctx, config.port, config.host);
    let stopped: Promise<void> | undefined;
    return {
      ctx,
      worker,
      http,
      url: http.url,
      stop: () => (stopped ??= (clearInterval(sweep), closeAll(ctx, worker, http))),
    };
  } catch (err) {
    clearInterval(sweep);
    await closeAll(ctx, worker, undefined).catch(() => undefined);
    throw err;
  }
}

async function closeAll(ctx: AppContext, worker: Worker | undefined, http: RunningHttp | undefined): Promise<void> {
  await http?.close();
  await worker?.stop();
  await ctx.bus.close();
  await ctx.db.close();
}
