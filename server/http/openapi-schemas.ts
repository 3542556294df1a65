import { CAMERA_STATUSES, POINT_CLASSES } from '../domain/camera.js';
import type { CoordinateSystem } from '../domain/coordinates.js';
import type { Catalog, CodeList } from '../services/registry/catalog.js';

/** A JSON Schema (OpenAPI 3.1 dialect) or any other OpenAPI object; kept loose on purpose. */
export type Json = Record<string, unknown>;

/** `$ref` to a component of the given kind. */
export const ref = (name: string, kind: 'schemas' | 'parameters' | 'responses' = 'schemas'): Json => ({ $ref: `#/components/${kind}/${name}` });

// OpenAPI 3.1 has no `nullable`; a null value is a second JSON type.
const orNull = (type: string, extra: Json = {}): Json => ({ type: [type, 'null'], ...extra });
const text = (maxLength: number, description?: string): Json => orNull('string', { maxLength, ...(description ? { description } : {}) });
const int = (description: string): Json => ({ type: 'integer', minimum: 0, description });
const objectOf = (properties: Record<string, Json>, required = Object.keys(properties)): Json => ({ type: 'object', required, properties });

const COORDINATE_SYSTEMS = ['WGS84', 'CGCS2000', 'GCJ02', 'BD09'] as const satisfies readonly CoordinateSystem[];
const POINT_CLASS_WORDS = ['一类', '二类', '三类', '其他'];

/** "code (name)" list plus examples drawn from the configured county, so the document matches this deployment. */
function codeField(list: CodeList, what: string): Json {
  const first = list.entries[0];
  return {
    type: 'string',
    minLength: 1,
    description: `${what}: a configured code, its Chinese name (with or without the 镇/乡/街道/网 suffix) or its English name; stored and returned as the code. Configured: ${list.describe() || '(none)'}.`,
    ...(first ? { examples: [first.code, first.name] } : {}),
  };
}

/** Writable camera fields shared by create, PATCH and import rows; `partial` describes PATCH semantics. */
function writableFields(catalog: Catalog, partial: boolean): Record<string, Json> {
  return {
    deviceId: { type: 'string', pattern: '^[0-9]{20}$', description: 'GB/T 28181 device ID (国标编码): exactly 20 ASCII digits; unique across the register (409 if taken). An ID from another county is saved with a warning.', examples: ['34182100001320000001'] },
    idEdition: { type: ['string', 'null'], enum: ['2016', '2022', null], description: `GB/T 28181 edition used to label the ID; null infers it (2022-only type codes settle it, else the county default ${catalog.idEdition}).` },
    name: { type: 'string', minLength: 1, maxLength: 100, description: 'Point name (名称).' },
    network: codeField(catalog.networks, 'Network (所属网络)'),
    town: codeField(catalog.towns, 'Town (乡镇)'),
    village: text(100, 'Village or community (村/社区).'),
    address: text(200, 'Installation address.'),
    longitude: orNull('number', { description: 'Longitude in decimal degrees in `coordinateSystem`; give with latitude. Numeric strings are accepted.' }),
    latitude: orNull('number', { description: 'Latitude in decimal degrees; give with longitude.' }),
    coordinateSystem: orNull('string', {
      writeOnly: true,
      examples: [...COORDINATE_SYSTEMS],
      description: 'System of longitude/latitude: WGS84 (default), CGCS2000 (kept as-is), GCJ02 (高德/腾讯) or BD09 (百度). GCJ02 and BD09 are converted to WGS-84 before saving; the system itself is not stored. Ignored unless longitude and latitude are both given.',
    }),
    pointClass: {
      anyOf: [{ type: 'integer', enum: [...POINT_CLASSES] }, { type: 'string', examples: POINT_CLASS_WORDS }, { type: 'null' }],
      description: 'Point class (点位类型, GB/T 28181-2022 PoType): 1|2|3|9 or 一类/二类/三类/其他 (also "class 1", "I", "一类点"); stored as the number.',
    },
    vendor: text(100, 'Manufacturer (厂商).'),
    model: text(100, 'Model (型号).'),
    installDate: orNull('string', { format: 'date', description: 'Installation date as YYYY-MM-DD.' }),
    ownerUnit: text(100, 'Owning unit (建设单位).'),
    maintainer: text(100, 'Maintenance unit (维护单位).'),
    tags: {
      anyOf: [
        { type: 'array', maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 32 } },
        { type: 'string', description: 'One string split on , ， ; ； 、 or |' },
      ],
      description: 'Free tags, at most 20 of at most 32 characters.',
    },
    onvifUrl: text(1000, 'ONVIF device-service URL (http or https).'),
    rtspMainUrl: text(1000, 'Main-stream RTSP URL (rtsp or rtsps).'),
    rtspSubUrl: text(1000, 'Sub-stream RTSP URL (rtsp or rtsps).'),
    username: text(64, 'Device login user.'),
    password: orNull('string', {
      maxLength: 128,
      writeOnly: true,
      description: `Device password; stored encrypted and never returned (responses carry hasPassword).${partial ? ' Omit to keep the stored password; null or "" clears it.' : ''}`,
    }),
  };
}

const URL_CREDENTIALS =
  'Inline credentials in a URL (rtsp://user:pass@host/...) are moved out of the URL into username/password; an explicit username or password field wins.';

const codeLabel = objectOf({ code: { type: 'string' }, label: { type: 'string', description: "English label or 'unknown'" }, labelZh: { type: 'string', description: "Chinese label or '未知'" } });

/** The camera view: what every camera-returning operation sends back. */
const CAMERA: Json = {
  ...objectOf({
    id: { type: 'string', format: 'uuid' },
    deviceId: { type: 'string', pattern: '^[0-9]{20}$' },
    idEdition: { type: 'string', enum: ['2016', '2022'] },
    idInfo: ref('IdInfo'),
    name: { type: 'string' },
    network: { type: 'string', description: 'Network code' },
    networkName: { type: 'string', description: 'Configured Chinese name (the code if no longer configured)' },
    town: { type: 'string', description: 'Town code' },
    townName: { type: 'string' },
    village: orNull('string'),
    address: orNull('string'),
    longitude: orNull('number', { description: 'WGS-84' }),
    latitude: orNull('number', { description: 'WGS-84' }),
    pointClass: { type: ['integer', 'null'], enum: [...POINT_CLASSES, null] },
    pointClassName: orNull('string', { examples: POINT_CLASS_WORDS }),
    vendor: orNull('string'),
    model: orNull('string'),
    installDate: orNull('string', { format: 'date' }),
    ownerUnit: orNull('string'),
    maintainer: orNull('string'),
    tags: { type: 'array', items: { type: 'string' } },
    onvifUrl: orNull('string', { description: 'Never contains credentials' }),
    rtspMainUrl: orNull('string'),
    rtspSubUrl: orNull('string'),
    username: orNull('string'),
    hasPassword: { type: 'boolean', description: 'Whether a password is stored; the password itself is never returned.' },
    status: { type: 'string', enum: [...CAMERA_STATUSES] },
    statusSince: orNull('string', { format: 'date-time' }),
    statusCause: orNull('string'),
    decommissioned: { type: 'boolean' },
    decommissionedAt: orNull('string', { format: 'date-time' }),
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    warnings: { type: 'array', items: { type: 'string' }, description: 'Non-fatal findings, e.g. a device ID issued in another county' },
  }),
  description: 'A camera as the API presents it (一机一档): names beside codes, the decoded device ID, never a password.',
};

/** DecodedDeviceId of server/domain/gb28181.ts. */
const ID_INFO: Json = {
  ...objectOf({
    raw: { type: 'string' },
    edition: { type: 'string', enum: ['2016', '2022'] },
    centerCode: { type: 'string', description: 'Digits 1–8' },
    province: { type: 'string' },
    city: { type: 'string' },
    county: { type: 'string' },
    countyCode: { type: 'string', description: 'Digits 1–6 (administrative division)' },
    grassroots: { type: 'string', description: 'Digits 7–8' },
    industry: codeLabel,
    type: { ...codeLabel, required: ['code', 'label', 'labelZh', 'category'], properties: { ...(codeLabel.properties as Json), category: { type: 'string', enum: ['device', 'platform', 'user', 'other'] } } },
    networkDigit: codeLabel,
    serial: { type: 'string', description: 'Digits 15–20' },
  }),
  description: 'The device ID split and labelled per GB/T 28181; unknown codes are labelled unknown/未知.',
};

/** Response bodies other than the camera itself. */
const RESPONSE_BODIES: Record<string, Json> = {
  CameraList: objectOf({
    items: { type: 'array', items: ref('Camera') },
    total: int('Cameras matching the filters (all pages)'),
    nextCursor: orNull('string', { description: 'Pass as `cursor` for the next page; null on the last page' }),
  }),
  ImportReport: {
    ...objectOf({
      dryRun: { type: 'boolean' },
      committed: { type: 'boolean', description: 'True only when not a dry run and no row was invalid' },
      format: { type: 'string', enum: ['xlsx', 'csv'] },
      encoding: { type: 'string', enum: ['utf-8', 'utf-8-bom', 'gb18030', 'utf-16le'], description: 'CSV only: detected text encoding' },
      rows: int('Data rows read (header excluded)'),
      create: int('Rows that create (or would create) a camera'),
      update: int('Rows that change (or would change) a camera matched by deviceId'),
      unchanged: int('Rows identical to the stored camera'),
      invalid: { type: 'array', items: ref('InvalidRow') },
      ignoredColumns: { type: 'array', items: { type: 'string' }, description: 'Headers not recognised' },
    }, ['dryRun', 'committed', 'format', 'rows', 'create', 'update', 'unchanged', 'invalid', 'ignoredColumns']),
    description: 'What an import did or, on a dry run, would do. Nothing is written unless `invalid` is empty.',
  },
  InvalidRow: objectOf({
    row: { type: 'integer', minimum: 2, description: 'Row number as the spreadsheet shows it (header = 1)' },
    column: { type: 'string', description: 'Header as written in the file' },
    reason: { type: 'string' },
  }),
  Tally: objectOf({
    code: { type: 'string' },
    name: { type: 'string' },
    nameEn: { type: 'string' },
    cameras: int('Active (not decommissioned) cameras'),
    byStatus: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Active cameras per status; statuses with none are absent' },
  }, ['code', 'name', 'cameras', 'byStatus']),
  TallyList: objectOf({ items: { type: 'array', items: ref('Tally') } }),
  CodeName: objectOf({ code: { type: 'string' }, name: { type: 'string' }, nameEn: { type: 'string' } }, ['code', 'name']),
  Meta: objectOf({
    county: objectOf({ code: { type: 'string' }, name: { type: 'string' } }),
    idEdition: { type: 'string', enum: ['2016', '2022'] },
    towns: { type: 'array', items: ref('CodeName') },
    networks: { type: 'array', items: ref('CodeName') },
    statuses: { type: 'array', items: { type: 'string', enum: [...CAMERA_STATUSES] } },
    pointClasses: { type: 'array', items: objectOf({ code: { type: 'integer', enum: [...POINT_CLASSES] }, name: { type: 'string' }, nameEn: { type: 'string' } }) },
  }),
  Health: objectOf({ status: { type: 'string', enum: ['ok', 'unavailable'] }, database: { type: 'string', enum: ['pglite', 'postgres'] } }),
  Problem: objectOf({ field: { type: 'string', description: 'API field, `query.<name>`, `params.id`, `body` or `file`' }, message: { type: 'string' } }),
  Error: objectOf({
    error: { type: 'string', description: 'Machine-readable code, e.g. validation_failed, not_found, conflict, bad_file, rate_limited' },
    message: { type: 'string' },
    problems: { type: 'array', items: ref('Problem') },
    field: { type: 'string', description: '409 only: the field that clashes' },
  }, ['error', 'message']),
};

/** Components schemas: request bodies, the camera view and every response body the registry API returns. */
export function buildSchemas(catalog: Catalog): Record<string, Json> {
  return {
    CameraInput: {
      ...objectOf(writableFields(catalog, false), ['deviceId', 'name', 'network', 'town']),
      additionalProperties: false,
      description: `A camera to register. Unknown fields are rejected; an empty string counts as null. ${URL_CREDENTIALS}`,
    },
    CameraPatch: {
      ...objectOf(writableFields(catalog, true), []),
      minProperties: 1,
      additionalProperties: false,
      description: `Fields to change (at least one); omitted fields keep their value, null (or "") clears an optional one. deviceId, name, network and town cannot be cleared. ${URL_CREDENTIALS}`,
    },
    Camera: CAMERA,
    IdInfo: ID_INFO,
    ...RESPONSE_BODIES,
  };
}

const query = (name: string, schema: Json, description: string): Json => ({ name, in: 'query', required: false, description, schema });
const listQuery = (name: string, items: Json, description: string): Json => ({
  ...query(name, { type: 'array', maxItems: 50, items }, `${description} Comma-separated (\`a,b\`) or repeated (\`${name}=a&${name}=b\`).`),
  style: 'form',
  explode: true,
});

/** Query parameters narrowing the register; shared by list and export. */
export const FILTER_PARAMS = ['town', 'network', 'pointClass', 'status', 'tag', 'q', 'decommissioned'] as const;
/** Query parameters ordering and paging the list. */
export const PAGING_PARAMS = ['sort', 'order', 'limit', 'offset', 'cursor'] as const;

/** Components parameters; names match the query keys the server accepts (unknown keys are a 400). */
export function buildParameters(catalog: Catalog, sortKeys: readonly string[]): Record<string, Json> {
  const codeItem = (list: CodeList, what: string): Json => ({ ...codeField(list, what), maxLength: 100 });
  return {
    CameraId: { name: 'id', in: 'path', required: true, description: 'Camera id (UUID) as returned in `id`; anything else is a 404.', schema: { type: 'string', format: 'uuid' } },
    town: listQuery('town', codeItem(catalog.towns, 'Town'), 'Towns to include (any of).'),
    network: listQuery('network', codeItem(catalog.networks, 'Network'), 'Networks to include (any of).'),
    pointClass: listQuery('pointClass', { type: 'string', examples: ['1', '一类'] }, 'Point classes to include (any of): 1|2|3|9 or 一类/二类/三类/其他.'),
    status: listQuery('status', { type: 'string', enum: [...CAMERA_STATUSES] }, 'Statuses to include (any of).'),
    tag: listQuery('tag', { type: 'string', maxLength: 100 }, 'Tags the camera must all carry.'),
    q: query('q', { type: 'string', maxLength: 100 }, 'Case-insensitive substring of name, device ID, village or address.'),
    decommissioned: query('decommissioned', { type: 'string', enum: ['exclude', 'only', 'include'], default: 'exclude' }, 'Whether decommissioned cameras are left out, the only ones, or included. `true`/`false` are accepted as only/exclude.'),
    sort: query('sort', { type: 'string', pattern: `^-?(${sortKeys.join('|')})$`, default: 'deviceId' }, `Sort key: ${sortKeys.join(', ')}; a leading \`-\` sorts descending.`),
    order: query('order', { type: 'string', enum: ['asc', 'desc'] }, 'Sort direction; when given it wins over the `-` prefix.'),
    limit: query('limit', { type: 'integer', minimum: 1, maximum: 500, default: 50 }, 'Page size.'),
    offset: query('offset', { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 }, 'Rows to skip; ignored when `cursor` is given.'),
    cursor: query('cursor', { type: 'string', maxLength: 500 }, '`nextCursor` of the previous page (keyset paging); only valid with the same sort and order.'),
    format: query('format', { type: 'string', enum: ['xlsx', 'csv'], default: 'xlsx' }, 'File format.'),
    lang: query('lang', { type: 'string', enum: ['zh', 'en'], default: 'zh' }, 'Header language; zh also writes town, network and point class as Chinese names, en as codes.'),
    dryRun: query('dryRun', { type: 'string', enum: ['true', 'false', '1', '0'], default: 'false' }, 'true or 1: validate and report what would change, write nothing.'),
  };
}

const errorJson = (description: string, example: Json): Json => ({ description, content: { 'application/json': { schema: ref('Error'), example } } });

/** Components responses for the error bodies the one error handler and the rate limiters produce. */
export function buildResponses(): Record<string, Json> {
  return {
    BadRequest: errorJson('Invalid query, path or body; `problems` names every bad field.', { error: 'validation_failed', message: 'request has invalid fields', problems: [{ field: 'query.limit', message: 'must be at most 500' }] }),
    NotFound: errorJson('No such camera (or outside the caller’s towns).', { error: 'not_found', message: 'camera 0b6f… not found' }),
    Conflict: errorJson('The deviceId is already registered (perhaps to a decommissioned camera: restore it instead).', { error: 'conflict', message: 'deviceId 34182100001320000001 is already registered to camera 0b6f…', field: 'deviceId', problems: [{ field: 'deviceId', message: '…' }] }),
    PayloadTooLarge: errorJson('Body or uploaded file larger than the configured limit.', { error: 'payload_too_large', message: 'request body too large', problems: [{ field: 'body', message: 'too large' }] }),
    TooManyRequests: {
      ...errorJson('Rate limit exceeded (per client, per minute).', { error: 'rate_limited', message: 'too many requests; slow down' }),
      headers: {
        RateLimit: { description: 'IETF draft-8 remaining quota and reset', schema: { type: 'string' } },
        'RateLimit-Policy': { description: 'IETF draft-8 quota policy', schema: { type: 'string' } },
        'Retry-After': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
      },
    },
  };
}
