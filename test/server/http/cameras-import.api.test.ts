import { expect } from 'chai';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { backendNames, getDatabase, reset } from '../../support/backends.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { deviceId as ID } from '../../support/cameras.js';

const HEADER_ZH = '名称,国标编码,所属网络,乡镇,村/社区,地址,经度,纬度,坐标系,点位类型,厂商,型号,RTSP地址,ONVIF地址,用户名,密码,维护单位';

function csvRows(count: number, start = 1): string[] {
  const rows: string[] = [];
  for (let i = start; i < start + count; i++) {
    rows.push(`点位${i},${ID(i)},天网,梅渚镇,梅渚村,梅渚镇中心路${i}号,119.1${i % 10},31.1${i % 10},WGS84,一类,海康威视,DS-2CD2012-I,rtsp://10.1.0.${i}:554/h264,http://10.1.0.${i}/onvif/device_service,admin,pw${i},郎溪运维公司`);
  }
  return rows;
}

for (const backend of backendNames()) {
  describe(`cameras import/export API [${backend}]`, () => {
    let sut: TestServer;

    async function upload(data: Buffer, filename: string, query = '') {
      const form = new FormData();
      form.append('file', new Blob([data]), filename);
      const res = await sut.api(`/cameras/import${query}`, { method: 'POST', body: form });
      return { status: res.status, body: (await res.json()) as any };
    }
    const count = async () => (await sut.ctx.db.query<{ n: number }>('SELECT count(*) AS n FROM cameras'))[0].n;

    before(async () => {
      sut = await startTestServer(await getDatabase(backend), { IMPORT_RATE_LIMIT_PER_MINUTE: '1000' });
    });
    beforeEach(async () => reset(sut.ctx.db));
    after(async () => sut.close());

    it('imports a GB18030 CSV saved by Excel on Chinese Windows', async () => {
      const csv = iconv.encode([HEADER_ZH, ...csvRows(3)].join('\r\n') + '\r\n', 'gb18030');
      const res = await upload(csv, '台账.csv');
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ create: 3, update: 0, unchanged: 0, committed: true, encoding: 'gb18030' });
      const [row] = await sut.ctx.db.query<{ name: string; town_code: string; village: string; password_enc: string; maintainer: string }>(
        `SELECT name, town_code, village, password_enc, maintainer FROM cameras WHERE device_id = $1`, [ID(2)]);
      expect(row).to.include({ name: '点位2', town_code: 'meizhu', village: '梅渚村', maintainer: '郎溪运维公司' });
      expect(sut.ctx.cipher.decrypt(row.password_enc)).to.equal('pw2');
    });

    it('imports UTF-8 CSV with a BOM and English headers, also as a raw body', async () => {
      const csv = '\ufeffname,deviceId,network,town,longitude,latitude,coordinateSystem\r\nGate,' + ID(9) + ',sky,jianping,119.18,31.13,GCJ-02\r\n';
      const res = await sut.api(`/cameras/import`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
      const body = await res.json();
      expect(res.status).to.equal(200);
      expect(body).to.include({ create: 1, encoding: 'utf-8-bom' });
      const [row] = await sut.ctx.db.query<{ longitude: number }>('SELECT longitude FROM cameras');
      expect(row.longitude).to.be.lessThan(119.18).and.greaterThan(119.17);
    });

    it('imports an XLSX workbook', async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('点位');
      ws.addRow(HEADER_ZH.split(','));
      for (const line of csvRows(4)) ws.addRow(line.split(','));
      ws.getCell('G2').value = 119.123456789; // a real number cell, not text
      const data = Buffer.from(await wb.xlsx.writeBuffer());
      const res = await upload(data, 'cameras.xlsx');
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ create: 4, format: 'xlsx', committed: true });
      const [row] = await sut.ctx.db.query<{ longitude: number }>('SELECT longitude FROM cameras WHERE device_id = $1', [ID(1)]);
      expect(row.longitude).to.be.closeTo(119.1234568, 1e-7);
    });

    it('dry run reports creates, updates, unchanged and every invalid row with its spreadsheet row number', async () => {
      await upload(Buffer.from([HEADER_ZH, ...csvRows(2)].join('\n')), 'a.csv');
      const rows = csvRows(2);
      rows[1] = rows[1].replace('点位2', '点位2改');
      rows.push(`坏编码,12345,天网,梅渚镇,,,,,,,,,,,,,`);
      rows.push(`,${ID(50)},海网,火星镇,,,200,31,,,,,,,,,`);
      rows.push(`重复甲,${ID(60)},地网,十字镇,,,,,,,,,,,,,`);
      rows.push(`重复乙,${ID(60)},地网,十字镇,,,,,,,,,,,,,`);
      rows.push(`新点位,${ID(70)},车网,新发镇,,,,,,二类,,,,,,,`);
      const res = await upload(Buffer.from([HEADER_ZH, ...rows].join('\n')), 'b.csv', '?dryRun=true');
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ dryRun: true, committed: false, create: 1, update: 1, unchanged: 1 });
      const invalid = res.body.invalid as Array<{ row: number; column: string; reason: string }>;
      expect(invalid.filter((p) => p.row === 4).map((p) => p.column)).to.deep.equal(['国标编码']);
      expect(invalid.filter((p) => p.row === 5).map((p) => p.column)).to.include.members(['名称', '所属网络', '乡镇']);
      expect(invalid.filter((p) => p.row === 6 || p.row === 7)).to.have.length(2);
      expect(invalid.find((p) => p.row === 6)!.reason).to.contain('row 7');
      expect(await count()).to.equal(2);
    });

    it('rolls back the whole file when one row is bad, answering 422 with the report', async () => {
      const rows = csvRows(5);
      rows.push(`坏行,${ID(99)},天网,梅渚镇,,,abc,31.1,,,,,,,,,`);
      const res = await upload(Buffer.from([HEADER_ZH, ...rows].join('\n')), 'bad.csv');
      expect(res.status).to.equal(422);
      expect(res.body).to.include({ committed: false, create: 5 });
      expect(res.body.invalid).to.deep.equal([{ row: 7, column: '经度', reason: 'must be a number' }]);
      expect(await count()).to.equal(0);
    });

    it('re-importing the same file changes nothing', async () => {
      const csv = Buffer.from([HEADER_ZH, ...csvRows(5)].join('\n'));
      expect((await upload(csv, 'a.csv')).body).to.include({ create: 5 });
      const before = await sut.ctx.db.query('SELECT device_id, updated_at, password_enc FROM cameras ORDER BY device_id');
      const again = await upload(csv, 'a.csv');
      expect(again.body).to.include({ create: 0, update: 0, unchanged: 5, committed: true });
      const after = await sut.ctx.db.query('SELECT device_id, updated_at, password_enc FROM cameras ORDER BY device_id');
      expect(after).to.deep.equal(before);
    });

    it('a changed password in the file updates the camera; an empty cell keeps it', async () => {
      await upload(Buffer.from([HEADER_ZH, ...csvRows(1)].join('\n')), 'a.csv');
      const changed = csvRows(1)[0].replace(',pw1,', ',new-pw,');
      expect((await upload(Buffer.from([HEADER_ZH, changed].join('\n')), 'a.csv')).body).to.include({ update: 1 });
      const blank = csvRows(1)[0].replace(',pw1,', ',,');
      expect((await upload(Buffer.from([HEADER_ZH, blank].join('\n')), 'a.csv')).body).to.include({ unchanged: 1 });
      const [row] = await sut.ctx.db.query<{ password_enc: string }>('SELECT password_enc FROM cameras');
      expect(sut.ctx.cipher.decrypt(row.password_enc)).to.equal('new-pw');
    });

    for (const format of ['xlsx', 'csv'] as const) {
      it(`export as ${format} → import round-trips as unchanged, without passwords`, async () => {
        await upload(Buffer.from([HEADER_ZH, ...csvRows(6)].join('\n')), 'a.csv');
        await sut.api(`/cameras`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ deviceId: ID(40, '131'), name: '带标签, "引号"', network: 'station', town: 'yaocun', tags: ['学校', '夜间'], installDate: '2021-06-30', pointClass: 9, idEdition: '2022' }),
        });
        const res = await sut.api(`/cameras/export?format=${format}`);
        expect(res.status).to.equal(200);
        expect(res.headers.get('content-disposition')).to.match(new RegExp(`cameras-341821-\\d{4}-\\d{2}-\\d{2}\\.${format}`));
        const data = Buffer.from(await res.arrayBuffer());
        if (format === 'csv') {
          const text = data.toString('utf8');
          expect(text.charCodeAt(0)).to.equal(0xfeff);
          expect(text).to.contain('名称,国标编码').and.contain('梅渚镇').and.not.contain('pw1');
        }
        const again = await upload(data, `export.${format}`);
        expect(again.body).to.include({ create: 0, update: 0, unchanged: 7, committed: true });
        expect(again.body.invalid).to.deep.equal([]);
      });
    }

    it('exports with English headers and filters', async () => {
      await upload(Buffer.from([HEADER_ZH, ...csvRows(3)].join('\n')), 'a.csv');
      const res = await sut.api(`/cameras/export?format=csv&lang=en&town=meizhu&q=${encodeURIComponent('点位2')}`);
      const lines = (await res.text()).replace(/^\ufeff/, '').trim().split('\r\n');
      expect(lines[0].startsWith('name,deviceId,idEdition,network,town')).to.equal(true);
      expect(lines).to.have.length(2);
      expect(lines[1]).to.contain(',sky,meizhu,');
    });

    it('rejects unusable files with 400 naming the file field', async () => {
      const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
      const res = await upload(xls, 'old.xls');
      expect(res.status).to.equal(400);
      expect(res.body.problems[0].field).to.equal('file');
      const missing = await upload(Buffer.from('名称,地址\n甲,乙\n'), 'a.csv');
      expect(missing.status).to.equal(400);
      expect(missing.body.message).to.contain('国标编码').and.contain('乡镇');
      const none = await sut.api(`/cameras/import`, { method: 'POST' });
      expect(none.status).to.equal(400);
    });
  });
}
