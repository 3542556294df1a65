import type { CameraFields } from './camera-input.js';

/** Spreadsheet columns of the register: API field, export headers, and headers accepted on import. */
export type ColumnField = keyof CameraFields | 'coordinateSystem';

interface ColumnSpec {
  field: ColumnField;
  zh: string;
  en: string;
  aliases: string[];
}

/** Export order; import accepts any order and any alias. */
export const COLUMNS: readonly ColumnSpec[] = [
  { field: 'name', zh: '名称', en: 'name', aliases: ['点位名称', '设备名称', '摄像机名称', '监控点名称'] },
  { field: 'deviceId', zh: '国标编码', en: 'deviceId', aliases: ['国标编号', '国标ID', '国标id', '设备编码', '设备编号', 'GB28181编码', 'device id', 'device_id', 'gbid'] },
  { field: 'idEdition', zh: '编码版本', en: 'idEdition', aliases: ['国标版本', 'id edition'] },
  { field: 'network', zh: '所属网络', en: 'network', aliases: ['网络', '网络类型'] },
  { field: 'town', zh: '乡镇', en: 'town', aliases: ['所属乡镇', '乡镇(街道)', '乡镇街道'] },
  { field: 'village', zh: '村/社区', en: 'village', aliases: ['村(社区)', '村社区', '村', '社区', '村居'] },
  { field: 'address', zh: '地址', en: 'address', aliases: ['安装地址', '安装位置', '详细地址'] },
  { field: 'longitude', zh: '经度', en: 'longitude', aliases: ['lng', 'lon'] },
  { field: 'latitude', zh: '纬度', en: 'latitude', aliases: ['lat'] },
  { field: 'coordinateSystem', zh: '坐标系', en: 'coordinateSystem', aliases: ['坐标系统', 'coordinate system', 'crs'] },
  { field: 'pointClass', zh: '点位类型', en: 'pointClass', aliases: ['点位类别', '点位分类', '点位等级', 'point class'] },
  { field: 'vendor', zh: '厂商', en: 'vendor', aliases: ['品牌', '设备厂商'] },
  { field: 'model', zh: '型号', en: 'model', aliases: ['设备型号'] },
  { field: 'installDate', zh: '安装日期', en: 'installDate', aliases: ['安装时间', '建设时间', 'install date'] },
  { field: 'ownerUnit', zh: '建设单位', en: 'ownerUnit', aliases: ['权属单位', '所属单位', '管理单位', 'owner unit'] },
  { field: 'maintainer', zh: '维护单位', en: 'maintainer', aliases: ['运维单位', '维护人', 'maintainer'] },
  { field: 'tags', zh: '标签', en: 'tags', aliases: [] },
  { field: 'onvifUrl', zh: 'ONVIF地址', en: 'onvifUrl', aliases: ['onvif url'] },
  { field: 'rtspMainUrl', zh: 'RTSP地址', en: 'rtspMainUrl', aliases: ['RTSP主码流', '主码流地址', 'rtsp url', 'rtsp main url'] },
  { field: 'rtspSubUrl', zh: 'RTSP子码流', en: 'rtspSubUrl', aliases: ['子码流地址', 'rtsp sub url'] },
  { field: 'username', zh: '用户名', en: 'username', aliases: ['账号', '帐号'] },
  { field: 'password', zh: '密码', en: 'password', aliases: [] },
];

export const REQUIRED_FIELDS: readonly ColumnField[] = ['deviceId', 'name', 'network', 'town'];

/** Header text compared loosely: case, spaces, full-width brackets and trailing units like "(°)" ignored. */
function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_]+/g, '')
    .replace(/\((°|度|wgs84|wgs-84)\)$/, '');
}

const BY_HEADER = new Map<string, ColumnField>();
for (const spec of COLUMNS) {
  for (const h of [spec.zh, spec.en, ...spec.aliases]) BY_HEADER.set(normaliseHeader(h), spec.field);
}

export interface HeaderMapping {
  /** columnIndex → field */
  fields: Map<number, ColumnField>;
  /** field → header text as written in the file (for error reports) */
  headerOf: Map<ColumnField, string>;
  ignored: string[];
  problems: string[];
}

/** Maps a file's header row to fields; reports missing required and doubled columns. */
export function mapHeaders(headers: string[]): HeaderMapping {
  const fields = new Map<number, ColumnField>();
  const headerOf = new Map<ColumnField, string>();
  const ignored: string[] = [];
  const problems: string[] = [];
  headers.forEach((header, index) => {
    if (header === '') return;
    const field = BY_HEADER.get(normaliseHeader(header));
    if (!field) return void ignored.push(header);
    if (headerOf.has(field)) return void problems.push(`columns "${headerOf.get(field)}" and "${header}" both mean ${field}`);
    fields.set(index, field);
    headerOf.set(field, header);
  });
  for (const field of REQUIRED_FIELDS) {
    if (!headerOf.has(field)) {
      const spec = COLUMNS.find((c) => c.field === field)!;
      problems.push(`missing required column ${spec.zh} (${spec.en})`);
    }
  }
  return { fields, headerOf, ignored, problems };
}
