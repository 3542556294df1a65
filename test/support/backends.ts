/**
 * The databases storage tests run on: PGlite always, and the PostgreSQL server when
 * TEST_DATABASE_URL is set (required under CI=true, where an unreachable server fails the run).
 * Each backend is opened once per test run; suites call `reset()` to start from empty tables.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../server/storage/db.js';

export type BackendName = 'pglite' | 'postgres';

const opened = new Map<BackendName, Promise<Database>>();
let postgresUrl: string | undefined;
const cleanups: Array<() => Promise<void>> = [];

/** The backends this run covers. */
export function backendNames(): BackendName[] {
  const url = process.env.TEST_DATABASE_URL;
  if (!url && process.env.CI === 'true') {
    throw new Error('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL suites must run in CI');
  }
  return url ? ['pglite', 'postgres'] : ['pglite'];
}

export function getDatabase(name: BackendName): Promise<Database> {
  let db = opened.get(name);
  if (!db) {
    db = name === 'pglite' ? openPglite() : openPostgres();
    opened.set(name, db);
  }
  return db;
}

/** Empties every table the registry writes (migrations table kept). */
export async function reset(db: Database): Promise<void> {
  // TRUNCATE waits for every lock on these tables; if that takes long, say who holds them.
  const slow = setTimeout(() => void reportLockHolders(db), 10_000);
  try {
    await db.query('TRUNCATE cameras, camera_checks, outage_log, probe_samples');
  } finally {
    clearTimeout(slow);
  }
}

async function reportLockHolders(db: Database): Promise<void> {
  if (db.backend !== 'postgres') return console.error('reset: TRUNCATE waiting for over 10 s (embedded database)');
  const admin = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
    const { rows } = await admin.query(
      `SELECT pid, state, wait_event_type, wait_event, now() - xact_start AS in_xact, left(query, 200) AS query
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    console.error('reset: TRUNCATE waiting for over 10 s; sessions on this database:\n' + rows.map((r) => JSON.stringify(r)).join('\n'));
  } catch (err) {
    console.error('reset: TRUNCATE waiting for over 10 s; could not list sessions:', (err as Error).message);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

async function openPglite(): Promise<Database> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sem-test-pglite-'));
  const db = await openDatabase({ pgliteDir: path.join(dir, 'pg') });
  cleanups.push(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return db;
}

/** A throw-away database on the server, so tests never touch real data and runs can overlap. */
async function openPostgres(): Promise<Database> {
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `sem_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`cannot reach the PostgreSQL server at TEST_DATABASE_URL: ${(err as Error).message}`);
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  postgresUrl = url.toString();
  const db = await openDatabase({ databaseUrl: postgresUrl, pgliteDir: '' });
  cleanups.push(async () => {
    await db.close();
    const again = new pg.Client({ connectionString: adminUrl });
    await again.connect();
    await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await again.end();
  });
  return db;
}

/** The URL of this run's throw-away database on the server (after getDatabase('postgres')). */
export function postgresTestUrl(): string {
  if (!postgresUrl) throw new Error("call getDatabase('postgres') first");
  return postgresUrl;
}

export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL;
}

/** Closes every backend opened in this run. */
export async function closeAll(): Promise<void> {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  opened.clear();
}
