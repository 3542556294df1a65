import express, { type RequestHandler } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { RegistryService } from '../../services/registry/registry.service.js';
import type { AuditedRegistry } from '../../services/registry/audited-registry.js';
import type { ExportService } from '../../services/registry/export.service.js';
import { parseFullCamera, normaliseParsed, type CameraFields, type CameraInputSchemas } from '../../services/registry/camera-input.js';
import { ValidationError } from '../../services/errors.js';
import { parseOrThrow } from '../validate.js';
import type { RouteDef } from '../route-table.js';
import { actorOf, scopeOf } from '../access.js';
import { makeCameraQuerySchema } from '../schemas/camera-query.schema.js';
import type { Catalog } from '../../services/registry/catalog.js';

export interface CameraRouteDeps {
  catalog: Catalog;
  schemas: CameraInputSchemas;
  registry: RegistryService;
  writes: AuditedRegistry;
  exporter: ExportService;
  importMaxBytes: number;
  importLimiter: RequestHandler;
  tzDisplay: string;
}

const idParams = z.object({ id: z.string().min(1) });
const importQuery = z.object({ dryRun: z.enum(['true', 'false', '1', '0'], { error: 'expected true or false' }).optional() }).strict();
const SPREADSHEET_TYPES = ['text/csv', 'text/plain', 'application/octet-stream', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.ms-excel'];

/** Registry routes under /api/v1. Handlers only validate, call a service and present. */
export function cameraRoutes(deps: CameraRouteDeps): RouteDef[] {
  const query = makeCameraQuerySchema(deps.catalog);
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: deps.importMaxBytes, files: 1, fields: 10 } });
  const rawUpload = express.raw({ type: SPREADSHEET_TYPES, limit: deps.importMaxBytes });

  return [
    {
      method: 'get', path: '/cameras', permission: 'cameras:read', summary: 'List cameras with filters, sorting and paging',
      handler: async (req) => {
        const q = parseOrThrow(query, req.query, 'query');
        return deps.registry.list({ ...q, filter: { ...q.filter, scope: scopeOf(req) } });
      },
    },
    {
      method: 'post', path: '/cameras', permission: 'cameras:write', summary: 'Register a camera',
      handler: async (req, res) => {
        const view = await deps.writes.create(parseFullCamera(deps.schemas, req.body ?? {}), scopeOf(req), actorOf(req));
        res.status(201).location(`/api/v1/cameras/${view.id}`);
        return view;
      },
    },
    {
      method: 'get', path: '/cameras/export', permission: 'cameras:export', summary: 'Export the register as xlsx or csv',
      handler: async (req, res) => {
        const q = parseOrThrow(query, req.query, 'query');
        const file = await deps.exporter.exportFile(q.format, { lang: q.lang, filter: { ...q.filter, scope: scopeOf(req) }, now: new Date(), tz: deps.tzDisplay });
        res.setHeader('Content-Type', file.contentType);
        res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
        res.setHeader('X-Row-Count', String(file.rows));
        res.send(file.data);
      },
    },
    {
      method: 'post', path: '/cameras/import', permission: 'cameras:import', summary: 'Import cameras from xlsx or csv (all-or-nothing; dryRun=true only reports)',
      middleware: [deps.importLimiter, upload.single('file'), rawUpload],
      handler: async (req, res) => {
        const { dryRun } = parseOrThrow(importQuery, req.query, 'query');
        const data = req.file?.buffer ?? (Buffer.isBuffer(req.body) ? req.body : undefined);
        if (!data || data.length === 0) {
          throw new ValidationError([{ field: 'file', message: 'upload a .xlsx or .csv file as multipart field "file" or as the request body' }]);
        }
        const options = { dryRun: dryRun === 'true' || dryRun === '1', filename: req.file?.originalname, scope: scopeOf(req) };
        const report = await deps.writes.importFile(data, options, actorOf(req));
        if (!report.dryRun && !report.committed) res.status(422);
        return report;
      },
    },
    {
      method: 'get', path: '/cameras/:id', permission: 'cameras:read', summary: 'Get one camera',
      handler: async (req) => deps.registry.get(parseOrThrow(idParams, req.params, 'params').id, scopeOf(req)),
    },
    {
      method: 'patch', path: '/cameras/:id', permission: 'cameras:write', summary: 'Change some fields of a camera',
      handler: async (req) => {
        const { id } = parseOrThrow(idParams, req.params, 'params');
        const parsed = parseOrThrow(deps.schemas.patch, req.body ?? {}, 'body');
        if (Object.keys(parsed).length === 0) throw new ValidationError([{ field: 'body', message: 'no fields to change' }]);
        const { value, problems } = normaliseParsed(parsed);
        if (problems.length > 0) throw new ValidationError(problems);
        return deps.writes.update(id, value as Partial<CameraFields>, scopeOf(req), actorOf(req));
      },
    },
    {
      method: 'post', path: '/cameras/:id/decommission', permission: 'cameras:write', summary: 'Decommission (soft delete) a camera',
      handler: async (req) => deps.writes.setDecommissioned(parseOrThrow(idParams, req.params, 'params').id, true, scopeOf(req), actorOf(req)),
    },
    {
      method: 'post', path: '/cameras/:id/restore', permission: 'cameras:write', summary: 'Restore a decommissioned camera',
      handler: async (req) => deps.writes.setDecommissioned(parseOrThrow(idParams, req.params, 'params').id, false, scopeOf(req), actorOf(req)),
    },
  ];
}
