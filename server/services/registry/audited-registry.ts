import { diffRecords } from '../../domain/audit-diff.js';
import type { Actor, AuditTrail } from '../access/audit-trail.js';
import { ValidationError } from '../errors.js';
import type { CheckNowResult, CheckNowService } from '../liveness/check-now.service.js';
import type { CameraFields } from './camera-input.js';
import type { CameraView } from './camera-view.js';
import type { ImportReport, ImportService } from './import.service.js';
import type { RegistryService } from './registry.service.js';

type Scope = readonly string[] | undefined;

/**
 * The registry's writes as people make them: each checked against the caller's towns and recorded
 * in the audit log with a before/after diff (the view never holds a password; a password change is
 * noted as such).
 */
export class AuditedRegistry {
  constructor(
    private readonly registry: RegistryService,
    private readonly importer: ImportService,
    private readonly checkNow: CheckNowService,
    private readonly audit: AuditTrail,
  ) {}

  async create(fields: CameraFields, scope: Scope, actor: Actor): Promise<CameraView> {
    if (scope && !scope.includes(fields.town)) throw new ValidationError([{ field: 'town', message: 'outside the towns you may manage' }]);
    const view = await this.registry.create(fields);
    await this.record(actor, 'camera.create', view, diffRecords(null, view), fields.password !== undefined && fields.password !== null);
    return view;
  }

  async update(id: string, patch: Partial<CameraFields>, scope: Scope, actor: Actor): Promise<CameraView> {
    const { before, after } = await this.registry.update(id, patch, scope);
    await this.record(actor, 'camera.update', after, diffRecords(before, after), patch.password !== undefined, before.town);
    return after;
  }

  async setDecommissioned(id: string, decommissioned: boolean, scope: Scope, actor: Actor): Promise<CameraView> {
    const before = await this.registry.get(id, scope);
    const after = await this.registry.setDecommissioned(id, decommissioned, scope);
    await this.record(actor, decommissioned ? 'camera.decommission' : 'camera.restore', after, diffRecords(before, after), false);
    return after;
  }

  async importFile(data: Buffer, options: { dryRun: boolean; filename?: string; scope: Scope }, actor: Actor): Promise<ImportReport> {
    const report = await this.importer.importFile(data, options);
    if (!report.dryRun) {
      await this.audit.record(actor, {
        action: 'camera.import',
        outcome: report.committed ? 'ok' : 'failed',
        targetType: 'import',
        targetLabel: options.filename ?? null,
        towns: options.scope ?? null,
        detail: { filename: options.filename, format: report.format, rows: report.rows, created: report.create, updated: report.update, unchanged: report.unchanged, invalidRows: report.invalid.length },
      });
    }
    return report;
  }

  async check(id: string, scope: Scope, actor: Actor): Promise<CheckNowResult> {
    const { result, camera } = await this.checkNow.check(id, scope);
    await this.audit.record(actor, {
      action: 'camera.check',
      targetType: 'camera',
      targetId: id,
      targetLabel: `${camera.deviceId} ${camera.name}`,
      towns: [camera.town],
      detail: { verdict: result.verdict, status: result.status, recorded: result.recorded },
    });
    return result;
  }

  private async record(actor: Actor, action: string, view: CameraView, changes: Record<string, unknown>, passwordChanged: boolean, previousTown?: string): Promise<void> {
    const towns = [...new Set([view.town, ...(previousTown ? [previousTown] : [])])];
    await this.audit.record(actor, {
      action,
      targetType: 'camera',
      targetId: view.id,
      targetLabel: `${view.deviceId} ${view.name}`,
      towns,
      detail: { changes, ...(passwordChanged ? { passwordChanged: true } : {}) },
    });
  }
}
