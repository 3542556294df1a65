import { expect } from 'chai';
import { MaintenanceRepository } from '../../../server/storage/maintenance.repository.js';
import type { Database } from '../../../server/storage/db.js';
import { backendNames, getDatabase } from '../../support/backends.js';

for (const backend of backendNames()) {
  describe(`maintenance repository [${backend}]`, () => {
    let db: Database;
    let sut: MaintenanceRepository;
    const stats = async () =>
      (await db.query<{ last_analyze: Date | null; last_vacuum: Date | null }>(
        `SELECT last_analyze, last_vacuum FROM pg_stat_user_tables WHERE relname = 'cameras' AND schemaname = current_schema()`,
      ))[0];

    before(async () => {
      db = await getDatabase(backend);
      sut = new MaintenanceRepository(db);
    });

    it('vacuums on every run and analyzes only statistics older than asked', async () => {
      // analyzeAfterMs   statistics      → VACUUM   ANALYZE
      //   1 hour          just analyzed     yes       no
      //   0               any               yes       yes
      //   1 ms            2 ms old          yes       yes
      await db.query('ANALYZE cameras');
      const fresh = await stats();
      expect(await sut.upkeep([{ table: 'cameras', analyzeAfterMs: 3_600_000 }])).to.deep.equal([]);
      const kept = await stats();
      expect(kept.last_analyze).to.deep.equal(fresh.last_analyze);
      expect(kept.last_vacuum).to.be.an.instanceOf(Date);
      expect(await sut.upkeep([{ table: 'cameras', analyzeAfterMs: 0 }])).to.deep.equal(['cameras']);
      const always = await stats();
      expect(always.last_analyze!.getTime()).to.be.above(fresh.last_analyze!.getTime());
      expect(always.last_vacuum!.getTime()).to.be.above(kept.last_vacuum!.getTime());
      await new Promise((resolve) => setTimeout(resolve, 2));
      expect(await sut.upkeep([{ table: 'cameras', analyzeAfterMs: 1 }])).to.deep.equal(['cameras']);
    });

    it('refuses a table it does not maintain, naming it', async () => {
      const refused = await sut.upkeep([{ table: 'users', analyzeAfterMs: 0 }]).catch((err: Error) => err);
      expect(refused).to.be.an.instanceOf(Error).with.property('message', 'not a maintained table: users');
    });
  });
}
