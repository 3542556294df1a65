import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { unguardCsvFormula } from './table-writer.js';

/** One data row; `rowNumber` is what a spreadsheet shows (header = 1), blank rows keep their number. */
export interface TableRow {
  rowNumber: number;
  /** Trimmed cells; `cells[i]` belongs to `headers[i]`, padded to `headers.length`, extra non-empty cells kept. */
  cells: string[];
}

/** A sheet reduced to strings; the format layer knows nothing about what the columns mean. */
export interface Table {
  /** Trimmed header cells of the first non-empty row, trailing empty ones dropped. */
  headers: string[];
  rows: TableRow[];
  format: 'xlsx' | 'csv';
  /** Only for csv. */
  encoding?: 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le';
}

/** The upload cannot be read as a table; `reason` is safe to show to the administrator. */
export class TableFormatError extends Error {
  readonly reason: string;

  constructor(reason: string, options?: { cause?: unknown }) {
    super(`cannot read table: ${reason}`, options);
    this.name = 'TableFormatError';
    this.reason = reason;
  }
}

export interface ReadTableOptions {
  /** Only used in messages; the format is decided by the bytes, never by the extension. */
  filename?: string;
  /** Data rows allowed (header excluded); default 50000. */
  maxRows?: number;
}

/** exceljs types `load` with its own ArrayBuffer-shaped `Buffer`, which a Node Buffer does not satisfy. */
type ExcelXlsxInput = Parameters<ExcelJS.Xlsx['load']>[0];

const DEFAULT_MAX_ROWS = 50_000;
/** Declared uncompressed size an xlsx may inflate to; a 50000-row register is far below this. */
const MAX_XLSX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024;
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const UTF16LE_BOM = Buffer.from([0xff, 0xfe]);
const UTF16BE_BOM = Buffer.from([0xfe, 0xff]);

/**
 * Reads an .xlsx (detected by ZIP magic) or CSV text (UTF-8 with/without BOM, UTF-16LE with BOM,
 * else GB18030; comma, tab or semicolon separated) into trimmed strings.
 * CSV cells written by `writeCsv` with a formula guard (`'=...`) come back unguarded.
 * @throws TableFormatError for .xls, binary, empty, header-less, malformed or over-long input.
 */
export async function readTable(data: Buffer, options: ReadTableOptions = {}): Promise<Table> {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  if (data.length === 0) throw new TableFormatError('file is empty');
  if (startsWith(data, OLE_MAGIC)) {
    const name = options.filename ? `"${options.filename}" ` : '';
    throw new TableFormatError(`${name}is a legacy .xls workbook; save it as .xlsx or .csv in Excel`);
  }
  const table = startsWith(data, ZIP_MAGIC) ? await readXlsx(data) : readCsv(data);
  if (table.rows.length > maxRows) {
    throw new TableFormatError(`too many rows: ${table.rows.length} > ${maxRows}`);
  }
  return table;
}

function startsWith(data: Buffer, magic: Buffer): boolean {
  return data.subarray(0, magic.length).equals(magic);
}

/** Header = first non-empty row; later all-empty rows are dropped but their numbers stay used. */
function toTable(raw: TableRow[], format: Table['format']): Omit<Table, 'encoding'> {
  const nonEmpty = raw.filter((row) => row.cells.some((cell) => cell !== ''));
  const [headerRow, ...dataRows] = nonEmpty;
  if (!headerRow) throw new TableFormatError('no header row');
  const headers = dropTrailingEmpty(headerRow.cells);
  const rows = dataRows.map(({ rowNumber, cells }) => {
    const kept = dropTrailingEmpty(cells);
    while (kept.length < headers.length) kept.push('');
    return { rowNumber, cells: kept };
  });
  return { headers, rows, format };
}

function dropTrailingEmpty(cells: string[]): string[] {
  let end = cells.length;
  while (end > 0 && cells[end - 1] === '') end--;
  return cells.slice(0, end);
}

function readCsv(data: Buffer): Table {
  const { text, encoding } = decodeText(data);
  if (text.trim() === '') throw new TableFormatError('file is empty');
  // Real text never holds NUL; PNG, PDF, ZIP-less binaries almost always do.
  if (text.includes('\u0000')) throw new TableFormatError('not an xlsx or csv file');
  let records: string[][];
  try {
    const delimiter = detectDelimiter(text);
    records = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, bom: false, trim: true });
  } catch (error) {
    throw new TableFormatError(`malformed csv: ${(error as Error).message}`, { cause: error });
  }
  // One record is one spreadsheet row, even when a quoted cell spans several lines.
  const raw = records.map((cells, index) => ({
    rowNumber: index + 1,
    cells: cells.map((cell) => unguardCsvFormula(cell.trim())),
  }));
  return { ...toTable(raw, 'csv'), encoding };
}

function decodeText(data: Buffer): { text: string; encoding: NonNullable<Table['encoding']> } {
  if (startsWith(data, UTF8_BOM)) return { text: data.subarray(3).toString('utf8'), encoding: 'utf-8-bom' };
  if (startsWith(data, UTF16LE_BOM)) return { text: data.subarray(2).toString('utf16le'), encoding: 'utf-16le' };
  if (startsWith(data, UTF16BE_BOM)) {
    throw new TableFormatError('UTF-16 big-endian text is not supported; save as UTF-8 CSV');
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(data), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: Excel on Chinese Windows saves CSV in the ANSI code page (GBK ⊂ GB18030).
    return { text: iconv.decode(data, 'gb18030'), encoding: 'gb18030' };
  }
}

/** Picks the most frequent of comma, tab, semicolon outside quotes on the first non-empty line. */
function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([[',', 0], ['\t', 0], [';', 0]]);
  let inQuotes = false;
  let seenContent = false;
  for (const char of text) {
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (char === '\n' || char === '\r')) {
      if (seenContent) break;
    } else if (!inQuotes && counts.has(char)) counts.set(char, counts.get(char)! + 1);
    if (char.trim() !== '') seenContent = true;
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

async function readXlsx(data: Buffer): Promise<Table> {
  // exceljs inflates every part into memory, so refuse honest zip bombs before it starts.
  if (declaredUncompressedBytes(data) > MAX_XLSX_UNCOMPRESSED_BYTES) {
    throw new TableFormatError('xlsx expands to an unreasonable size');
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ExcelXlsxInput);
  } catch (error) {
    throw new TableFormatError('not an xlsx or csv file (damaged or not a workbook)', { cause: error });
  }
  // A .docx or plain .zip loads "successfully" with no worksheets at all.
  if (workbook.worksheets.length === 0) throw new TableFormatError('not an xlsx or csv file');
  const withData = workbook.worksheets.filter((sheet) => sheet.actualRowCount > 0);
  const sheet = withData.find((candidate) => candidate.state === 'visible') ?? withData[0];
  if (!sheet) throw new TableFormatError('no header row');
  const raw: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column++) {
      const cell = row.getCell(column);
      // exceljs hands every cell of a merge the master's value; a spreadsheet (and its CSV) shows it once.
      const isMergeSlave = cell.isMerged && cell.master.address !== cell.address;
      cells.push(isMergeSlave ? '' : cellText(cell.value).trim());
    }
    raw.push({ rowNumber, cells });
  });
  return toTable(raw, 'xlsx');
}

/** Sums the uncompressed sizes the ZIP central directory declares; ZIP64 markers count as huge. */
function declaredUncompressedBytes(data: Buffer): number {
  const eocd = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > data.length) return 0; // let exceljs report the damage
  const entries = data.readUInt16LE(eocd + 10);
  let offset = data.readUInt32LE(eocd + 16);
  let total = 0;
  for (let i = 0; i < entries && offset + 46 <= data.length; i++) {
    if (data.readUInt32LE(offset) !== 0x02014b50) break;
    const size = data.readUInt32LE(offset + 24);
    total += size === 0xffffffff ? Number.POSITIVE_INFINITY : size;
    offset += 46 + data.readUInt16LE(offset + 28) + data.readUInt16LE(offset + 30) + data.readUInt16LE(offset + 32);
  }
  return total;
}

/** Faithful text of an exceljs cell value: what the cell holds, not how it is formatted. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  // A hyperlink's text is itself rich text when the link was styled in Excel.
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result);
  return ''; // error values such as #N/A
}

/** Integers without exponent or ".0"; 20-digit IDs stored as numbers already lost precision in Excel. */
function numberText(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (Number.isSafeInteger(value) || (Number.isInteger(value) && Math.abs(value) >= 1e21)) {
    return BigInt(value).toString();
  }
  return String(value); // shortest round-trip form keeps 119.18234567 exact
}

function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  // exceljs maps date serials to UTC, so a date without time is UTC midnight.
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}
