import { expect } from 'chai';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readTable, TableFormatError } from '../../../../server/services/table/table-reader.js';

const ID = '34182100001320000001';

async function expectFormatError(data: Buffer, reasonPattern: RegExp, maxRows?: number): Promise<void> {
  try {
    await readTable(data, { filename: 'cameras.xls', maxRows });
  } catch (error) {
    expect(error).to.be.instanceOf(TableFormatError);
    expect((error as TableFormatError).reason).to.match(reasonPattern);
    return;
  }
  expect.fail('readTable should have thrown TableFormatError');
}

describe('readTable — csv', () => {
  it('decodes GB18030 saved by Excel on Chinese Windows', async () => {
    const text = `名称,国标编码,乡镇\r\n梅渚镇路口,${ID},梅渚镇\r\n`;
    const sut = await readTable(iconv.encode(text, 'gb18030'));
    expect(sut).to.deep.equal({
      headers: ['名称', '国标编码', '乡镇'],
      rows: [{ rowNumber: 2, cells: ['梅渚镇路口', ID, '梅渚镇'] }],
      format: 'csv',
      encoding: 'gb18030',
    });
  });

  it('decodes UTF-8 with BOM and without, keeping header units as written', async () => {
    const text = '名称,经度(°)\n东门,119.18234567\n';
    const withBom = await readTable(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const withoutBom = await readTable(Buffer.from(text));
    expect(withBom.encoding).to.equal('utf-8-bom');
    expect(withoutBom.encoding).to.equal('utf-8');
    for (const sut of [withBom, withoutBom]) {
      expect(sut.headers).to.deep.equal(['名称', '经度(°)']);
      expect(sut.rows).to.deep.equal([{ rowNumber: 2, cells: ['东门', '119.18234567'] }]);
    }
  });

  it('decodes UTF-16LE with BOM, tab separated (Excel "Unicode text")', async () => {
    const text = '名称\t国标编码\t乡镇\r\n梅渚镇路口\t' + ID + '\t梅渚镇\r\n';
    const data = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const sut = await readTable(data);
    expect(sut.encoding).to.equal('utf-16le');
    expect(sut.headers).to.deep.equal(['名称', '国标编码', '乡镇']);
    expect(sut.rows[0]!.cells).to.deep.equal(['梅渚镇路口', ID, '梅渚镇']);
  });

  it('detects semicolon delimiters and ignores delimiters inside quoted headers', async () => {
    const sut = await readTable(Buffer.from('"a,b";c;d\n1;2;3\n'));
    expect(sut.headers).to.deep.equal(['a,b', 'c', 'd']);
    expect(sut.rows[0]!.cells).to.deep.equal(['1', '2', '3']);
  });

  it('keeps quoted commas, quotes and newlines; a multi-line cell is one spreadsheet row', async () => {
    const text = 'name,note\r\n"A, east","line1\r\nline2"\r\n"say ""hi""",x\r\n';
    const sut = await readTable(Buffer.from(text));
    expect(sut.rows).to.deep.equal([
      { rowNumber: 2, cells: ['A, east', 'line1\r\nline2'] },
      { rowNumber: 3, cells: ['say "hi"', 'x'] },
    ]);
  });

  it('skips blank rows but keeps true row numbers; trims, pads short rows', async () => {
    const text = '\r\n 名称 , 乡镇 ,\r\n 东门 , 梅渚镇 \r\n\r\n,,\r\n西门\r\n';
    const sut = await readTable(Buffer.from(text));
    expect(sut.headers).to.deep.equal(['名称', '乡镇']);
    expect(sut.rows).to.deep.equal([
      { rowNumber: 3, cells: ['东门', '梅渚镇'] },
      { rowNumber: 6, cells: ['西门', ''] },
    ]);
  });

  it('numbers data rows from 2 with blank lines between them', async () => {
    const sut = await readTable(Buffer.from('a,b\n1,2\n\n3,4\n'));
    expect(sut.rows.map((row) => row.rowNumber)).to.deep.equal([2, 4]);
  });

  it('keeps non-empty cells beyond the last header so the caller can report them', async () => {
    const sut = await readTable(Buffer.from('a,b\n1,2,extra,\n'));
    expect(sut.rows[0]!.cells).to.deep.equal(['1', '2', 'extra']);
  });

  it('refuses empty, whitespace-only, delimiter-only and binary input', async () => {
    await expectFormatError(Buffer.alloc(0), /file is empty/);
    await expectFormatError(Buffer.from([0xef, 0xbb, 0xbf, 0x0d, 0x0a]), /file is empty/);
    await expectFormatError(Buffer.from(',,\n,,\n'), /no header row/);
    await expectFormatError(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x0d, 0x0a]), /not an xlsx or csv/);
  });

  it('refuses more data rows than maxRows, counting only non-empty rows', async () => {
    const text = 'a\n' + Array.from({ length: 6 }, (_, i) => `${i}\n\n`).join('');
    await expectFormatError(Buffer.from(text), /^too many rows: 6 > 5$/, 5);
    expect((await readTable(Buffer.from(text), { maxRows: 6 })).rows).to.have.length(6);
  });
});

describe('readTable — binary formats', () => {
  it('refuses a legacy .xls (OLE magic) and asks for .xlsx or .csv', async () => {
    const data = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    await expectFormatError(data, /\.xlsx or \.csv/);
  });

  it('refuses a damaged zip', async () => {
    await expectFormatError(Buffer.from('PK\x03\x04 definitely not a workbook'), /not an xlsx or csv/);
  });

  it('reads numbers, dates, formulas, rich text, hyperlinks, booleans and errors faithfully', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('点位');
    sheet.addRow(['名称', '数值', '日期', '公式', '其他']);
    sheet.addRow(['东门', 12345, new Date(Date.UTC(2024, 2, 1)), { formula: 'B2*2', result: 24690 }, true]);
    sheet.addRow([
      { richText: [{ text: '梅渚' }, { text: '镇', font: { bold: true } }] },
      34182100001320000001,
      new Date(Date.UTC(2024, 2, 1, 8, 30)),
      { formula: 'A3&"x"', result: '梅渚镇x' },
      { error: '#N/A' },
    ]);
    sheet.addRow([{ text: '平台', hyperlink: 'https://example.org' }, 119.18234567, null, { formula: 'NOW()' }, false]);
    sheet.getCell('C2').numFmt = 'yyyy-mm-dd';
    sheet.getCell('C3').numFmt = 'yyyy-mm-dd hh:mm';
    const sut = await readTable(Buffer.from(await workbook.xlsx.writeBuffer()), { filename: 'x.csv' });
    expect(sut.format).to.equal('xlsx');
    expect(sut.encoding).to.equal(undefined);
    expect(sut.rows).to.deep.equal([
      { rowNumber: 2, cells: ['东门', '12345', '2024-03-01', '24690', 'true'] },
      { rowNumber: 3, cells: ['梅渚镇', '34182100001320000000', '2024-03-01T08:30:00.000Z', '梅渚镇x', ''] },
      { rowNumber: 4, cells: ['平台', '119.18234567', '', '', 'false'] },
    ]);
  });

  it('uses the first visible sheet with data, true row numbers and master-only merged cells', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('空');
    const hidden = workbook.addWorksheet('字典', { state: 'hidden' });
    hidden.addRow(['option']);
    const sheet = workbook.addWorksheet('点位');
    sheet.getCell('A3').value = '名称';
    sheet.getCell('B3').value = '乡镇';
    sheet.getCell('A5').value = '东门';
    sheet.getCell('B5').value = '梅渚镇';
    sheet.getCell('A6').value = '西门';
    sheet.mergeCells('B5:B6');
    const sut = await readTable(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(sut.headers).to.deep.equal(['名称', '乡镇']);
    expect(sut.rows).to.deep.equal([
      { rowNumber: 5, cells: ['东门', '梅渚镇'] },
      { rowNumber: 6, cells: ['西门', ''] },
    ]);
  });

  it('refuses an xlsx whose central directory declares an unreasonable size', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1').addRow(['a']);
    const data = Buffer.from(await workbook.xlsx.writeBuffer());
    const entry = data.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); // first central directory entry
    data.writeUInt32LE(0xffffffff, entry + 24); // ZIP64 marker: size unknown here, treat as huge
    await expectFormatError(data, /unreasonable size/);
  });

  it('refuses a workbook without any cell values', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1');
    await expectFormatError(Buffer.from(await workbook.xlsx.writeBuffer()), /no header row/);
  });
});
