import { expect } from 'chai';
import type { Database } from '../../../server/storage/db.js';
import { backendNames, getDatabase } from '../../support/backends.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { createUser, signIn, tokenFor } from '../../support/accounts.js';
import { change, client, seedCameras, until, type Client, type SeededCamera } from '../../support/console-events.js';

for (const backend of backendNames()) {
  describe(`console channel access: who receives what [${backend}]`, function () {
    this.timeout(60_000);
    let db: Database;
    let sut: TestServer;
    let cams: SeededCamera[];
    const sockets: Client[] = [];
    const keep = <T extends { socket: Client }>(c: T) => (sockets.push(c.socket), c);

    before(async () => {
      db = await getDatabase(backend);
      sut = await startTestServer(db);
    });
    beforeEach(async () => (cams = await seedCameras(db)));
    afterEach(() => sockets.splice(0).forEach((s) => s.close()));
    after(() => sut.close());

    it('gives a crew of 十字镇 and a crew of 梅渚镇 only their own town, through a burst and a view change', async () => {
      const shiziCrew = await createUser(sut, 'crew', ['shizi']);
      const meizhuCrew = await createUser(sut, 'crew', ['meizhu']);
      const shiziSession = await signIn(sut, shiziCrew.username, shiziCrew.password);
      const shizi = keep(client({ origin: sut.origin }, {}, { cookie: shiziSession.cookie }));
      const meizhu = keep(client({ origin: sut.origin, adminToken: await tokenFor(sut, meizhuCrew) }, { view: { towns: ['meizhu', 'shizi', 'jianping'] } }));
      await until(() => shizi.received.snapshots.length === 1 && meizhu.received.snapshots.length === 1);
      expect(new Set(shizi.received.snapshots[0].cameras.map((c) => c.town))).to.deep.equal(new Set(['shizi']));
      expect(new Set(meizhu.received.snapshots[0].counts.map((c) => c.town))).to.deep.equal(new Set(['meizhu']));

      const burst = cams.slice(0, 450); // 150 cameras in each of the three towns
      for (let i = 0; i < burst.length; i += 50) await change(sut, burst.slice(i, i + 50), 'offline');
      await until(() => shizi.received.events.length === 150 && meizhu.received.events.length === 150);
      await new Promise((r) => setTimeout(r, 500));
      expect(new Set(shizi.received.events.map((e) => e.town))).to.deep.equal(new Set(['shizi']));
      expect(new Set(meizhu.received.events.map((e) => e.town))).to.deep.equal(new Set(['meizhu']));
      expect(shizi.received.counts.flat().every((c) => c.town === 'shizi')).to.equal(true);
      expect(meizhu.received.counts.flat().every((c) => c.town === 'meizhu')).to.equal(true);

      // Asking for another town's view yields nothing of it.
      const snap = await shizi.socket.timeout(5000).emitWithAck('view:set', { towns: ['meizhu'] });
      expect(snap.cameras).to.have.length(0);
      expect(snap.counts).to.have.length(0);
    });

    it('refuses sockets without a valid session or token, and from a foreign origin', async () => {
      const anonymous = keep(client({ origin: sut.origin }));
      const badToken = keep(client({ origin: sut.origin }, { token: 'sem_not_a_real_token' }));
      const foreign = keep(client({ origin: sut.origin, adminToken: sut.adminToken }, {}, { origin: 'http://evil.example' }));
      await until(() => anonymous.received.errors.length > 0 && badToken.received.errors.length > 0 && foreign.received.errors.length > 0);
      expect([anonymous.received.errors[0], badToken.received.errors[0], foreign.received.errors[0]]).to.deep.equal(['unauthenticated', 'unauthenticated', 'forbidden origin']);
      expect(anonymous.received.snapshots).to.have.length(0);
    });

    it('ends a live socket when its user signs out everywhere or its token is revoked', async () => {
      const crew = await createUser(sut, 'crew', ['meizhu']);
      const session = await signIn(sut, crew.username, crew.password);
      const byCookie = keep(client({ origin: sut.origin }, {}, { cookie: session.cookie }));
      const token = await tokenFor(sut, crew);
      const byToken = keep(client({ origin: sut.origin, adminToken: token }));
      await until(() => byCookie.received.snapshots.length === 1 && byToken.received.snapshots.length === 1);
      await fetch(`${sut.url}/auth/logout-all`, { method: 'POST', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } });
      await until(() => byCookie.received.ended === 1 && !byCookie.socket.connected);
      expect(byToken.socket.connected).to.equal(true);
      const [row] = await db.query<{ id: string }>('SELECT id FROM api_tokens WHERE user_id = $1', [crew.id]);
      await sut.api(`/tokens/${row.id}/revoke`, { method: 'POST' });
      await until(() => byToken.received.ended === 1 && !byToken.socket.connected);
    });

    it('re-scopes a live socket when an admin changes the user’s towns (a token keeps only what both allow)', async () => {
      const crew = await createUser(sut, 'crew', ['meizhu']);
      const session = await signIn(sut, crew.username, crew.password);
      const c = keep(client({ origin: sut.origin }, {}, { cookie: session.cookie }));
      const byToken = keep(client({ origin: sut.origin, adminToken: await tokenFor(sut, crew) }));
      await until(() => c.received.snapshots.length === 1 && byToken.received.snapshots.length === 1);
      await sut.api(`/users/${crew.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ towns: ['shizi'] }) });
      await until(() => c.received.snapshots.length === 2 && byToken.received.snapshots.length === 2);
      expect(new Set(c.received.snapshots[1].cameras.map((x) => x.town))).to.deep.equal(new Set(['shizi']));
      // The token was issued for 梅渚镇; the account now holds only 十字镇: the token sees neither.
      expect(byToken.received.snapshots[1].cameras).to.have.length(0);
      await change(sut, cams.filter((x) => x.town_code !== 'shizi').slice(0, 5), 'offline');
      const mine = await change(sut, cams.filter((x) => x.town_code === 'shizi').slice(0, 2), 'offline');
      await until(() => c.received.events.length >= 2);
      await new Promise((r) => setTimeout(r, 400));
      expect(c.received.events.map((e) => e.seq)).to.deep.equal(mine.map((e) => e.seq));
    });
  });
}
