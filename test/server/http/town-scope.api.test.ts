import { expect } from 'chai';
import type { Database } from '../../../server/storage/db.js';
import { backendNames, getDatabase, reset } from '../../support/backends.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { createUser, tokenFor, withToken } from '../../support/accounts.js';
import { deviceId } from '../../support/cameras.js';
import { json, sendJson } from '../../support/http.js';

const post = (body: unknown) => sendJson('POST', body);

for (const backend of backendNames()) {
  describe(`town scope in every read and write [${backend}]`, function () {
    this.timeout(60_000);
    let db: Database;
    let sut: TestServer;
    const ids: Record<string, string> = {};
    let crew: ReturnType<typeof withToken>;
    let townAdmin: ReturnType<typeof withToken>;

    before(async () => {
      db = await getDatabase(backend);
      sut = await startTestServer(db);
      await reset(db);
      for (const [i, town] of [[1, '十字镇'], [2, '十字镇'], [3, '梅渚镇']] as const) {
        ids[`cam${i}`] = (await json(await sut.api('/cameras', post({ deviceId: deviceId(880_000 + i), name: `scope cam ${i}`, network: '天网', town })))).id;
      }
      crew = withToken(sut, await tokenFor(sut, await createUser(sut, 'crew', ['shizi'])));
      townAdmin = withToken(sut, await tokenFor(sut, await createUser(sut, 'admin', ['shizi'])));
    });
    after(() => sut.close());

    it('lists, counts, exports and describes only the caller’s towns', async () => {
      const list = await json(await crew('/cameras'));
      expect(list.total).to.equal(2);
      expect(list.items.map((c: { town: string }) => c.town)).to.deep.equal(['shizi', 'shizi']);
      expect((await json(await crew('/towns'))).items.map((t: { code: string }) => t.code)).to.deep.equal(['shizi']);
      expect((await json(await crew('/meta'))).towns.map((t: { code: string }) => t.code)).to.deep.equal(['shizi']);
      const exported = await townAdmin('/cameras/export?format=csv&lang=en');
      expect(exported.headers.get('x-row-count')).to.equal('2');
      expect(await exported.text()).not.to.include('scope cam 3');
    });

    it('answers 404 for a camera of another town, whatever the route', async () => {
      for (const path of [`/cameras/${ids.cam3}`, `/cameras/${ids.cam3}/health`]) expect((await crew(path)).status, path).to.equal(404);
      expect((await townAdmin(`/cameras/${ids.cam3}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' })).status).to.equal(404);
      expect((await townAdmin(`/cameras/${ids.cam3}/decommission`, { method: 'POST' })).status).to.equal(404);
      expect((await townAdmin(`/cameras/${ids.cam1}`)).status).to.equal(200);
    });

    it('refuses a town admin’s writes into other towns: create, move, import rows, accounts', async () => {
      const created = await townAdmin('/cameras', post({ deviceId: deviceId(880_010), name: 'elsewhere', network: '天网', town: '梅渚镇' }));
      expect(created.status).to.equal(400);
      expect((await json(created)).problems[0].field).to.equal('town');
      const moved = await townAdmin(`/cameras/${ids.cam1}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"town":"梅渚镇"}' });
      expect(moved.status).to.equal(400);
      const csv = `国标编码,名称,所属网络,乡镇\n${deviceId(880_011)},ok,天网,十字镇\n${deviceId(880_012)},not mine,天网,梅渚镇\n`;
      const imported = await json(await townAdmin('/cameras/import', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv }));
      expect(imported.committed).to.equal(false);
      expect(imported.invalid.map((r: { row: number }) => r.row)).to.deep.equal([3]);
      const user = await townAdmin('/users', post({ username: `county-wide-${Date.now()}`, role: 'crew', towns: null }));
      expect(user.status).to.equal(403);
      const scopedUser = await json(await townAdmin('/users', post({ username: `shizi-crew-${Date.now()}`, role: 'crew' })));
      expect(scopedUser.user.towns).to.deep.equal(['shizi']);
      const users = await json(await townAdmin('/users'));
      expect(users.items.every((u: { towns: string[] | null }) => u.towns !== null && u.towns.every((t) => t === 'shizi'))).to.equal(true);
    });

    it('shows a town admin only the audit entries of their towns', async () => {
      const entries = (await json(await townAdmin('/audit?limit=500'))).items as Array<{ towns: string[] | null; action: string }>;
      expect(entries.length).to.be.greaterThan(0);
      expect(entries.every((e) => e.towns !== null && e.towns.every((t) => t === 'shizi'))).to.equal(true);
      const county = (await json(await sut.api('/audit?action=camera.&limit=500'))).items as Array<{ towns: string[] }>;
      expect(county.some((e) => e.towns.includes('meizhu'))).to.equal(true);
    });
  });
}
