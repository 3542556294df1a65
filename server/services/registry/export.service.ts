import { pointClassName } from '../../domain/camera.js';
import type { CameraFilter, CameraRecord, CameraRepository } from '../../storage/camera.repository.js';
import { writeCsv, writeXlsx, type TableCell } from '../table/table-writer.js';
import type { Catalog } from './catalog.js';
import { COLUMNS, type ColumnField } from './columns.js';

export type ExportFormat = 'xlsx' | 'csv';

export interface ExportFile {
  data: Buffer;
  contentType: string;
  filename: string;
  rows: number;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** Writes the register in the import's own columns, so an export re-imports as "unchanged". Never a password. */
export class ExportService {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly catalog: Catalog,
  ) {}

  async exportFile(format: ExportFormat, options: { lang: 'zh' | 'en'; filter: CameraFilter; now: Date; tz: string }): Promise<ExportFile> {
    const records = await this.cameras.listForExport(options.filter);
    const headers = COLUMNS.map((c) => (options.lang === 'zh' ? c.zh : c.en));
    const rows = records.map((r) => COLUMNS.map((c) => this.cell(c.field, r, options.lang)));
    const data = format === 'xlsx' ? await writeXlsx(headers, rows, { sheetName: options.lang === 'zh' ? '摄像机台账' : 'cameras' }) : writeCsv(headers, rows);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: options.tz }).format(options.now);
    return { data, contentType: CONTENT_TYPES[format], filename: `cameras-${this.catalog.countyCode}-${day}.${format}`, rows: records.length };
  }

  private cell(field: ColumnField, r: CameraRecord, lang: 'zh' | 'en'): TableCell {
    const named = (list: Catalog['towns'], code: string) => (lang === 'zh' ? (list.byCode(code)?.name ?? code) : code);
    switch (field) {
      case 'network':
        return named(this.catalog.networks, r.network);
      case 'town':
        return named(this.catalog.towns, r.town);
      case 'pointClass':
        return r.pointClass === null ? null : pointClassName(r.pointClass, lang);
      case 'coordinateSystem':
        return r.longitude === null ? null : 'WGS84';
      case 'tags':
        return r.tags.join(',');
      case 'password':
        return null;
      default:
        return r[field];
    }
  }
}
