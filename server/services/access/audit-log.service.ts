import type { AuditQuery, AuditRecord, AuditRepository } from '../../storage/audit.repository.js';
import { writeCsv, writeXlsx } from '../table/table-writer.js';

export type AuditFilter = Omit<AuditQuery, 'limit' | 'beforeId'>;

/** Exports stop here: a county's year of audit is well below it, and a bigger file is a mistake. */
export const AUDIT_EXPORT_MAX_ROWS = 100_000;

export function auditView(r: AuditRecord) {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actorType: r.actorType,
    actorName: r.actorName,
    ip: r.ip,
    action: r.action,
    outcome: r.outcome,
    targetType: r.targetType,
    targetId: r.targetId,
    targetLabel: r.targetLabel,
    towns: r.towns,
    detail: r.detail,
  };
}
export type AuditView = ReturnType<typeof auditView>;

const HEADERS = {
  zh: ['时间', '操作者类型', '操作者', '来源地址', '操作', '结果', '对象类型', '对象', '对象编号', '乡镇', '详情'],
  en: ['Time', 'Actor type', 'Actor', 'From', 'Action', 'Outcome', 'Target type', 'Target', 'Target id', 'Towns', 'Detail'],
};

/** The admin's view of the audit log: filtered pages, newest first, and exports. */
export class AuditLogService {
  constructor(private readonly repo: AuditRepository) {}

  async page(filter: AuditFilter, limit: number, beforeId?: number): Promise<{ items: AuditView[]; nextBefore: number | null }> {
    const rows = await this.repo.query({ ...filter, limit, beforeId });
    return { items: rows.map(auditView), nextBefore: rows.length === limit ? rows[rows.length - 1].id : null };
  }

  async exportFile(format: 'csv' | 'xlsx', filter: AuditFilter, options: { lang: 'zh' | 'en'; tz: string; now: Date }) {
    const rows = await this.repo.query({ ...filter, limit: AUDIT_EXPORT_MAX_ROWS });
    const time = new Intl.DateTimeFormat('sv-SE', { timeZone: options.tz, dateStyle: 'short', timeStyle: 'medium' });
    const cells = rows.map((r) => [
      time.format(r.at),
      r.actorType,
      r.actorName,
      r.ip,
      r.action,
      r.outcome,
      r.targetType,
      r.targetLabel,
      r.targetId,
      r.towns?.join(',') ?? null,
      JSON.stringify(r.detail),
    ]);
    const headers = HEADERS[options.lang];
    const data = format === 'xlsx' ? await writeXlsx(headers, cells, { sheetName: options.lang === 'zh' ? '审计日志' : 'audit' }) : writeCsv(headers, cells);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: options.tz }).format(options.now);
    return {
      data,
      rows: rows.length,
      filename: `audit-${day}.${format}`,
      contentType: format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
    };
  }
}
