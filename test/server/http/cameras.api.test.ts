import { expect } from 'chai';
import { backendNames, getDatabase, reset } from '../../support/backends.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { deviceId as ID } from '../../support/cameras.js';

function camera(overrides: Record<string, unknown> = {}) {
  return { deviceId: '34182100001320000001', name: '梅渚镇政府门口', network: '天网', town: '梅渚镇', ...overrides };
}

for (const backend of backendNames()) {
  describe(`cameras API [${backend}]`, () => {
    let sut: TestServer;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await sut.api(path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    };

    before(async () => {
      sut = await startTestServer(await getDatabase(backend));
    });
    beforeEach(async () => reset(sut.ctx.db));
    after(async () => sut.close());

    it('creates a camera by Chinese names, decodes its ID and never returns the password', async () => {
      const res = await call('POST', '/cameras', camera({ password: 'S3cret!', username: 'admin', pointClass: '一类' }));
      expect(res.status).to.equal(201);
      expect(res.headers.get('location')).to.equal(`/api/v1/cameras/${res.body.id}`);
      expect(res.body).to.include({ network: 'sky', networkName: '天网', town: 'meizhu', townName: '梅渚镇', pointClass: 1, hasPassword: true, status: 'unknown', idEdition: '2016' });
      expect(res.body.idInfo).to.deep.include({ countyCode: '341821', serial: '000001' });
      expect(res.body.idInfo.type.code).to.equal('132');
      expect(res.body.warnings).to.deep.equal([]);
      expect(JSON.stringify(res.body)).not.to.contain('S3cret!');
      const stored = await sut.ctx.db.query<{ password_enc: string }>('SELECT password_enc FROM cameras');
      expect(stored[0].password_enc).to.match(/^v1:/).and.not.contain('S3cret!');
      expect(sut.ctx.cipher.decrypt(stored[0].password_enc)).to.equal('S3cret!');
      const fetched = await call('GET', `/cameras/${res.body.id}`);
      expect(fetched.body).to.deep.equal(res.body);
    });

    it('accepts stable codes as well as names, and warns (not rejects) on another county', async () => {
      const res = await call('POST', '/cameras', camera({ deviceId: '34010000001310000009', network: 'ground', town: 'shizi' }));
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ network: 'ground', town: 'shizi' });
      expect(res.body.warnings[0]).to.match(/340100.*341821/);
    });

    it('moves inline URL credentials into username and sealed password', async () => {
      const res = await call('POST', '/cameras', camera({ rtspMainUrl: 'rtsp://admin:pa%40ss@10.0.0.8:554/Streaming/Channels/101' }));
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ rtspMainUrl: 'rtsp://10.0.0.8:554/Streaming/Channels/101', username: 'admin', hasPassword: true });
      const stored = await sut.ctx.db.query<{ password_enc: string }>('SELECT password_enc FROM cameras');
      expect(sut.ctx.cipher.decrypt(stored[0].password_enc)).to.equal('pa@ss');
    });

    it('converts GCJ-02 coordinates to WGS-84', async () => {
      const res = await call('POST', '/cameras', camera({ longitude: 119.18, latitude: 31.13, coordinateSystem: 'GCJ02' }));
      expect(res.status).to.equal(201);
      // GCJ-02 lies a few hundred metres north-east of WGS-84 around Langxi.
      expect(res.body.longitude).to.be.lessThan(119.18).and.greaterThan(119.17);
      expect(res.body.latitude).to.be.greaterThan(31.13).and.lessThan(31.14);
    });

    it('answers 400 naming every bad field', async () => {
      const res = await call('POST', '/cameras', { deviceId: '12345', network: '海网', town: '', longitude: 'east', latitude: 31, pointClass: '四类', onvifUrl: 'ftp://x', installDate: '2024-02-30', extra: 1 });
      expect(res.status).to.equal(400);
      expect(res.body.error).to.equal('validation_failed');
      const fields = res.body.problems.map((p: { field: string }) => p.field);
      expect(fields).to.include.members(['deviceId', 'name', 'network', 'town', 'longitude', 'pointClass', 'onvifUrl', 'installDate', 'extra']);
      expect(res.body.problems.find((p: { field: string }) => p.field === 'network').message).to.contain('天网');
    });

    it('answers 400 for malformed JSON and 404 for unknown cameras and routes', async () => {
      const bad = await call('POST', '/cameras', '{"name":');
      expect(bad.status).to.equal(400);
      expect(bad.body.problems[0].field).to.equal('body');
      expect((await call('GET', '/cameras/00000000-0000-4000-8000-000000000000')).status).to.equal(404);
      expect((await call('GET', '/cameras/not-a-uuid')).status).to.equal(404);
      expect((await call('GET', '/nothing-here')).status).to.equal(404);
    });

    it('answers 409 for a duplicate deviceId, also when the first is decommissioned', async () => {
      const first = await call('POST', '/cameras', camera());
      expect((await call('POST', '/cameras', camera({ name: 'other' }))).status).to.equal(409);
      await call('POST', `/cameras/${first.body.id}/decommission`);
      const again = await call('POST', '/cameras', camera({ name: 'other' }));
      expect(again.status).to.equal(409);
      expect(again.body).to.include({ field: 'deviceId' });
      expect(again.body.message).to.contain('restore');
    });

    it('patches fields, keeps or clears the password, and rejects a clashing deviceId', async () => {
      const a = (await call('POST', '/cameras', camera({ password: 'one' }))).body;
      await call('POST', '/cameras', camera({ deviceId: ID(2), name: 'B' }));
      const renamed = await call('PATCH', `/cameras/${a.id}`, { name: '新名称', tags: ['学校', '路口'] });
      expect(renamed.status).to.equal(200);
      expect(renamed.body).to.include({ name: '新名称', hasPassword: true, town: 'meizhu' });
      expect(renamed.body.tags).to.deep.equal(['学校', '路口']);
      expect((await call('PATCH', `/cameras/${a.id}`, { password: null })).body.hasPassword).to.equal(false);
      expect((await call('PATCH', `/cameras/${a.id}`, { deviceId: ID(2) })).status).to.equal(409);
      expect((await call('PATCH', `/cameras/${a.id}`, {})).status).to.equal(400);
      const half = await call('PATCH', `/cameras/${a.id}`, { longitude: 119.2 });
      expect(half.status).to.equal(400);
      expect(half.body.problems[0].field).to.equal('latitude');
      expect((await call('PATCH', '/cameras/00000000-0000-4000-8000-000000000000', { name: 'x' })).status).to.equal(404);
    });

    it('decommissions and restores', async () => {
      const a = (await call('POST', '/cameras', camera())).body;
      const gone = await call('POST', `/cameras/${a.id}/decommission`);
      expect(gone.body.decommissioned).to.equal(true);
      expect((await call('GET', '/cameras')).body.total).to.equal(0);
      expect((await call('GET', '/cameras?decommissioned=only')).body.total).to.equal(1);
      const back = await call('POST', `/cameras/${a.id}/restore`);
      expect(back.body).to.include({ decommissioned: false, decommissionedAt: null });
      expect((await call('GET', '/cameras')).body.total).to.equal(1);
    });

    describe('listing', () => {
      beforeEach(async () => {
        const towns = ['建平镇', '十字镇', '梅渚镇'];
        const networks = ['天网', '地网', '车网', '栈网'];
        for (let i = 1; i <= 24; i++) {
          const res = await call('POST', '/cameras', camera({
            deviceId: ID(i), name: `点位${String(i).padStart(2, '0')} ${i % 5 === 0 ? '学校路口' : '道路'}`,
            town: towns[i % 3], network: networks[i % 4], pointClass: (i % 3) + 1, tags: i % 2 ? ['odd'] : ['even', 'x'],
            address: i === 7 ? '建平镇梅溪路100号' : null,
          }));
          expect(res.status).to.equal(201);
        }
        await sut.ctx.db.query(`UPDATE cameras SET status = 'offline' WHERE device_id = ANY($1)`, [[ID(3), ID(6)]]);
      });

      it('filters by town, network, point class, status, tag and free text', async () => {
        const get = async (qs: string) => (await call('GET', `/cameras?${qs}`)).body;
        expect((await get('town=' + encodeURIComponent('梅渚镇'))).total).to.equal(8);
        expect((await get('town=meizhu,jianping')).total).to.equal(16);
        expect((await get(`town=${encodeURIComponent('梅渚镇')}&town=${encodeURIComponent('十字镇')}`)).total).to.equal(16);
        expect((await get('network=' + encodeURIComponent('天网'))).total).to.equal(6);
        expect((await get('pointClass=' + encodeURIComponent('一类'))).total).to.equal(8);
        expect((await get('status=offline')).total).to.equal(2);
        expect((await get('tag=even')).total).to.equal(12);
        expect((await get('q=' + encodeURIComponent('学校'))).total).to.equal(4);
        expect((await get('q=' + encodeURIComponent('梅溪路'))).total).to.equal(1);
        expect((await get(`q=${ID(13)}`)).total).to.equal(1);
        expect((await get('q=100%25')).total).to.equal(0);
        expect((await get('q=_')).total).to.equal(0);
        const combined = await get('town=meizhu&network=sky&pointClass=1');
        for (const item of combined.items) expect(item).to.include({ town: 'meizhu', network: 'sky', pointClass: 1 });
      });

      it('answers 400 for bad query parameters, naming them', async () => {
        const res = await call('GET', `/cameras?limit=501&town=${encodeURIComponent('火星镇')}&status=dead&sort=colour&bogus=1`);
        expect(res.status).to.equal(400);
        const fields = res.body.problems.map((p: { field: string }) => p.field);
        expect(fields).to.include.members(['query.limit', 'query.town', 'query.status', 'query.sort', 'query.bogus']);
      });

      it('sorts and pages by offset and by cursor without gaps or repeats', async () => {
        const page1 = (await call('GET', '/cameras?sort=-name&limit=10')).body;
        expect(page1.total).to.equal(24);
        expect(page1.items).to.have.length(10);
        const names = page1.items.map((c: { name: string }) => c.name);
        expect(names).to.deep.equal([...names].sort().reverse());
        const offsetPage = (await call('GET', '/cameras?sort=-name&limit=10&offset=10')).body;
        const cursorPage = (await call('GET', `/cameras?sort=-name&limit=10&cursor=${page1.nextCursor}`)).body;
        expect(cursorPage.items.map((c: { id: string }) => c.id)).to.deep.equal(offsetPage.items.map((c: { id: string }) => c.id));
        const seen = new Set<string>();
        let cursor: string | null = null;
        do {
          const page: { items: Array<{ id: string }>; nextCursor: string | null } = (await call('GET', `/cameras?sort=updatedAt&limit=7${cursor ? `&cursor=${cursor}` : ''}`)).body;
          for (const item of page.items) seen.add(item.id);
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen.size).to.equal(24);
        expect((await call('GET', `/cameras?sort=name&cursor=${page1.nextCursor}`)).status).to.equal(400);
      });

      it('lists towns and networks with counts by status', async () => {
        const towns = (await call('GET', '/towns')).body.items;
        expect(towns.map((t: { name: string }) => t.name)).to.deep.equal(['建平镇', '十字镇', '梅渚镇', '新发镇', '涛城镇', '飞鲤镇', '毕桥镇', '姚村乡']);
        expect(towns.find((t: { code: string }) => t.code === 'meizhu')).to.include({ cameras: 8 });
        expect(towns.find((t: { code: string }) => t.code === 'xinfa')).to.include({ cameras: 0 });
        const networks = (await call('GET', '/networks')).body.items;
        const sky = networks.find((n: { code: string }) => n.code === 'sky');
        expect(sky.cameras).to.equal(6);
        const offline = networks.reduce((sum: number, n: { byStatus: Record<string, number> }) => sum + (n.byStatus.offline ?? 0), 0);
        expect(offline).to.equal(2);
      });
    });

    it('serves its OpenAPI document and security headers', async () => {
      const res = await call('GET', '/openapi.json');
      expect(res.status).to.equal(200);
      expect(res.body.openapi).to.match(/^3\./);
      expect(res.body.paths).to.have.property('/cameras');
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    });

    it('refuses an oversized JSON body with 413', async () => {
      const res = await call('POST', '/cameras', camera({ address: 'x'.repeat(300 * 1024) }));
      expect(res.status).to.equal(413);
      expect(res.body.error).to.equal('payload_too_large');
    });
  });
}
