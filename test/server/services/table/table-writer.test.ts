import { expect } from 'chai';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readTable } from '../../../../server/services/table/table-reader.js';
import {
  guardCsvFormula,
  unguardCsvFormula,
  writeCsv,
  writeXlsx,
  type TableCell,
} from '../../../../server/services/table/table-writer.js';

type XlsxInput = Parameters<ExcelJS.Xlsx['load']>[0];

const ID = '34182100001320000001';
const HEADERS = ['名称', '国标编码', '经度', '纬度', '乡镇', '备注'];
const ROWS: TableCell[][] = [
  ['梅渚镇路口', ID, '119.18234567', '31.31234567', '梅渚镇', ''],
  ['东门 "北"', '00000000000000000002', '-0.5', '0', '', 'a, b\nc'],
];

describe('writeXlsx', () => {
  it('round-trips through readTable: 20-digit IDs, 8-decimal floats, empty cells, CJK', async () => {
    const sut = await readTable(await writeXlsx(HEADERS, ROWS));
    expect(sut.format).to.equal('xlsx');
    expect(sut.headers).to.deep.equal(HEADERS);
    expect(sut.rows).to.deep.equal(ROWS.map((cells, i) => ({ rowNumber: i + 2, cells })));
  });

  it('stores strings as text "@", numbers as numbers and null as no value', async () => {
    const data = await writeXlsx(['名称', '数值'], [['=HYPERLINK("x")', 119.18234567], [null, 12]]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(data as unknown as XlsxInput);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getCell('A2').value).to.equal('=HYPERLINK("x")');
    expect(sheet.getCell('A2').numFmt).to.equal('@');
    expect(sheet.getCell('B2').value).to.equal(119.18234567);
    expect(sheet.getCell('B2').numFmt).to.not.equal('@');
    expect(sheet.getCell('A3').value).to.equal(null);
    const read = await readTable(data);
    expect(read.rows.map((row) => row.cells)).to.deep.equal([
      ['=HYPERLINK("x")', '119.18234567'],
      ['', '12'],
    ]);
  });

  it('bolds and freezes the header, filters it, sizes columns with CJK counted double', async () => {
    const data = await writeXlsx(['名称', 'id'], [['梅渚镇梅渚镇梅渚镇梅渚镇', 'x'], ['y'.repeat(500), null]], {
      sheetName: '点位/2024',
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(data as unknown as XlsxInput);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).to.equal('点位_2024');
    expect(sheet.getCell('A1').font?.bold).to.equal(true);
    expect(sheet.views[0]).to.include({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).to.equal('A1:B1'); // exceljs reads the range back as a string
    expect(sheet.getColumn(1).width).to.equal(60); // capped
    expect(sheet.getColumn(2).width).to.equal(8); // minimum
    const cjkOnly = await writeXlsx(['梅渚镇梅渚镇梅渚镇梅渚镇'], []);
    const cjkBook = new ExcelJS.Workbook();
    await cjkBook.xlsx.load(cjkOnly as unknown as XlsxInput);
    expect(cjkBook.worksheets[0]!.getColumn(1).width).to.equal(12 * 2 + 2);
  });
});

describe('writeCsv', () => {
  it('writes UTF-8 with BOM, CRLF and quoting by default, and round-trips', async () => {
    const data = writeCsv(HEADERS, ROWS);
    expect([...data.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = data.subarray(3).toString('utf8');
    expect(text.startsWith('名称,国标编码,经度,纬度,乡镇,备注\r\n')).to.equal(true);
    expect(text).to.contain('"东门 ""北""",');
    expect(text).to.contain('"a, b\nc"');
    const sut = await readTable(data);
    expect(sut.encoding).to.equal('utf-8-bom');
    expect(sut.rows).to.deep.equal(ROWS.map((cells, i) => ({ rowNumber: i + 2, cells })));
  });

  it('writes GB18030 on request, and null and numbers as text', async () => {
    const data = writeCsv(['名称', '数值'], [['梅渚镇', 12.5], [null, -3]], { encoding: 'gb18030' });
    expect(iconv.decode(data, 'gb18030')).to.equal('名称,数值\r\n梅渚镇,12.5\r\n,-3\r\n');
    const sut = await readTable(data);
    expect(sut.encoding).to.equal('gb18030');
    expect(sut.rows.map((row) => row.cells)).to.deep.equal([['梅渚镇', '12.5'], ['', '-3']]);
  });

  it('guards formula-like cells and readTable restores them exactly', async () => {
    const values = [
      '=HYPERLINK("http://evil","x")', '+cmd|\' /C calc\'!A0', '@SUM(A1)', "'=already", "''+twice",
      '-', '-12.5', '+86', '=5', '@', "'plain", "'+86", '—',
    ];
    const data = writeCsv(['value'], values.map((value) => [value]));
    const lines = data.subarray(3).toString('utf8').split('\r\n');
    expect(lines.slice(1, 6)).to.deep.equal([
      '"\'=HYPERLINK(""http://evil"",""x"")"', "'+cmd|' /C calc'!A0", "'@SUM(A1)", "''=already", "'''+twice",
    ]);
    expect(lines.slice(6, 14)).to.deep.equal(['-', '-12.5', '+86', '=5', "'@", "'plain", "'+86", '—']);
    const sut = await readTable(data);
    expect(sut.rows.map((row) => row.cells[0])).to.deep.equal(values);
  });

  it('guard and unguard are inverse and leave unguarded text alone', () => {
    for (const value of ['=1+1', "'=x", '+', 'abc', '', "'", "'-1", '@home']) {
      expect(unguardCsvFormula(guardCsvFormula(value))).to.equal(value);
    }
    expect(unguardCsvFormula('=raw')).to.equal('=raw');
  });
});
