import type { CameraStatus, PointClass } from '../domain/camera.js';
import type { Queryable } from './db.js';
import { CAMERA_COLUMNS, toRecord, type CameraRow, type CameraRecord, type StoredCameraFields } from './camera.row.js';
import { buildWhere, SORT_COLUMNS, type CameraFilter, type CameraSort } from './camera.filter.js';

export type { CameraRecord, StoredCameraFields } from './camera.row.js';
export type { CameraFilter, CameraSort, SortKey } from './camera.filter.js';

/** A keyset position: the sort column's value and the id of the last row seen. */
export interface Cursor {
  value: string | number;
  id: string;
}

export interface ListPage {
  limit: number;
  offset?: number;
  after?: Cursor;
}

const WRITABLE: Array<[keyof StoredCameraFields, string, string]> = [
  ['deviceId', 'device_id', 'text'],
  ['idEdition', 'id_edition', 'text'],
  ['name', 'name', 'text'],
  ['network', 'network_code', 'text'],
  ['town', 'town_code', 'text'],
  ['village', 'village', 'text'],
  ['address', 'address', 'text'],
  ['longitude', 'longitude', 'float8'],
  ['latitude', 'latitude', 'float8'],
  ['pointClass', 'point_class', 'int2'],
  ['vendor', 'vendor', 'text'],
  ['model', 'model', 'text'],
  ['installDate', 'install_date', 'date'],
  ['ownerUnit', 'owner_unit', 'text'],
  ['maintainer', 'maintainer', 'text'],
  ['tags', 'tags', 'text[]'],
  ['onvifUrl', 'onvif_url', 'text'],
  ['rtspMainUrl', 'rtsp_main_url', 'text'],
  ['rtspSubUrl', 'rtsp_sub_url', 'text'],
  ['username', 'username', 'text'],
  ['passwordEnc', 'password_enc', 'text'],
];

// Tags travel through unnest() as one string per row joined by the unit separator, since
// unnest cannot carry an array of arrays of different lengths.
const TAG_SEPARATOR = '\u001f';

/** All SQL about cameras. Every read takes an optional town scope (undefined = whole county). */
export class CameraRepository {
  constructor(private readonly db: Queryable) {}

  withConnection(db: Queryable): CameraRepository {
    return new CameraRepository(db);
  }

  async insert(fields: StoredCameraFields): Promise<CameraRecord> {
    const cols = WRITABLE.map(([, col]) => col);
    const params = WRITABLE.map(([key]) => fields[key]);
    const rows = await this.db.query<CameraRow>(
      `INSERT INTO cameras (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING ${CAMERA_COLUMNS}`,
      params,
    );
    return toRecord(rows[0]);
  }

  /** Updates the given fields; returns null when no camera has that id (within scope). */
  async update(id: string, fields: Partial<StoredCameraFields>, scope?: readonly string[]): Promise<CameraRecord | null> {
    if (!isUuid(id)) return null;
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [key, col] of WRITABLE) {
      if (fields[key] === undefined) continue;
      params.push(fields[key]);
      sets.push(`${col} = $${params.length}`);
    }
    sets.push('updated_at = now()');
    const scopeSql = scope ? ` AND town_code = ANY($${params.push(scope)})` : '';
    const rows = await this.db.query<CameraRow>(
      `UPDATE cameras SET ${sets.join(', ')} WHERE id = $1${scopeSql} RETURNING ${CAMERA_COLUMNS}`,
      params,
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async setDecommissioned(id: string, decommissioned: boolean, scope?: readonly string[]): Promise<CameraRecord | null> {
    if (!isUuid(id)) return null;
    const params: unknown[] = [id, decommissioned];
    const scopeSql = scope ? ` AND town_code = ANY($${params.push(scope)})` : '';
    const rows = await this.db.query<CameraRow>(
      `UPDATE cameras SET decommissioned_at = CASE WHEN $2 THEN coalesce(decommissioned_at, now()) END, updated_at = now()
       WHERE id = $1${scopeSql} RETURNING ${CAMERA_COLUMNS}`,
      params,
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async findById(id: string, scope?: readonly string[]): Promise<CameraRecord | null> {
    if (!isUuid(id)) return null;
    const params: unknown[] = [id];
    const scopeSql = scope ? ` AND town_code = ANY($${params.push(scope)})` : '';
    const rows = await this.db.query<CameraRow>(`SELECT ${CAMERA_COLUMNS} FROM cameras WHERE id = $1${scopeSql}`, params);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async findByDeviceIds(deviceIds: readonly string[]): Promise<CameraRecord[]> {
    if (deviceIds.length === 0) return [];
    const rows = await this.db.query<CameraRow>(`SELECT ${CAMERA_COLUMNS} FROM cameras WHERE device_id = ANY($1::text[])`, [deviceIds]);
    return rows.map(toRecord);
  }

  async list(filter: CameraFilter, sort: CameraSort, page: ListPage): Promise<CameraRecord[]> {
    const { sql: where, params } = buildWhere(filter);
    const column = SORT_COLUMNS[sort.key];
    const dir = sort.order === 'desc' ? 'DESC' : 'ASC';
    const conditions = where ? [where] : [];
    if (page.after) {
      params.push(page.after.value, page.after.id);
      conditions.push(`(${column}, id) ${dir === 'ASC' ? '>' : '<'} ($${params.length - 1}, $${params.length}::uuid)`);
    }
    params.push(page.limit, page.offset ?? 0);
    const rows = await this.db.query<CameraRow>(
      `SELECT ${CAMERA_COLUMNS} FROM cameras ${conditions.length ? 'WHERE ' + conditions.join(' AND ') : ''}
       ORDER BY ${column} ${dir}, id ${dir} LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows.map(toRecord);
  }

  async count(filter: CameraFilter): Promise<number> {
    const { sql: where, params } = buildWhere(filter);
    const rows = await this.db.query<{ n: number }>(`SELECT count(*) AS n FROM cameras ${where ? 'WHERE ' + where : ''}`, params);
    return rows[0].n;
  }

  /** Camera counts per (town, network, status) for active cameras, the base of every tally. */
  async countByTownNetworkStatus(scope?: readonly string[]): Promise<Array<{ town: string; network: string; status: CameraStatus; count: number }>> {
    const params: unknown[] = [];
    const scopeSql = scope ? ` AND town_code = ANY($${params.push(scope)})` : '';
    return this.db.query(
      `SELECT town_code AS town, network_code AS network, status, count(*) AS count
       FROM cameras WHERE decommissioned_at IS NULL${scopeSql} GROUP BY 1, 2, 3`,
      params,
    );
  }

  /** Inserts many cameras in one statement through unnest() arrays (no 65,535-parameter limit). */
  async insertMany(rows: StoredCameraFields[]): Promise<number> {
    if (rows.length === 0) return 0;
    const { columns, params, source } = unnestSource(rows, false);
    const inserted = await this.db.query(`INSERT INTO cameras (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM ${source} RETURNING 1`, params);
    return inserted.length;
  }

  /** Updates many cameras matched by device_id in one statement; `keepPassword` leaves the stored password alone. */
  async updateManyByDeviceId(rows: Array<StoredCameraFields & { keepPassword: boolean }>): Promise<number> {
    if (rows.length === 0) return 0;
    const { columns, params, source } = unnestSource(rows, true);
    const sets = columns
      .filter((c) => c !== 'device_id')
      .map((c) => (c === 'password_enc' ? 'password_enc = CASE WHEN v.keep_password THEN c.password_enc ELSE v.password_enc END' : `${c} = v.${c}`));
    const updated = await this.db.query(
      `UPDATE cameras c SET ${sets.join(', ')}, updated_at = now() FROM ${source} WHERE c.device_id = v.device_id RETURNING 1`,
      params,
    );
    return updated.length;
  }

  /** Every camera in scope ordered for export (town, network, device ID). */
  async listForExport(filter: CameraFilter): Promise<CameraRecord[]> {
    const { sql: where, params } = buildWhere(filter);
    const rows = await this.db.query<CameraRow>(
      `SELECT ${CAMERA_COLUMNS} FROM cameras ${where ? 'WHERE ' + where : ''} ORDER BY town_code, network_code, device_id`,
      params,
    );
    return rows.map(toRecord);
  }
}

/** `(SELECT … FROM unnest($1::text[], …)) AS v` with one array parameter per column. */
function unnestSource(rows: Array<StoredCameraFields & { keepPassword?: boolean }>, withKeepFlag: boolean) {
  const columns = WRITABLE.map(([, col]) => col);
  const params: unknown[] = WRITABLE.map(([key]) => rows.map((r) => (key === 'tags' ? r.tags.join(TAG_SEPARATOR) : r[key])));
  const casts = WRITABLE.map(([, , type], i) => `$${i + 1}::${type === 'text[]' ? 'text' : type}[]`);
  const names = [...columns];
  if (withKeepFlag) {
    params.push(rows.map((r) => r.keepPassword === true));
    casts.push(`$${params.length}::bool[]`);
    names.push('keep_password');
  }
  const selects = names.map((col) =>
    col === 'tags' ? `CASE WHEN tags = '' THEN '{}'::text[] ELSE string_to_array(tags, E'\\x1f') END AS tags` : col,
  );
  return { columns, params, source: `(SELECT ${selects.join(', ')} FROM unnest(${casts.join(', ')}) AS u(${names.join(', ')})) AS v` };
}

function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

export type { CameraStatus, PointClass };
