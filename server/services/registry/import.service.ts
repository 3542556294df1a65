import type { Database } from '../../storage/db.js';
import type { CameraRecord, CameraRepository, StoredCameraFields } from '../../storage/camera.repository.js';
import type { CredentialCipher } from '../../secrets/credential-cipher.js';
import { readTable, TableFormatError } from '../table/table-reader.js';
import { UnprocessableFileError, type FieldProblem } from '../errors.js';
import { normaliseParsed, zodProblems, type CameraFields, type CameraInputSchemas } from './camera-input.js';
import { COLUMNS, mapHeaders, type ColumnField, type HeaderMapping } from './columns.js';
import type { RegistryService } from './registry.service.js';

export interface InvalidRow {
  row: number;
  column: string;
  reason: string;
}

/** What an import did (or, in a dry run, would do). Nothing is written unless `invalid` is empty. */
export interface ImportReport {
  dryRun: boolean;
  committed: boolean;
  format: 'xlsx' | 'csv';
  encoding?: string;
  rows: number;
  create: number;
  update: number;
  unchanged: number;
  invalid: InvalidRow[];
  ignoredColumns: string[];
}

const LARGE_IMPORT = 1000;

interface ValidRow {
  row: number;
  fields: CameraFields;
}

/** Reads a register spreadsheet and applies it all-or-nothing, matching cameras by deviceId. */
export class ImportService {
  constructor(
    private readonly db: Database,
    private readonly cameras: CameraRepository,
    private readonly registry: RegistryService,
    private readonly schemas: CameraInputSchemas,
    private readonly cipher: CredentialCipher,
    /** Runs after a large import commits (e.g. VACUUM ANALYZE so lists and counts use fresh statistics). */
    private readonly afterLargeImport: () => void = () => undefined,
  ) {}

  async importFile(data: Buffer, options: { dryRun: boolean; filename?: string; scope?: readonly string[] }): Promise<ImportReport> {
    const table = await readTable(data, { filename: options.filename }).catch((err: unknown) => {
      throw err instanceof TableFormatError ? new UnprocessableFileError(err.reason) : err;
    });
    const mapping = mapHeaders(table.headers);
    if (mapping.problems.length > 0) throw new UnprocessableFileError(mapping.problems.join('; '));
    const invalid: InvalidRow[] = [];
    const valid: ValidRow[] = [];
    for (const { rowNumber, cells } of table.rows) {
      const parsed = this.parseRow(cells, mapping);
      if ('problems' in parsed) invalid.push(...parsed.problems.map((p) => toInvalid(rowNumber, p, mapping)));
      else valid.push({ row: rowNumber, fields: parsed.fields });
    }
    flagDuplicates(valid, invalid, mapping);
    const plan = await this.db.transaction(async (tx) => {
      const repo = this.cameras.withConnection(tx);
      const existing = await repo.findByDeviceIds(valid.map((v) => v.fields.deviceId));
      const planned = this.plan(valid, existing, invalid, mapping, options.scope);
      if (!options.dryRun && invalid.length === 0) {
        await repo.insertMany(planned.creates);
        await repo.updateManyByDeviceId(planned.updates);
      }
      return planned;
    });
    invalid.sort((a, b) => a.row - b.row);
    if (!options.dryRun && invalid.length === 0 && plan.creates.length + plan.updates.length >= LARGE_IMPORT) this.afterLargeImport();
    return {
      dryRun: options.dryRun,
      committed: !options.dryRun && invalid.length === 0,
      format: table.format,
      ...(table.encoding ? { encoding: table.encoding } : {}),
      rows: table.rows.length,
      create: plan.creates.length,
      update: plan.updates.length,
      unchanged: plan.unchanged,
      invalid,
      ignoredColumns: mapping.ignored,
    };
  }

  private parseRow(cells: string[], mapping: HeaderMapping): { fields: CameraFields } | { problems: FieldProblem[] } {
    const input: Record<string, string> = {};
    for (const [index, field] of mapping.fields) input[field] = cells[index] ?? '';
    const result = this.schemas.full.safeParse(input);
    if (!result.success) return { problems: zodProblems(result.error) };
    const { value, problems } = normaliseParsed(result.data);
    if (problems.length > 0) return { problems };
    // An empty password cell means "keep what is stored", so exports (which never carry passwords) re-import unchanged.
    const fields = value as CameraFields;
    if (fields.password === null) delete fields.password;
    return { fields };
  }

  private plan(valid: ValidRow[], existing: CameraRecord[], invalid: InvalidRow[], mapping: HeaderMapping, scope?: readonly string[]) {
    const byDeviceId = new Map(existing.map((r) => [r.deviceId, r]));
    const creates: StoredCameraFields[] = [];
    const updates: Array<StoredCameraFields & { keepPassword: boolean }> = [];
    let unchanged = 0;
    for (const { row, fields } of valid) {
      const current = byDeviceId.get(fields.deviceId);
      if (scope && (!scope.includes(fields.town) || (current && !scope.includes(current.town)))) {
        invalid.push({ row, column: mapping.headerOf.get('town') ?? 'town', reason: 'outside the towns you may manage' });
        continue;
      }
      if (!current) {
        creates.push(this.registry.toStored(fields));
        continue;
      }
      const passwordChanged = fields.password !== undefined && !this.samePassword(current.passwordEnc, fields.password);
      const stored = this.registry.toStored(fields, passwordChanged ? undefined : current.passwordEnc);
      // A column the file does not have leaves that field as stored: a sheet of just 国标编码 + 名称 renames cameras.
      for (const key of COMPARED) if (!mapping.headerOf.has(key)) (stored as unknown as Record<string, unknown>)[key] = current[key];
      if (!passwordChanged && sameFields(stored, current)) unchanged++;
      else updates.push({ ...stored, keepPassword: !passwordChanged });
    }
    return { creates, updates, unchanged };
  }

  private samePassword(sealed: string | null, plain: string | null): boolean {
    if (sealed === null || plain === null) return sealed === plain;
    try {
      return this.cipher.decrypt(sealed) === plain;
    } catch {
      return false;
    }
  }
}

const COMPARED = COLUMNS.map((c) => c.field).filter(
  (f): f is Exclude<ColumnField, 'password' | 'coordinateSystem'> => f !== 'password' && f !== 'coordinateSystem',
);

function sameFields(next: StoredCameraFields, current: CameraRecord): boolean {
  return COMPARED.every((key) => JSON.stringify(next[key]) === JSON.stringify(current[key]));
}

function toInvalid(row: number, problem: FieldProblem, mapping: HeaderMapping): InvalidRow {
  const field = problem.field.split('.')[0] as ColumnField;
  return { row, column: mapping.headerOf.get(field) ?? problem.field, reason: problem.message };
}

/** Two rows of one file with the same deviceId are both invalid: neither can be trusted over the other. */
function flagDuplicates(valid: ValidRow[], invalid: InvalidRow[], mapping: HeaderMapping): void {
  const rowsById = new Map<string, number[]>();
  for (const v of valid) rowsById.set(v.fields.deviceId, [...(rowsById.get(v.fields.deviceId) ?? []), v.row]);
  const column = mapping.headerOf.get('deviceId') ?? 'deviceId';
  const dropped = new Set<number>();
  for (const [deviceId, rows] of rowsById) {
    if (rows.length < 2) continue;
    for (const row of rows) {
      const others = rows.filter((r) => r !== row).join(', ');
      invalid.push({ row, column, reason: `duplicate deviceId ${deviceId} (also in row ${others})` });
      dropped.add(row);
    }
  }
  for (let i = valid.length - 1; i >= 0; i--) if (dropped.has(valid[i].row)) valid.splice(i, 1);
}
