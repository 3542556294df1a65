import type pg from 'pg';

/**
 * A statement the database parses and plans once per connection and then runs by name (a
 * PostgreSQL prepared statement): for the liveness engine's claim and write-back, which run every
 * second with the same text. Parsing, analysing and planning those CTEs again on every run was
 * about a third of what they cost the embedded engine (`npm run bench:writeback`).
 */
export interface NamedStatement {
  /** A plain identifier; each connection prepares it under this name plus a suffix of its own. */
  readonly name: string;
  readonly text: string;
}

export type Sql = string | NamedStatement;

/** Per connection: the suffix of its statement names and the names it prepared. */
const prepared = new WeakMap<pg.ClientBase, { serial: number; names: Set<string> }>();
let lastSerial = 0;

/**
 * Runs `sql` on `client`. A named statement is prepared under a name of this connection's own:
 * on the embedded engine every connection shares one PGlite session, where a statement prepared
 * by one connection exists for all and a second Parse of the same name fails.
 */
export function queryOn(client: pg.ClientBase, sql: Sql, params: readonly unknown[] = []): Promise<pg.QueryResult> {
  if (typeof sql === 'string') return client.query(sql, params as unknown[]);
  let mine = prepared.get(client);
  if (!mine) prepared.set(client, (mine = { serial: ++lastSerial, names: new Set() }));
  const name = `${sql.name}_${mine.serial}`;
  mine.names.add(name);
  return client.query({ name, text: sql.text, values: params as unknown[] });
}

/** The statement names this connection prepared (for DEALLOCATE where its session outlives it). */
export function preparedNames(client: pg.ClientBase): string[] {
  return [...(prepared.get(client)?.names ?? [])];
}

/** Rows of `sql` run on one connection, as the repositories' Queryable wants them. */
export async function rowsOn<T extends object>(client: pg.ClientBase, sql: Sql, params?: readonly unknown[]): Promise<T[]> {
  return (await queryOn(client, sql, params)).rows as T[];
}
