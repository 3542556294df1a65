import type { CameraStatus, PointClass } from '../domain/camera.js';

/** What a camera list can be narrowed by. Every list is also limited by `scope` (allowed towns). */
export interface CameraFilter {
  towns?: string[];
  networks?: string[];
  pointClasses?: PointClass[];
  statuses?: CameraStatus[];
  tags?: string[];
  /** Free text over name, device ID, village and address (case-insensitive substring). */
  q?: string;
  decommissioned?: 'exclude' | 'only' | 'include';
  /** Town codes the caller may see; undefined = the whole county. */
  scope?: readonly string[];
}

export type SortKey = 'deviceId' | 'name' | 'town' | 'network' | 'status' | 'createdAt' | 'updatedAt';

export interface CameraSort {
  key: SortKey;
  order: 'asc' | 'desc';
}

export const SORT_COLUMNS: Record<SortKey, string> = {
  deviceId: 'device_id',
  name: 'name',
  town: 'town_code',
  network: 'network_code',
  status: 'status',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

/** Builds a parameterised WHERE clause (without the keyword); '' when nothing filters. */
export function buildWhere(filter: CameraFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    parts.push(sql(params.length));
  };
  const decommissioned = filter.decommissioned ?? 'exclude';
  if (decommissioned === 'exclude') parts.push('decommissioned_at IS NULL');
  if (decommissioned === 'only') parts.push('decommissioned_at IS NOT NULL');
  // One value → plain equality: the planner matches `town_code = 'x'` to composite indexes, `= ANY(…)` less well.
  const oneOf = (column: string, type: string, values: readonly unknown[]) =>
    values.length === 1 ? add((n) => `${column} = $${n}::${type}`, values[0]) : add((n) => `${column} = ANY($${n}::${type}[])`, values);
  if (filter.scope) oneOf('town_code', 'text', filter.scope);
  if (filter.towns?.length) oneOf('town_code', 'text', filter.towns);
  if (filter.networks?.length) oneOf('network_code', 'text', filter.networks);
  if (filter.pointClasses?.length) oneOf('point_class', 'int2', filter.pointClasses);
  if (filter.statuses?.length) oneOf('status', 'text', filter.statuses);
  if (filter.tags?.length) add((n) => `tags @> $${n}::text[]`, filter.tags);
  if (filter.q) add((n) => `search_text LIKE $${n}`, `%${escapeLike(filter.q.trim().toLowerCase())}%`);
  return { sql: parts.join(' AND '), params };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
