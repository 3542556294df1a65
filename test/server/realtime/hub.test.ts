import { expect } from 'chai';
import { CameraRepository } from '../../../server/storage/camera.repository.js';
import type { Database } from '../../../server/storage/db.js';
import { backendNames, getDatabase, postgresTestUrl, reset } from '../../support/backends.js';
import { change, client, fields, seedCameras, until, type Client, type SeededCamera } from '../../support/console-events.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

for (const backend of backendNames()) {
  describe(`console realtime channel [${backend}]`, function () {
    this.timeout(30_000);
    let db: Database;
    let sut: TestServer;
    let cams: SeededCamera[];
    const sockets: Client[] = [];

    before(async () => {
      db = await getDatabase(backend);
      sut = await startTestServer(db);
    });
    beforeEach(async () => (cams = await seedCameras(db)));
    afterEach(() => sockets.splice(0).forEach((s) => s.close()));
    after(async () => sut.close());

    it('sends a snapshot with counts per town × network × state and the cameras in view', async () => {
      const c = client(sut);
      sockets.push(c.socket);
      await until(() => c.received.snapshots.length === 1);
      const snap = c.received.snapshots[0];
      expect(snap.cameras).to.have.length(600);
      expect(snap.counts.reduce((s, x) => s + x.count, 0)).to.equal(600);
      expect(snap.counts.find((x) => x.town === 'meizhu' && x.network === 'sky' && x.status === 'unknown')!.count).to.equal(100);
    });

    it('scopes a view to its towns: no event of another town arrives', async () => {
      const c = client(sut, { view: { towns: ['shizi'] } });
      sockets.push(c.socket);
      await until(() => c.received.snapshots.length === 1);
      expect(new Set(c.received.snapshots[0].cameras.map((x) => x.town))).to.deep.equal(new Set(['shizi']));
      await change(sut, cams.filter((x) => x.town_code === 'meizhu').slice(0, 5), 'offline');
      const shizi = await change(sut, cams.filter((x) => x.town_code === 'shizi').slice(0, 3), 'offline');
      await until(() => c.received.events.length >= 3);
      await new Promise((r) => setTimeout(r, 400));
      expect(c.received.events.map((e) => e.seq)).to.deep.equal(shizi.map((e) => e.seq));
    });

    it('coalesces a burst of 500 changes into a handful of messages, with authoritative counts', async () => {
      const c = client(sut);
      sockets.push(c.socket);
      await until(() => c.received.snapshots.length === 1);
      const burst = cams.filter((x) => x.town_code === 'meizhu').slice(0, 200).concat(cams.filter((x) => x.town_code !== 'meizhu').slice(0, 300));
      for (let i = 0; i < burst.length; i += 50) await change(sut, burst.slice(i, i + 50), 'offline');
      await until(() => c.received.events.length === 500);
      expect(c.received.messages).to.be.at.most(6);
      const seqs = c.received.events.map((e) => e.seq);
      expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
      const latest = c.received.counts.at(-1)!;
      expect(latest.filter((x) => x.status === 'offline').reduce((s, x) => s + x.count, 0)).to.be.greaterThan(0);
    });

    it('resumes after a reconnect by replaying the gap from the outage log', async () => {
      const first = client(sut);
      sockets.push(first.socket);
      await until(() => first.received.snapshots.length === 1);
      const lastSeq = first.received.snapshots[0].seq;
      first.socket.close();
      const missed = await change(sut, cams.slice(0, 7), 'offline');
      const again = client(sut, { lastSeq });
      sockets.push(again.socket);
      await until(() => again.received.resumed.length === 1);
      expect(again.received.snapshots).to.have.length(0);
      // A live batch may repeat what the replay sent (clients drop seqs they already have).
      expect([...new Set(again.received.events.map((e) => e.seq))]).to.deep.equal(missed.map((e) => e.seq));
      expect(again.received.resumed[0]).to.include({ from: lastSeq, replayed: 7 });
    });

    it('sends a fresh snapshot when the gap is too large to replay', async () => {
      await change(sut, cams.slice(0, 600), 'offline');
      for (let i = 0; i < 3; i++) await change(sut, cams.slice(0, 600), i % 2 ? 'offline' : 'online');
      const c = client(sut, { lastSeq: 0 });
      sockets.push(c.socket);
      await until(() => c.received.snapshots.length === 1);
      expect(c.received.snapshots[0].seq).to.be.at.least(2400);
    });
  });
}

if (backendNames().includes('postgres')) {
  describe('several server processes on one PostgreSQL server', function () {
    this.timeout(60_000);
    it('an event from a worker reaches clients on both servers; server broadcasts cross through the adapter', async () => {
      const db = await getDatabase('postgres');
      await reset(db);
      await new CameraRepository(db).insertMany([fields(1)]);
      const [cam] = await db.query<{ id: string; device_id: string; town_code: string }>('SELECT id, device_id, town_code FROM cameras');
      const env = { DATABASE_URL: postgresTestUrl() };
      const a = await startTestServer(db, env);
      const b = await startTestServer(db, env);
      const ca = client(a);
      const cb = client(b);
      try {
        await until(() => ca.received.snapshots.length === 1 && cb.received.snapshots.length === 1);
        await (a.ctx.bus as unknown as { ensureListening(): Promise<void> }).ensureListening();
        await (b.ctx.bus as unknown as { ensureListening(): Promise<void> }).ensureListening();
        // A third handle stands in for a worker process: it only publishes.
        const worker = await startTestServer(db, env);
        const [event] = await change(worker, [cam], 'offline');
        await worker.close();
        await until(() => ca.received.events.length === 1 && cb.received.events.length === 1);
        expect(ca.received.events[0].seq).to.equal(event.seq);
        expect(cb.received.events[0].seq).to.equal(event.seq);
        // Through the adapter: a broadcast from server A reaches the client of server B. The adapter
        // starts listening asynchronously, so the broadcast is repeated until it crosses (bounded).
        let crossed = false;
        cb.socket.once('state:resumed', () => (crossed = true));
        const deadline = Date.now() + 15_000;
        while (!crossed && Date.now() < deadline) {
          a.hub.io.to('town:' + cam.town_code).emit('state:resumed', { from: 0, to: 0, replayed: 0 });
          await new Promise((r) => setTimeout(r, 300));
        }
        expect(crossed, 'broadcast crossed to the other server').to.equal(true);
      } finally {
        ca.socket.close();
        cb.socket.close();
        await a.close();
        await b.close();
      }
    });
  });
}
