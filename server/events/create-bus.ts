import type { Logger } from '../logger.js';
import type { Database } from '../storage/db.js';
import { InProcessEventBus, PgNotifyEventBus, type StateEventBus } from './state-events.js';

/** LISTEN/NOTIFY on a PostgreSQL server (crosses processes); in-process on the embedded engine. */
export function createStateEventBus(db: Database, logger: Logger): StateEventBus {
  if (db.backend === 'pglite') return new InProcessEventBus();
  return new PgNotifyEventBus(() => db.connect(), (err) => logger.error('state event bus error', { error: err }));
}
