import { decodeDeviceId } from '../../domain/gb28181.js';
import type { CredentialCipher } from '../../secrets/credential-cipher.js';
import type { CameraFilter, CameraRecord, CameraRepository, CameraSort, Cursor, StoredCameraFields } from '../../storage/camera.repository.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { CameraFields } from './camera-input.js';
import type { Catalog } from './catalog.js';
import { toCameraView, type CameraView } from './camera-view.js';

export interface ListRequest {
  filter: CameraFilter;
  sort: CameraSort;
  limit: number;
  offset?: number;
  cursor?: string;
}

export interface ListResult {
  items: CameraView[];
  total: number;
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

export interface TallyEntry {
  code: string;
  name: string;
  nameEn?: string;
  cameras: number;
  byStatus: Record<string, number>;
}

/** Use-cases of the camera registry (一机一档). Town scope arrives in `scope`; undefined = county. */
export class RegistryService {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly catalog: Catalog,
    private readonly cipher: CredentialCipher,
  ) {}

  async create(fields: CameraFields): Promise<CameraView> {
    const existing = await this.cameras.findByDeviceIds([fields.deviceId]);
    if (existing.length > 0) throw duplicate(existing[0]);
    try {
      return this.view(await this.cameras.insert(this.toStored(fields)));
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`deviceId ${fields.deviceId} is already registered`, 'deviceId');
      throw err;
    }
  }

  async get(id: string, scope?: readonly string[]): Promise<CameraView> {
    return this.view(await this.mustFind(id, scope));
  }

  /** The camera after the change, and as it was before (for the audit diff), from the row read here anyway. */
  async update(id: string, patch: Partial<CameraFields>, scope?: readonly string[]): Promise<{ before: CameraView; after: CameraView }> {
    const current = await this.mustFind(id, scope);
    if (patch.town && scope && !scope.includes(patch.town)) {
      throw new ValidationError([{ field: 'town', message: 'outside the towns you may manage' }]);
    }
    if (patch.deviceId && patch.deviceId !== current.deviceId) {
      const clash = await this.cameras.findByDeviceIds([patch.deviceId]);
      if (clash.length > 0) throw duplicate(clash[0]);
    }
    const stored: Partial<StoredCameraFields> = { ...patch } as Partial<StoredCameraFields>;
    delete (stored as { password?: unknown }).password;
    if (patch.deviceId !== undefined || patch.idEdition !== undefined) {
      stored.idEdition = this.edition(patch.deviceId ?? current.deviceId, patch.idEdition === undefined ? null : patch.idEdition);
    }
    if (patch.password !== undefined) stored.passwordEnc = patch.password === null ? null : this.cipher.encrypt(patch.password);
    try {
      const updated = await this.cameras.update(id, stored, scope);
      if (!updated) throw new NotFoundError('camera', id);
      return { before: this.view(current), after: this.view(updated) };
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`deviceId ${patch.deviceId} is already registered`, 'deviceId');
      throw err;
    }
  }

  async setDecommissioned(id: string, decommissioned: boolean, scope?: readonly string[]): Promise<CameraView> {
    const updated = await this.cameras.setDecommissioned(id, decommissioned, scope);
    if (!updated) throw new NotFoundError('camera', id);
    return this.view(updated);
  }

  async list(request: ListRequest): Promise<ListResult> {
    const after = request.cursor ? decodeCursor(request.cursor, request.sort) : undefined;
    const [records, total] = await Promise.all([
      this.cameras.list(request.filter, request.sort, { limit: request.limit, offset: after ? 0 : request.offset, after }),
      this.cameras.count(request.filter),
    ]);
    const last = records.at(-1);
    const nextCursor = last && records.length === request.limit ? encodeCursor(request.sort, last) : null;
    return { items: records.map((r) => this.view(r)), total, nextCursor };
  }

  /** Towns (or networks) with active-camera counts by status, in configured order. */
  async tally(kind: 'town' | 'network', scope?: readonly string[]): Promise<TallyEntry[]> {
    const counts = await this.cameras.countByTownNetworkStatus(scope);
    const list = kind === 'town' ? this.catalog.towns : this.catalog.networks;
    const entries = list.entries
      .filter((e) => kind !== 'town' || !scope || scope.includes(e.code))
      .map((e) => ({ ...e, cameras: 0, byStatus: {} as Record<string, number> }));
    for (const row of counts) {
      const entry = entries.find((e) => e.code === row[kind]);
      if (!entry) continue;
      entry.cameras += row.count;
      entry.byStatus[row.status] = (entry.byStatus[row.status] ?? 0) + row.count;
    }
    return entries;
  }

  /** The record a full set of fields produces; shared with the importer. */
  toStored(fields: CameraFields, passwordEnc?: string | null): StoredCameraFields {
    const { password, ...rest } = fields;
    return {
      ...rest,
      idEdition: this.edition(fields.deviceId, fields.idEdition),
      passwordEnc: passwordEnc !== undefined ? passwordEnc : password ? this.cipher.encrypt(password) : null,
    };
  }

  view(record: CameraRecord): CameraView {
    return toCameraView(this.catalog, record);
  }

  private edition(deviceId: string, explicit: '2016' | '2022' | null): '2016' | '2022' {
    return explicit ?? decodeDeviceId(deviceId, this.catalog.idEdition).edition;
  }

  private async mustFind(id: string, scope?: readonly string[]): Promise<CameraRecord> {
    const record = await this.cameras.findById(id, scope);
    if (!record) throw new NotFoundError('camera', id);
    return record;
  }
}

function duplicate(existing: CameraRecord): ConflictError {
  const state = existing.decommissionedAt ? ' (decommissioned; restore it instead)' : '';
  return new ConflictError(`deviceId ${existing.deviceId} is already registered to camera ${existing.id}${state}`, 'deviceId');
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === '23505';
}

function encodeCursor(sort: CameraSort, last: CameraRecord): string {
  const value = sortValue(sort, last);
  return Buffer.from(JSON.stringify({ k: sort.key, o: sort.order, v: value, id: last.id })).toString('base64url');
}

function sortValue(sort: CameraSort, r: CameraRecord): string | number {
  const map = { deviceId: r.deviceId, name: r.name, town: r.town, network: r.network, status: r.status, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
  return map[sort.key];
}

function decodeCursor(cursor: string, sort: CameraSort): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k: string; o: string; v: string | number; id: string };
    if (parsed.k !== sort.key || parsed.o !== sort.order || typeof parsed.id !== 'string') throw new Error('sort changed');
    return { value: parsed.v, id: parsed.id };
  } catch {
    throw new ValidationError([{ field: 'cursor', message: 'invalid cursor, or it was made for another sort order' }]);
  }
}
