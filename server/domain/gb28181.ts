/**
 * GB/T 28181 20-digit device ID decoder, 2016 and 2022 editions.
 *
 * Layout: 1–2 province, 3–4 city, 5–6 county, 7–8 grassroots unit, 9–10 industry, 11–13 type,
 * 14 network, 15–20 serial. The ID cannot name a town (only two digits sit below the county), so
 * town is a separate field elsewhere. Unknown codes decode to 'unknown' instead of throwing:
 * real fleets carry vendor-invented codes and the raw digits must survive an import.
 */

/** Edition of the standard whose code tables are used to label an ID. */
export type IdEdition = '2016' | '2022';

/** Broad class of a type code, used to tell cameras from the platforms that carry them. */
export type DeviceTypeCategory = 'device' | 'platform' | 'user' | 'other';

/** A code as found in the ID, with its English short label and Chinese label. */
export interface CodeLabel {
  code: string;
  label: string;
  labelZh: string;
}

/** Every field of a device ID, split and labelled. All parts keep their raw digits. */
export interface DecodedDeviceId {
  raw: string;
  edition: IdEdition;
  /** Digits 1–8: the centre (administrative division + grassroots unit) that issued the ID. */
  centerCode: string;
  province: string;
  city: string;
  county: string;
  /** Digits 1–6, the administrative division code, e.g. 341821. */
  countyCode: string;
  /** Digits 7–8; '00' when the ID was not issued by a grassroots unit. */
  grassroots: string;
  industry: CodeLabel;
  type: CodeLabel & { category: DeviceTypeCategory };
  networkDigit: CodeLabel;
  /** Digits 15–20. */
  serial: string;
}

type Row = readonly [code: string, label: string, labelZh: string];
const table = (rows: readonly Row[]): ReadonlyMap<string, Row> => new Map(rows.map((r) => [r[0], r]));

const INDUSTRIES = table([
  ['00', 'road security', '社会治安路面接入'], ['01', 'community', '社会治安社区接入'],
  ['02', 'internal', '社会治安内部接入'], ['03', 'other security', '社会治安其他接入'],
  ['04', 'traffic road', '交通路面接入'], ['05', 'traffic checkpoint', '交通卡口接入'],
  ['06', 'traffic internal', '交通内部接入'], ['07', 'traffic other', '交通其他接入'],
  ['08', 'city management', '城市管理接入'], ['09', 'health/environment', '卫生环保接入'],
  ['10', 'inspection/customs', '商检海关接入'], ['11', 'education', '教育部门接入'],
  // Chinese wording for 12–14 is ours, following the pattern of the rows above.
  ['12', 'civil aviation', '民航接入'], ['13', 'railway', '铁路接入'], ['14', 'shipping', '航运接入'],
]);

/** Type codes that exist only in the 2022 edition; seeing one settles the edition. */
const TYPES_2022_ONLY: ReadonlySet<string> = new Set(['120', '122', '123', '124', '125', '140', '141', '142', '143']);

const TYPES = table([
  ['111', 'DVR', '数字视频录像机'], ['112', 'video server', '视频服务器'],
  ['113', 'encoder', '编码器'], ['114', 'decoder', '解码器'],
  ['115', 'video switch matrix', '视频切换矩阵'], ['116', 'audio switch matrix', '音频切换矩阵'],
  ['117', 'alarm controller', '报警控制器'], ['118', 'NVR', '网络视频录像机'],
  ['121', 'vehicle checkpoint', '视频卡口'], ['130', 'HVR', '混合硬盘录像机'],
  ['131', 'camera', '摄像机'], ['132', 'IPC', '网络摄像机'], ['133', 'display', '显示器'],
  ['134', 'alarm input', '报警输入设备'], ['135', 'alarm output', '报警输出设备'],
  ['136', 'voice input', '语音输入设备'], ['137', 'voice output', '语音输出设备'],
  ['138', 'mobile transmission', '移动传输设备'], ['139', 'other peripheral', '其他外围设备'],
  // 2022 additions: official names not verified, so these labels are deliberately generic.
  ...['120', '122', '123', '124', '125'].map((c): Row => [c, 'other 2022 front-end device', '2022版新增前端主设备']),
  ...['140', '141', '142', '143'].map((c): Row => [c, 'other 2022 peripheral device', '2022版新增前端外围设备']),
  ['200', 'central signalling control server', '中心信令控制服务器'], ['201', 'web application server', 'Web应用服务器'],
  ['202', 'media distribution server', '媒体分发服务器'], ['203', 'proxy server', '代理服务器'],
  ['204', 'security server', '安全服务器'], ['205', 'alarm server', '报警服务器'],
  ['206', 'database server', '数据库服务器'], ['207', 'GIS server', 'GIS服务器'],
  ['208', 'management server', '管理服务器'], ['209', 'access gateway', '接入网关'],
  ['210', 'media storage server', '媒体存储服务器'], ['211', 'signalling security routing gateway', '信令安全路由网关'],
  ['215', 'business group', '业务分组'], ['216', 'virtual organisation', '虚拟组织'],
  ['300', 'center user', '中心用户'], ['400', 'terminal user', '终端用户'],
  ['500', 'application platform', '视频图像信息综合应用平台'], ['501', 'O&M platform', '视频图像信息运维管理平台'],
]);

const NETWORKS: Readonly<Record<IdEdition, ReadonlyMap<string, Row>>> = {
  '2016': table([
    ...['0', '1', '2', '3', '4'].map((c): Row => [c, 'monitoring/alarm private network', '监控报警专网']),
    ['5', 'public-security information network', '公安信息网'], ['6', 'government network', '政务网'],
    ['7', 'Internet', '互联网'], ['8', 'social-resource access network', '社会资源接入网'], ['9', 'reserved', '预留'],
  ]),
  '2022': table([
    ['0', 'public-security video transmission network', '公安视频传输网'],
    ['1', 'public-security video transmission network', '公安视频传输网'],
    ['2', 'industry private network', '行业专网'], ['3', 'political-legal network', '政法网'],
    ['4', 'public-security mobile network', '公安移动网'], ['5', 'public-security information network', '公安信息网'],
    ['6', 'e-government extranet', '电子政务外网'], ['7', 'Internet', '互联网'],
    ['8', 'leased line', '专线'], ['9', 'reserved', '预留'],
  ]),
};

const UNKNOWN = { label: 'unknown', labelZh: '未知' } as const;

function lookup(rows: ReadonlyMap<string, Row>, code: string): CodeLabel {
  const row = rows.get(code);
  return row ? { code, label: row[1], labelZh: row[2] } : { code, ...UNKNOWN };
}

/**
 * Checks that an ID is exactly 20 ASCII digits. Trimming is the caller's job, so a stray space
 * is reported rather than silently accepted.
 *
 * Truth table (first failing row wins):
 *   contains a non-digit (incl. full-width digits, spaces) → "must contain only digits (…)"
 *   digits only, length ≠ 20                               → "must be 20 digits, got N"
 *   20 ASCII digits                                        → null
 */
export function validateDeviceIdFormat(raw: string): string | null {
  const bad = raw.search(/[^0-9]/);
  if (bad >= 0) return `must contain only digits (found '${raw[bad]}' at position ${bad + 1})`;
  if (raw.length !== 20) return `must be 20 digits, got ${raw.length}`;
  return null;
}

/**
 * Truth table (type code → category):
 *   111–199 → 'device'    200–299 → 'platform'    300–499 → 'user'
 *   500–599 → 'platform'  anything else → 'other'
 */
function categoryOf(typeCode: string): DeviceTypeCategory {
  const n = Number(typeCode);
  if (n >= 111 && n <= 199) return 'device';
  if (n >= 200 && n <= 299) return 'platform';
  if (n >= 300 && n <= 499) return 'user';
  if (n >= 500 && n <= 599) return 'platform';
  return 'other';
}

/**
 * Truth table (industry code → label):
 *   00–14 → the stable label        15–39 → 'unknown'
 *   40–99 → 'edition-specific' (the editions disagree; the raw digits are kept)
 */
function industryOf(code: string): CodeLabel {
  if (INDUSTRIES.has(code) || Number(code) < 40) return lookup(INDUSTRIES, code);
  return { code, label: 'edition-specific', labelZh: '随版本而定' };
}

/**
 * Splits and labels a device ID. Callers validate with validateDeviceIdFormat first; an invalid
 * ID here is a programming error and throws.
 *
 * Truth table (edition):
 *   type code only in 2022 (120, 122–125, 140–143) → '2022'
 *   any other type code                            → `preferred`
 * Truth table (labels):
 *   code in the edition's table → its label         code not in the table → 'unknown' / '未知'
 */
export function decodeDeviceId(raw: string, preferred: IdEdition): DecodedDeviceId {
  const reason = validateDeviceIdFormat(raw);
  if (reason !== null) throw new Error(`invalid GB/T 28181 device ID '${raw}': ${reason}`);
  const typeCode = raw.slice(10, 13);
  const edition: IdEdition = TYPES_2022_ONLY.has(typeCode) ? '2022' : preferred;
  return {
    raw,
    edition,
    centerCode: raw.slice(0, 8),
    province: raw.slice(0, 2),
    city: raw.slice(2, 4),
    county: raw.slice(4, 6),
    countyCode: raw.slice(0, 6),
    grassroots: raw.slice(6, 8),
    industry: industryOf(raw.slice(8, 10)),
    type: { ...lookup(TYPES, typeCode), category: categoryOf(typeCode) },
    networkDigit: lookup(NETWORKS[edition], raw.slice(13, 14)),
    serial: raw.slice(14, 20),
  };
}

/**
 * Flags IDs issued outside the configured county — usually a copy-paste from another county's
 * sheet or a device registered under the city platform.
 *
 * Truth table:
 *   decoded digits 1–6 === countyCode → null
 *   otherwise                         → "device ID county X does not match configured county Y"
 */
export function countyPrefixWarning(decoded: DecodedDeviceId, countyCode: string): string | null {
  if (decoded.countyCode === countyCode) return null;
  return `device ID county ${decoded.countyCode} does not match configured county ${countyCode}`;
}
