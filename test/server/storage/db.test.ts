import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onConnection, openDatabase } from '../../../server/storage/db.js';
import type { NamedStatement } from '../../../server/storage/named-statement.js';
import { DatabaseLockedError } from '../../../server/storage/pglite-lock.js';
import { migrate } from '../../../server/storage/migrate.js';
import { backendNames, getDatabase } from '../../support/backends.js';

describe('embedded database (PGlite in a worker thread)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sem-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates missing parent folders, persists across reopen, and releases its lock', async () => {
    const folder = path.join(dir, 'deep', 'nested', 'pg');
    const first = await openDatabase({ pgliteDir: folder });
    await first.query(`INSERT INTO cameras (device_id, id_edition, name, network_code, town_code) VALUES ('34182100001320000001', '2016', 'a', 'sky', 'meizhu')`);
    expect(existsSync(`${folder}.lock`)).to.equal(true);
    await first.close();
    expect(existsSync(`${folder}.lock`)).to.equal(false);
    const second = await openDatabase({ pgliteDir: folder });
    const rows = await second.query<{ n: number }>('SELECT count(*) AS n FROM cameras');
    expect(rows[0].n).to.equal(1);
    await second.close();
  });

  it('refuses a second opener of the same folder with a clear message, and takes over a stale lock', async () => {
    const folder = path.join(dir, 'pg');
    const db = await openDatabase({ pgliteDir: folder });
    try {
      await openDatabase({ pgliteDir: folder }).then(
        () => expect.fail('second open must be refused'),
        (err: unknown) => {
          expect(err).to.be.instanceOf(DatabaseLockedError);
          expect((err as Error).message).to.contain(`process ${process.pid}`).and.contain('DATABASE_URL');
        },
      );
    } finally {
      await db.close();
    }
    writeFileSync(`${folder}.lock`, '999999999'); // a pid that cannot be alive
    const again = await openDatabase({ pgliteDir: folder });
    await again.close();
  });
});

for (const backend of backendNames()) {
  describe(`database behaviour shared by both backends [${backend}]`, () => {
    it('returns bigint counts and sums as numbers, dates as YYYY-MM-DD text', async () => {
      const db = await getDatabase(backend);
      const [row] = await db.query<{ n: number; big: number; d: string }>(`SELECT count(*) AS n, 9007199254740::int8 AS big, DATE '2024-02-29' AS d`);
      expect(row).to.deep.equal({ n: 1, big: 9007199254740, d: '2024-02-29' });
    });

    it('applies migrations once; re-running is a no-op', async () => {
      const db = await getDatabase(backend);
      expect(await migrate(db)).to.deep.equal([]);
      const rows = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).to.include('001_cameras.sql');
    });

    it('rolls a failed transaction back completely', async () => {
      const db = await getDatabase(backend);
      await db.query('CREATE TABLE IF NOT EXISTS tx_probe (n int PRIMARY KEY)');
      await db.query('TRUNCATE tx_probe');
      await db
        .transaction(async (tx) => {
          await tx.query('INSERT INTO tx_probe VALUES (1)');
          await tx.query('INSERT INTO tx_probe VALUES (1)');
        })
        .catch(() => undefined);
      expect((await db.query<{ n: number }>('SELECT count(*) AS n FROM tx_probe'))[0].n).to.equal(0);
      await db.query('DROP TABLE tx_probe');
    });

    it('keeps concurrent parameterised queries on separate connections apart', async () => {
      const db = await getDatabase(backend);
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) => db.query<{ a: number; b: string }>('SELECT $1::int AS a, $2::text AS b', [i, `v${i}`])),
      );
      results.forEach((rows, i) => expect(rows[0]).to.deep.equal({ a: i, b: `v${i}` }));
    });

    it('runs a named statement on any connection, prepared once by each under a name of its own', async () => {
      const db = await getDatabase(backend);
      const statement: NamedStatement = { name: 'named_probe', text: 'SELECT $1::int * 2 AS twice' };
      const conn = await db.connect();
      try {
        const results = await Promise.all([
          ...Array.from({ length: 60 }, (_, i) => db.query<{ twice: number }>(statement, [i])),
          db.transaction((tx) => tx.query<{ twice: number }>(statement, [60])),
          onConnection(conn).query<{ twice: number }>(statement, [61]),
          onConnection(conn).query<{ twice: number }>(statement, [62]),
        ]);
        results.forEach((rows, i) => expect(rows[0].twice).to.equal(i * 2));
        const [mine] = await onConnection(conn).query<{ n: number }>(`SELECT count(*) AS n FROM pg_prepared_statements WHERE name LIKE 'named\\_probe\\_%'`);
        // The server lists one session's statements; PGlite's one session holds every connection's.
        if (backend === 'postgres') expect(mine.n).to.equal(1);
        else expect(mine.n).to.be.within(2, 12);
      } finally {
        conn.release();
      }
    });

    it('does not let other connections see an open transaction, nor block them forever', async () => {
      const db = await getDatabase(backend);
      await db.query('CREATE TABLE IF NOT EXISTS iso_probe (n int)');
      await db.query('TRUNCATE iso_probe');
      let seenInside = -1;
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO iso_probe VALUES (1)');
        const other = db.query<{ n: number }>('SELECT count(*) AS n FROM iso_probe');
        // On the server the other connection reads the old snapshot at once; on PGlite it waits for COMMIT.
        const first = await Promise.race([other, new Promise<null>((r) => setTimeout(() => r(null), 200))]);
        seenInside = first ? first[0].n : 0;
      });
      expect(seenInside).to.equal(0);
      expect((await db.query<{ n: number }>('SELECT count(*) AS n FROM iso_probe'))[0].n).to.equal(1);
      await db.query('DROP TABLE iso_probe');
    });
  });
}

describe('embedded database: prepared statements in its one shared session', () => {
  it('deallocates what a dropped connection prepared, which would otherwise outlive it', async () => {
    const db = await getDatabase('pglite');
    const statement: NamedStatement = { name: 'dropped_probe', text: 'SELECT $1::text AS s' };
    const count = async () => (await db.query<{ n: number }>(`SELECT count(*) AS n FROM pg_prepared_statements WHERE name LIKE 'dropped\\_probe\\_%'`))[0].n;
    const conn = await db.connect();
    expect(await onConnection(conn).query(statement, ['a'])).to.deep.equal([{ s: 'a' }]);
    expect(await count()).to.equal(1);
    conn.release(true); // as the scheduler drops its claim connection after an error
    for (let waited = 0; (await count()) > 0 && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(await count()).to.equal(0);
  });
});

describe('embedded database under concurrent extended-protocol queries', () => {
  it('never mixes one connection\'s Parse/Bind/Execute with another\'s (upstream pglite-socket issue)', async () => {
    const db = await getDatabase('pglite');
    const big = 'x'.repeat(1_000_000);
    for (let round = 0; round < 60; round++) {
      const [a, b, c] = await Promise.all([
        db.query<{ n: number }>('SELECT length($1::text) AS n', [big]),
        db.query<{ s: string; t: number }>('SELECT $1::text AS s, $2::int AS t', ['offline', round]),
        db.query<{ v: number[] }>('SELECT ARRAY[$1::int, $2::int, $3::int, $4::int, $5::int] AS v', [1, 2, 3, 4, round]),
      ]);
      expect(a[0].n).to.equal(1_000_000);
      expect(b[0]).to.deep.equal({ s: 'offline', t: round });
      expect(c[0].v).to.deep.equal([1, 2, 3, 4, round]);
    }
  });
});
