import pg from 'pg';
import type { Config } from '../../config/index.js';
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server.js';
import { migrate } from './migrate.js';
import { preparedNames, rowsOn, type Sql } from './named-statement.js';

/** Anything that runs SQL: the database itself or a transaction's client. */
export interface Queryable {
  query<T extends object = Record<string, unknown>>(sql: Sql, params?: readonly unknown[]): Promise<T[]>;
}

/** A Queryable on one connection (a transaction's, or a dedicated one such as the scheduler's claims). */
export function onConnection(client: pg.ClientBase): Queryable {
  return { query: <T extends object>(sql: Sql, params?: readonly unknown[]) => rowsOn<T>(client, sql, params) };
}

export type Backend = 'pglite' | 'postgres';

// Raw SQL returns bigint as a number on PGlite but a string on `pg`; since both modes talk `pg`
// here, one parser set keeps counts numeric everywhere. Dates stay 'YYYY-MM-DD' text: no time zone.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    if (oid === DATE) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** The one handle the repositories use; the same code path on PGlite and on a PostgreSQL server. */
export class Database implements Queryable {
  constructor(
    private readonly pool: pg.Pool,
    readonly backend: Backend,
    private readonly embedded?: EmbeddedServer,
  ) {}

  async query<T extends object = Record<string, unknown>>(sql: Sql, params: readonly unknown[] = []): Promise<T[]> {
    if (typeof sql === 'string') return (await this.pool.query(sql, params as unknown[])).rows as T[];
    // A named statement is prepared per connection: run it on one we hold, released as pool.query releases.
    const client = await this.pool.connect();
    try {
      const rows = await rowsOn<T>(client, sql, params);
      client.release();
      return rows;
    } catch (err) {
      client.release(err as Error);
      throw err;
    }
  }

  /** Runs `work` in one transaction on one connection; rolls back if it throws. */
  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const value = await work(onConnection(client));
      await client.query('COMMIT');
      return value;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** A dedicated connection (for LISTEN, advisory locks, claims that must not share a session). */
  connect(): Promise<pg.PoolClient> {
    return this.pool.connect();
  }

  async close(): Promise<void> {
    await this.pool.end();
    await this.embedded?.stop();
  }
}

export interface OpenOptions {
  /** A postgres:// URL; when absent the embedded engine is opened at `pgliteDir`. */
  databaseUrl?: string;
  pgliteDir: string;
  poolSize?: number;
}

/** Opens the configured database and applies pending migrations before returning. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  const poolSize = options.poolSize ?? 10;
  let db: Database;
  if (options.databaseUrl) {
    db = new Database(makePool({ connectionString: options.databaseUrl, max: poolSize }), 'postgres');
  } else {
    const embedded = await startEmbeddedServer(options.pgliteDir);
    // Connections to the engine thread cost nothing idle, so they are kept (idleTimeoutMillis 0): all of them
    // share one PGlite session, where what a connection prepared outlives it (see forgetPreparedOf).
    const pool = makePool({ host: embedded.socketDir, port: embedded.port, user: 'postgres', database: 'postgres', max: poolSize, idleTimeoutMillis: 0 });
    pool.on('remove', (client) => forgetPreparedOf(pool, client));
    db = new Database(pool, 'pglite', embedded);
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

/** Convenience for the composition root. */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir });
}

/**
 * On PGlite a closed connection's prepared statements stay in the shared session: a connection
 * dropped after an error would leave its plans behind for good. They are deallocated by name.
 */
function forgetPreparedOf(pool: pg.Pool, client: pg.ClientBase): void {
  if (pool.ending) return; // the session ends with the engine
  for (const name of preparedNames(client)) pool.query(`DEALLOCATE "${name}"`).catch(() => undefined);
}

function makePool(options: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ ...options, types: typeParsers, connectionTimeoutMillis: 10_000 });
  // An idle client dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}
