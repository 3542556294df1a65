import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { stringify } from 'csv-stringify/sync';

/** A cell to export: strings stay text, numbers stay numbers, null is an empty cell. */
export type TableCell = string | number | null;

export interface WriteXlsxOptions {
  /** Default "Sheet1"; characters Excel forbids are replaced and the name is cut to 31 characters. */
  sheetName?: string;
}

export interface WriteCsvOptions {
  /** Default 'utf-8-bom', which Excel opens correctly on any locale. */
  encoding?: 'utf-8-bom' | 'gb18030';
}

const MIN_COLUMN_WIDTH = 8;
const MAX_COLUMN_WIDTH = 60;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Builds an .xlsx: bold frozen header with an auto filter, widths from content (CJK counts double).
 * Strings are stored as text with format "@" so a 20-digit GB/T 28181 ID never becomes a number;
 * numbers stay numeric (non-finite numbers are written as their text). No formula guard is needed:
 * exceljs stores "=..." strings as strings, never as formulas.
 */
export async function writeXlsx(
  headers: string[],
  rows: TableCell[][],
  options: WriteXlsxOptions = {},
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(safeSheetName(options.sheetName), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  for (const values of [headers, ...rows]) {
    const row = sheet.addRow([]);
    values.forEach((value, index) => {
      if (value === null) return;
      const cell = row.getCell(index + 1);
      if (typeof value === 'number' && Number.isFinite(value)) {
        cell.value = value;
      } else {
        cell.value = String(value);
        cell.numFmt = '@';
      }
    });
  }
  sheet.getRow(1).font = { bold: true };
  if (headers.length > 0) {
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  }
  columnWidths(headers, rows).forEach((width, index) => {
    sheet.getColumn(index + 1).width = width;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * Builds CSV text with CRLF line ends and RFC 4180 quoting, encoded as UTF-8 with BOM (default)
 * or GB18030. Formula injection guard: see `guardCsvFormula`; `readTable` reverses it exactly.
 */
export function writeCsv(headers: string[], rows: TableCell[][], options: WriteCsvOptions = {}): Buffer {
  const records = [headers, ...rows].map((values) =>
    values.map((value) => (value === null ? '' : guardCsvFormula(String(value)))),
  );
  const text = stringify(records, { record_delimiter: 'windows' });
  return options.encoding === 'gb18030'
    ? iconv.encode(text, 'gb18030')
    : Buffer.concat([UTF8_BOM, Buffer.from(text, 'utf8')]);
}

/** "=", "+" or "@" followed by anything but a plain number: Excel would run it as a formula. */
function isFormulaLike(text: string): boolean {
  return /^[=+@]/.test(text) && !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text.slice(1));
}

/**
 * Prefixes `'` to a CSV cell Excel would treat as a formula ("=HYPERLINK(...)", "+cmd", "@SUM(...)").
 * Values such as "-", "-12.5", "+86" and "=5" are left alone, so ordinary data looks unchanged.
 * Cells that already are `'` + formula-like gain one more `'`, which makes the guard reversible.
 * Residual risk by design: "-" and leading tab/CR are not guarded.
 */
export function guardCsvFormula(text: string): string {
  return isFormulaLike(text.replace(/^'+/, '')) ? `'${text}` : text;
}

/** Exact inverse of `guardCsvFormula`; text that was never guarded is returned unchanged. */
export function unguardCsvFormula(text: string): string {
  return text.startsWith("'") && isFormulaLike(text.replace(/^'+/, '')) ? text.slice(1) : text;
}

function safeSheetName(name: string | undefined): string {
  const cleaned = (name ?? '').replace(/[\\/?*[\]:]/g, '_').replace(/^'+|'+$/g, '').slice(0, 31);
  return cleaned.trim() === '' ? 'Sheet1' : cleaned;
}

/** Excel width units ≈ Latin characters; wide (CJK) characters take two. */
function columnWidths(headers: string[], rows: TableCell[][]): number[] {
  const widths: number[] = [];
  for (const values of [headers, ...rows]) {
    values.forEach((value, index) => {
      const width = value === null ? 0 : displayWidth(String(value));
      widths[index] = Math.max(widths[index] ?? 0, width);
    });
  }
  return Array.from(widths, (width = 0) =>
    Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width + 2)),
  );
}

function displayWidth(text: string): number {
  let longest = 0;
  for (const line of text.split(/\r?\n/)) {
    let width = 0;
    for (const char of line) width += isWide(char.codePointAt(0)!) ? 2 : 1;
    longest = Math.max(longest, width);
  }
  return longest;
}

function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) || // Hangul Jamo
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) || // CJK radicals … Yi, incl. unified ideographs
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) || // Hangul syllables
    (codePoint >= 0xf900 && codePoint <= 0xfaff) || // CJK compatibility ideographs
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) || // CJK compatibility forms
    (codePoint >= 0xff00 && codePoint <= 0xff60) || // full-width forms
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    codePoint >= 0x20000 // CJK extension planes
  );
}
