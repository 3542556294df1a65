import { z } from 'zod';
import type { AuditLogService, AuditFilter } from '../../services/access/audit-log.service.js';
import type { RouteDef } from '../route-table.js';
import { callerScope } from '../access.js';
import { parseOrThrow } from '../validate.js';

const filterQuery = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    action: z.string().regex(/^[a-z_]+(\.[a-z_]*)?$/, 'an action such as camera.update, or a prefix such as camera.').optional(),
    actor: z.string().min(1).max(80).optional(),
    outcome: z.enum(['ok', 'denied', 'failed']).optional(),
    targetType: z.string().regex(/^[a-z_-]{1,32}$/).optional(),
    targetId: z.string().min(1).max(80).optional(),
  })
  .strict();
const pageQuery = filterQuery.extend({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const exportQuery = filterQuery.extend({ format: z.enum(['csv', 'xlsx']).default('xlsx'), lang: z.enum(['zh', 'en']).default('zh') });

/** The audit log for admins: filtered pages and exports, limited to the admin's towns. */
export function auditRoutes(deps: { audit: AuditLogService; tz: string }): RouteDef[] {
  const filterOf = (q: z.infer<typeof filterQuery>, scope: readonly string[] | null): AuditFilter => ({
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    action: q.action,
    actor: q.actor,
    outcome: q.outcome,
    targetType: q.targetType,
    targetId: q.targetId,
    scope,
  });
  return [
    {
      method: 'get', path: '/audit', permission: 'audit:read', summary: 'Audit log entries, newest first (page with before=nextBefore)',
      handler: async (req) => {
        const q = parseOrThrow(pageQuery, req.query, 'query');
        return deps.audit.page(filterOf(q, callerScope(req)), q.limit, q.before);
      },
    },
    {
      method: 'get', path: '/audit/export', permission: 'audit:read', summary: 'Export the filtered audit log as xlsx or csv',
      handler: async (req, res) => {
        const q = parseOrThrow(exportQuery, req.query, 'query');
        const file = await deps.audit.exportFile(q.format, filterOf(q, callerScope(req)), { lang: q.lang, tz: deps.tz, now: new Date() });
        res.setHeader('Content-Type', file.contentType);
        res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
        res.setHeader('X-Row-Count', String(file.rows));
        res.send(file.data);
      },
    },
  ];
}
