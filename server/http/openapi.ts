import type { Catalog } from '../services/registry/catalog.js';
import { COLUMNS, REQUIRED_FIELDS } from '../services/registry/columns.js';
import { SORT_COLUMNS } from '../storage/camera.filter.js';
import { buildParameters, buildResponses, buildSchemas, FILTER_PARAMS, PAGING_PARAMS, ref, type Json } from './openapi-schemas.js';
import type { RouteDef } from './route-table.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What the table knows about a route beyond its RouteDef; permission and summary always come from the RouteDef. */
interface KnownOperation {
  operationId: string;
  description?: string;
  parameters?: Json[];
  requestBody?: Json;
  responses: Record<string, Json>;
}

type Method = RouteDef['method'];
type DocumentedRoute = Pick<RouteDef, 'method' | 'path' | 'permission' | 'summary'>;

const json = (schema: Json, description: string): Json => ({ description, content: { 'application/json': { schema } } });
const params = (...names: string[]): Json[] => names.map((n) => ref(n, 'parameters'));
const errors = (...names: string[]): Record<string, Json> => {
  const status: Record<string, string> = { BadRequest: '400', NotFound: '404', Conflict: '409', PayloadTooLarge: '413' };
  return Object.fromEntries(names.map((n) => [status[n], ref(n, 'responses')]));
};
const jsonBody = (schema: string): Json => ({ required: true, content: { 'application/json': { schema: ref(schema) } } });
const cameraResponse = (description: string): Json => json(ref('Camera'), description);

// Keyed by "<method> <OpenAPI path>", so renaming a route's path makes it fall back to the generic description
// rather than be described wrongly.
const KNOWN: Readonly<Record<string, KnownOperation>> = {
  'get /cameras': {
    operationId: 'listCameras',
    description: 'Filters combine with AND. Page with `limit` + `offset`, or follow `nextCursor` (keyset paging, stable while rows change).',
    parameters: params(...FILTER_PARAMS, ...PAGING_PARAMS),
    responses: { 200: json(ref('CameraList'), 'One page of cameras'), ...errors('BadRequest') },
  },
  'post /cameras': {
    operationId: 'createCamera',
    requestBody: jsonBody('CameraInput'),
    responses: {
      201: { ...cameraResponse('Registered'), headers: { Location: { description: '/api/v1/cameras/{id}', schema: { type: 'string' } } } },
      ...errors('BadRequest', 'Conflict', 'PayloadTooLarge'),
    },
  },
  'get /cameras/export': {
    operationId: 'exportCameras',
    description:
      'Writes every matching camera (no paging) in the import columns, so an export re-imports as unchanged. Passwords are never exported; coordinates are WGS-84.',
    parameters: params(...FILTER_PARAMS, 'format', 'lang'),
    responses: {
      200: {
        description: 'The register as a file',
        headers: {
          'Content-Disposition': { description: 'attachment; filename="cameras-<county code>-<YYYY-MM-DD>.<format>"', schema: { type: 'string' } },
          'X-Row-Count': { description: 'Cameras written', schema: { type: 'integer' } },
        },
        content: { [XLSX]: { schema: { type: 'string', format: 'binary' } }, 'text/csv': { schema: { type: 'string' } } },
      },
      ...errors('BadRequest'),
    },
  },
  'post /cameras/import': {
    operationId: 'importCameras',
    description: importDescription(),
    parameters: params('dryRun'),
    requestBody: importBody(),
    responses: {
      200: json(ref('ImportReport'), 'Dry run report, or committed (every row valid and written)'),
      ...errors('BadRequest', 'PayloadTooLarge'),
      422: json(ref('ImportReport'), 'Some rows are invalid, so nothing was written (committed=false); see `invalid`'),
    },
  },
  'get /cameras/{id}': {
    operationId: 'getCamera',
    parameters: params('CameraId'),
    responses: { 200: cameraResponse('The camera, decommissioned or not'), ...errors('NotFound') },
  },
  'patch /cameras/{id}': {
    operationId: 'updateCamera',
    parameters: params('CameraId'),
    requestBody: jsonBody('CameraPatch'),
    responses: { 200: cameraResponse('The camera after the change'), ...errors('BadRequest', 'NotFound', 'Conflict', 'PayloadTooLarge') },
  },
  'post /cameras/{id}/decommission': {
    operationId: 'decommissionCamera',
    description: 'Soft delete: the camera leaves lists, tallies and exports by default but keeps its deviceId. Repeating it keeps the first decommission time.',
    parameters: params('CameraId'),
    responses: { 200: cameraResponse('The decommissioned camera'), ...errors('NotFound') },
  },
  'post /cameras/{id}/restore': {
    operationId: 'restoreCamera',
    parameters: params('CameraId'),
    responses: { 200: cameraResponse('The restored camera'), ...errors('NotFound') },
  },
  'get /health': {
    operationId: 'getHealth',
    responses: { 200: json(ref('Health'), 'Server and database up'), 503: json(ref('Health'), 'Database unreachable') },
  },
  'get /towns': { operationId: 'listTowns', responses: { 200: json(ref('TallyList'), 'Configured towns in order, with active camera counts') } },
  'get /networks': { operationId: 'listNetworks', responses: { 200: json(ref('TallyList'), 'Configured networks in order, with active camera counts') } },
  'get /meta': { operationId: 'getMeta', responses: { 200: json(ref('Meta'), 'The county’s vocabularies') } },
  'get /openapi.json': { operationId: 'getOpenApi', responses: { 200: json({ type: 'object' }, 'This document') } },
};

// app.ts serves the document itself outside the route table; it is listed so the document is complete.
const SELF: DocumentedRoute = { method: 'get', path: '/openapi.json', permission: 'public', summary: 'This OpenAPI 3.1 document' };

const TAG_OF_SEGMENT: Readonly<Record<string, string>> = {
  cameras: 'cameras', towns: 'catalog', networks: 'catalog', meta: 'catalog', health: 'system', 'openapi.json': 'system',
};
const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  cameras: 'The camera register (一机一档): records, import and export',
  catalog: 'Towns, networks and the county’s vocabularies',
  system: 'Health and this document',
};

/** Express path syntax (`/cameras/:id`, Express 5 `*splat`) to OpenAPI templating (`/cameras/{id}`). */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/[:*]([A-Za-z_$][\w$]*)/g, '{$1}');
}

/** camelCase id from method and path for routes the table does not know: `delete /cameras/{id}/tags` → deleteCamerasByIdTags. */
export function deriveOperationId(method: Method, openApiPath: string): string {
  const words = openApiPath
    .split('/')
    .flatMap((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      return param ? ['by', param[1]] : segment.split(/[^A-Za-z0-9]+/);
    })
    .filter(Boolean);
  return method + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/**
 * OpenAPI 3.1 document of the REST API mounted at /api/v1. Every route given becomes an operation
 * carrying its permission as `x-permission`; routes the lookup table does not know are still
 * listed, described generically (`x-generic: true`), so a new route never goes missing.
 * Town and network examples come from `catalog`, so the document matches this deployment.
 */
export function buildOpenApi(routes: readonly RouteDef[], catalog: Catalog): Record<string, unknown> {
  const documented: DocumentedRoute[] = [...routes];
  if (!routes.some((r) => r.method === SELF.method && toOpenApiPath(r.path) === SELF.path)) documented.push(SELF);
  const paths: Record<string, Record<string, Json>> = {};
  const usedIds = new Set<string>();
  const usedTags = new Set<string>();
  for (const route of documented) {
    const path = toOpenApiPath(route.path);
    const tag = tagOf(path);
    usedTags.add(tag);
    (paths[path] ??= {})[route.method] = operation(route, path, tag, usedIds);
  }
  // Cloned so that a caller editing its document cannot change the shared tables behind later documents.
  return structuredClone({
    openapi: '3.1.0',
    info: {
      title: 'Sharp Eyes Monitor API',
      version: '1',
      description: infoDescription(catalog),
    },
    servers: [{ url: '/api/v1' }],
    tags: [...usedTags].map((name) => ({ name, ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}) })),
    paths,
    security: [{ session: [] }, { token: [] }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'sem_session', description: 'From POST /auth/login; writes also need X-CSRF-Token' },
        token: { type: 'http', scheme: 'bearer', description: 'An API token "sem_…" created by an admin' },
      },
      schemas: buildSchemas(catalog),
      parameters: buildParameters(catalog, Object.keys(SORT_COLUMNS)),
      responses: buildResponses(),
    },
  });
}

function operation(route: DocumentedRoute, path: string, tag: string, usedIds: Set<string>): Json {
  const known = KNOWN[`${route.method} ${path}`];
  const base = known ?? genericOperation(route.method, path);
  const { responses, ...rest } = base;
  return {
    ...rest,
    operationId: uniqueId(base.operationId, usedIds),
    summary: route.summary,
    tags: [tag],
    'x-permission': route.permission,
    ...(route.permission === 'public' ? { security: [] } : {}),
    ...(known ? {} : { 'x-generic': true }),
    // Every /api/v1 request passes the API-wide rate limiter first.
    responses: { ...responses, 429: ref('TooManyRequests', 'responses') },
  };
}

function genericOperation(method: Method, path: string): KnownOperation {
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  return {
    operationId: deriveOperationId(method, path),
    description: 'Not yet described in detail in the OpenAPI lookup table (server/http/openapi.ts).',
    ...(names.length ? { parameters: names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })) } : {}),
    responses: { '2XX': { description: 'Success' }, '4XX': json(ref('Error'), 'Client error') },
  };
}

// Two routes deriving the same id would make the document invalid; suffixing keeps both.
function uniqueId(id: string, used: Set<string>): string {
  let candidate = id;
  for (let n = 2; used.has(candidate); n++) candidate = `${id}${n}`;
  used.add(candidate);
  return candidate;
}

function tagOf(path: string): string {
  const first = path.split('/')[1] ?? '';
  return TAG_OF_SEGMENT[first] ?? (first || 'system');
}

function infoDescription(catalog: Catalog): string {
  return [
    `Camera registry of the 雪亮工程 (Sharp Eyes) video network of ${catalog.countyName} (${catalog.countyCode}).`,
    '',
    'Each operation declares the permission it needs in `x-permission`; anything but `public` needs a signed-in caller:',
    'the `sem_session` cookie from POST /auth/login (then every POST/PATCH/PUT/DELETE must send `X-CSRF-Token` from the',
    'login or /auth/me answer) or `Authorization: Bearer sem_…` (an API token; no CSRF token needed). 401 = not signed in,',
    '403 = the role lacks the permission (`forbidden`), CSRF check failed (`csrf_failed`) or a one-time password must be',
    'changed first (`password_change_required`). Town-scoped callers see only their towns: other cameras answer 404.',
    'Errors are JSON `{error, message, problems?, field?}`; `problems` names each bad field.',
  ].join('\n');
}

function importDescription(): string {
  const columns = COLUMNS.map((c) => {
    const required = REQUIRED_FIELDS.includes(c.field) ? ' — required' : '';
    const aliases = c.aliases.length ? ` (also: ${c.aliases.join(', ')})` : '';
    return `- ${c.zh} / ${c.en}${required}${aliases}`;
  });
  return [
    'All-or-nothing: rows are matched to cameras by 国标编码 (deviceId) and either all are written or none (422 with the invalid rows).',
    'For an existing camera, a column missing from the file leaves that field as stored and an empty 密码 cell keeps the stored password.',
    'A file that cannot be read, lacks a required column or has two columns meaning one field is a 400 `bad_file`.',
    'Two rows with the same deviceId are both invalid. At most 50,000 data rows. The format is sniffed: .xlsx, or CSV (comma, tab or',
    'semicolon separated; UTF-8 with or without BOM, UTF-16LE with BOM, else GB18030). Legacy .xls is refused.',
    '',
    'Columns (first row; Chinese or English header, any order; case, spaces and _ ignored):',
    ...columns,
  ].join('\n');
}

function importBody(): Json {
  const raw = { type: 'string', format: 'binary' };
  return {
    required: true,
    description: 'The spreadsheet, as multipart field `file` or as the raw body. text/plain, application/octet-stream and application/vnd.ms-excel bodies are also read (the content is sniffed).',
    content: {
      'multipart/form-data': {
        schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', contentMediaType: 'application/octet-stream', description: '.xlsx or .csv' } } },
      },
      'text/csv': { schema: { type: 'string' } },
      [XLSX]: { schema: raw },
      'application/octet-stream': { schema: raw },
      'text/plain': { schema: { type: 'string' } },
      'application/vnd.ms-excel': { schema: raw },
    },
  };
}
