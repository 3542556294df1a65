import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Database } from '../../../server/storage/db.js';
import { backendNames, getDatabase } from '../../support/backends.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { createUser, signIn } from '../../support/accounts.js';
import { deviceId } from '../../support/cameras.js';
import { rememberSecret } from '../../support/secrets.js';
import { json, sendJson } from '../../support/http.js';

for (const backend of backendNames()) {
  describe(`audit log [${backend}]`, function () {
    this.timeout(60_000);
    let db: Database;
    let sut: TestServer;

    before(async () => {
      db = await getDatabase(backend);
      sut = await startTestServer(db);
    });
    after(() => sut.close());

    it('records who changed which camera field, from where, with secrets only marked as changed', async () => {
      const cameraPassword = 'cam-Secret-99x';
      rememberSecret(cameraPassword);
      const created = await json(await sut.api('/cameras', sendJson('POST', { deviceId: deviceId(660_001), name: '东门', network: '天网', town: '梅渚镇', username: 'admin', password: cameraPassword })));
      await sut.api(`/cameras/${created.id}`, sendJson('PATCH', { name: '东门卡口', password: 'cam-Secret-100y' }));
      rememberSecret('cam-Secret-100y');
      const page = await json(await sut.api(`/audit?targetId=${created.id}`));
      expect(page.items.map((e: { action: string }) => e.action)).to.deep.equal(['camera.update', 'camera.create']);
      const update = page.items[0];
      expect(update).to.include({ actorType: 'token', actorName: 'admin', ip: '127.0.0.1', outcome: 'ok', targetType: 'camera' });
      expect(update.towns).to.deep.equal(['meizhu']);
      expect(update.detail.changes.name).to.deep.equal({ before: '东门', after: '东门卡口' });
      expect(update.detail.passwordChanged).to.equal(true);
      const all = await db.query<{ t: string }>('SELECT string_agg(detail::text, \' \') AS t FROM audit_log');
      expect(all[0].t).not.to.include(cameraPassword).and.not.include('cam-Secret-100y');
    });

    it('records sign-ins and failed sign-ins, filters by action prefix, actor and outcome, and pages newest first', async () => {
      const u = await createUser(sut, 'leader');
      await signIn(sut, u.username, 'definitely wrong one');
      await signIn(sut, u.username, u.password);
      const failed = await json(await sut.api(`/audit?action=auth.&outcome=failed&limit=500`));
      expect(failed.items.some((e: { targetLabel: string; action: string }) => e.targetLabel === u.username && e.action === 'auth.login_failed')).to.equal(true);
      const mine = await json(await sut.api(`/audit?actor=${u.username.toUpperCase()}`));
      expect(mine.items.map((e: { action: string }) => e.action)).to.deep.equal(['auth.login']);
      const first = await json(await sut.api('/audit?limit=2'));
      const next = await json(await sut.api(`/audit?limit=2&before=${first.nextBefore}`));
      expect(next.items[0].id).to.be.below(first.items[1].id);
      const bad = await sut.api('/audit?outcome=maybe&limit=9999');
      expect(bad.status).to.equal(400);
      expect((await json(bad)).problems.map((p: { field: string }) => p.field).sort()).to.deep.equal(['query.limit', 'query.outcome']);
    });

    it('exports the filtered log as xlsx and csv', async () => {
      const xlsx = await sut.api('/audit/export?format=xlsx&action=camera.');
      expect(xlsx.status).to.equal(200);
      expect(xlsx.headers.get('content-disposition')).to.match(/attachment; filename="audit-\d{4}-\d{2}-\d{2}\.xlsx"/);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
      const sheet = book.worksheets[0];
      expect(sheet.getRow(1).getCell(1).value).to.equal('时间');
      expect(sheet.rowCount - 1).to.equal(Number(xlsx.headers.get('x-row-count')));
      const csv = await (await sut.api('/audit/export?format=csv&lang=en&action=camera.create')).text();
      expect(csv.split('\n')[0]).to.include('Time,Actor type,Actor');
      expect(csv).to.include('camera.create').and.not.include('camera.update');
    });

    it('cannot be altered: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
      for (const sql of ["UPDATE audit_log SET actor_name = 'x'", 'DELETE FROM audit_log', 'TRUNCATE audit_log']) {
        let error: Error | undefined;
        await db.query(sql).catch((err: Error) => (error = err));
        expect(error?.message, sql).to.match(/append-only/);
      }
    });
  });
}
