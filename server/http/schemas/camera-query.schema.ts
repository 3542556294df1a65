import { z } from 'zod';
import { CAMERA_STATUSES, parsePointClass, type PointClass } from '../../domain/camera.js';
import type { Catalog } from '../../services/registry/catalog.js';
import type { CameraFilter, SortKey } from '../../storage/camera.repository.js';

const SORT_KEYS = ['deviceId', 'name', 'town', 'network', 'status', 'createdAt', 'updatedAt'] as const satisfies readonly SortKey[];

/** `?town=a,b` and `?town=a&town=b` both give ['a', 'b']. */
const list = z.preprocess(
  (v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean)),
  z.array(z.string().max(100)).max(50).optional(),
);

function codes(listOf: Catalog['towns'], what: string) {
  return list.transform((values, ctx) =>
    values?.map((v) => {
      const entry = listOf.resolve(v);
      if (!entry) ctx.addIssue({ code: 'custom', message: `unknown ${what} "${v}"; expected one of ${listOf.describe()}` });
      return entry?.code ?? v;
    }),
  );
}

/** Query parameters of GET /cameras and /cameras/export, resolved to repository terms. */
export function makeCameraQuerySchema(catalog: Catalog) {
  return z
    .object({
      town: codes(catalog.towns, 'town'),
      network: codes(catalog.networks, 'network'),
      pointClass: list.transform((values, ctx) =>
        values?.map((v) => {
          const parsed = parsePointClass(v);
          if (parsed === null) ctx.addIssue({ code: 'custom', message: `unknown point class "${v}"; expected 1, 2, 3, 9 or 一类/二类/三类/其他` });
          return parsed as PointClass;
        }),
      ),
      status: list.pipe(z.array(z.enum(CAMERA_STATUSES, { error: `expected one of ${CAMERA_STATUSES.join(', ')}` })).optional()),
      tag: list,
      q: z.string().trim().max(100, 'at most 100 characters').optional(),
      decommissioned: z
        .enum(['exclude', 'only', 'include', 'true', 'false'], { error: 'expected exclude, only or include' })
        .transform((v) => (v === 'true' ? 'only' : v === 'false' ? 'exclude' : v))
        .optional(),
      sort: z
        .string()
        .regex(new RegExp(`^-?(${SORT_KEYS.join('|')})$`), `expected one of ${SORT_KEYS.join(', ')}, optionally prefixed by - for descending`)
        .optional(),
      order: z.enum(['asc', 'desc'], { error: 'expected asc or desc' }).optional(),
      limit: z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(1, 'must be at least 1').max(500, 'must be at most 500').default(50),
      offset: z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(0, 'must be at least 0').max(1_000_000).default(0),
      cursor: z.string().max(500).optional(),
      format: z.enum(['xlsx', 'csv'], { error: 'expected xlsx or csv' }).optional(),
      lang: z.enum(['zh', 'en'], { error: 'expected zh or en' }).optional(),
    })
    .strict()
    .transform((q) => {
      const desc = q.sort?.startsWith('-') ?? false;
      const key = (q.sort?.replace(/^-/, '') ?? 'deviceId') as SortKey;
      const filter: CameraFilter = {
        towns: q.town,
        networks: q.network,
        pointClasses: q.pointClass,
        statuses: q.status,
        tags: q.tag,
        q: q.q || undefined,
        decommissioned: q.decommissioned as CameraFilter['decommissioned'],
      };
      return {
        filter,
        sort: { key, order: q.order ?? (desc ? 'desc' : 'asc') } as const,
        limit: q.limit,
        offset: q.offset,
        cursor: q.cursor,
        format: q.format ?? 'xlsx',
        lang: q.lang ?? 'zh',
      };
    });
}
