/**
 * Deterministic, realistic camera fleets for the Langxi (郎溪县, 341821) registry benchmarks.
 *
 * Camera number `n` always gets the same device ID, name, place, vendor and endpoints, so an
 * import sheet (cameras 0 … 9,999) and the bulk-inserted rest of the fleet (10,000 … 99,999)
 * never collide and every run measures the same data.
 */
import { DEFAULT_NETWORKS, DEFAULT_TOWNS } from '../../config/schema.js';
import { COLUMNS, type ColumnField } from '../../server/services/registry/columns.js';
import type { TableCell } from '../../server/services/table/table-writer.js';
import type { StoredCameraFields } from '../../server/storage/camera.repository.js';
import type { PointClass } from '../../server/domain/camera.js';

/** mulberry32: tiny, fast, good enough for picking test data; same seed → same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)];

export const COUNTY_CODE = '341821';
export const TOWNS = DEFAULT_TOWNS;
export const NETWORKS = DEFAULT_NETWORKS;

/** Villages / communities per town (a realistic sample, not the full civil register). */
export const VILLAGES: Record<string, readonly string[]> = {
  jianping: ['城东社区', '城西社区', '南门社区', '北门社区', '钟桥村', '东夏村', '岗南村', '凌笪村', '下吴村', '五星村'],
  shizi: ['十字社区', '新城村', '马村村', '三星村', '光明村', '马头村', '南阳村', '四合村'],
  meizhu: ['梅渚社区', '定埠村', '新行村', '五里村', '陈村村', '郎村村', '沙湖村', '北庄村'],
  xinfa: ['新发社区', '塔山村', '上港村', '平桥村', '新丰村', '万村村', '石佛村'],
  taocheng: ['涛城社区', '大溪村', '宏伟村', '永丰村', '兴隆村', '七里村', '仙霞村'],
  feili: ['飞鲤社区', '新杭村', '红旗村', '南丰村', '飞鲤村', '沈村村'],
  biqiao: ['毕桥社区', '白茆村', '东汤村', '施家村', '凤凰村', '团结村', '建设村'],
  yaocun: ['姚村社区', '南湖村', '青山村', '兴桥村', '金龙村', '长城村'],
};

/** Roads and landmarks a camera point is named after. */
export const ROADS: readonly string[] = [
  '建设路', '人民路', '中山路', '解放路', '新华路', '东风路', '振兴路', '文化路', '健康路', '团结路',
  '幸福路', '光明路', '和平路', '朝阳路', '复兴路', '长江路', '宁杭路', '郎川大道', '梅渚大道', '溧阳路',
  '宣城路', 'S214省道', 'G235国道', '广德路', '开发区大道', '滨河路', '迎宾大道', '青年路', '工业路', '商贸路',
];
const SPOTS: readonly string[] = ['路口', '交叉口', '桥头', '村口', '学校门口', '卫生院门口', '菜市场', '加油站', '公交站', '广场', '超市门口', '派出所门口'];
const POLE_KINDS: readonly string[] = ['号杆', '号立杆', '号点位'];

export const TAGS: readonly string[] = [
  '重点部位', '学校周边', '交通要道', '雪亮工程一期', '雪亮工程二期', '人脸识别', '车辆卡口', '高空瞭望', '农村', '城区', '水域', '治安卡口',
];

interface VendorSpec {
  vendor: string;
  models: readonly string[];
  rtsp: (ip: string, stream: 0 | 1) => string;
}

export const VENDORS: readonly VendorSpec[] = [
  {
    vendor: '海康威视',
    models: ['DS-2CD3T46WDV3-I3', 'DS-2CD2T47G2-L', 'DS-2DE7423IW-A', 'iDS-2CD7A46G0-IZHS'],
    rtsp: (ip, s) => `rtsp://${ip}:554/Streaming/Channels/${s === 0 ? 101 : 102}`,
  },
  {
    vendor: '大华',
    models: ['DH-IPC-HFW4433M-I2', 'DH-IPC-HFW5442E-ZE', 'DH-SD6C3423XB-HNR', 'DH-IPC-PFW8849-A180'],
    rtsp: (ip, s) => `rtsp://${ip}:554/cam/realmonitor?channel=1&subtype=${s}`,
  },
  {
    vendor: '宇视',
    models: ['IPC2124LR3-PF40M-D', 'IPC3234SR3-DVPF28', 'IPC6622EX30-VKZ', 'HIC6621E-X33IR'],
    rtsp: (ip, s) => `rtsp://${ip}:554/unicast/c1/s${s}/live`,
  },
];

/** GB/T 28181 industry code per network: sky/ground = 社会治安, vehicle = 交通卡口, station = 内部接入. */
const INDUSTRY_BY_NETWORK: Record<string, string> = { sky: '00', ground: '01', vehicle: '05', station: '02' };
const OWNERS: readonly string[] = ['郎溪县公安局', '郎溪县委政法委', '郎溪县交通运输局', '郎溪县教育体育局'];
const MAINTAINERS: readonly string[] = ['郎溪县安防科技有限公司', '中国电信郎溪分公司', '中国移动郎溪分公司', '宣城智联运维有限公司'];
const POINT_CLASSES: readonly PointClass[] = [1, 1, 2, 2, 2, 3, 3, 3, 3, 9];
const POINT_CLASS_ZH: Record<PointClass, string> = { 1: '一类', 2: '二类', 3: '三类', 9: '其他' };
const USERNAMES: readonly string[] = ['admin', 'admin', 'admin', 'system', 'xlgc', 'operator'];

/** One generated camera as a person would type it into the register (clear-text password). */
export interface GeneratedCamera {
  deviceId: string;
  name: string;
  network: string;
  town: string;
  village: string;
  address: string;
  longitude: number;
  latitude: number;
  /** How the sheet declares the coordinates; bulk rows are always WGS84. */
  coordinateSystem: 'WGS84' | 'GCJ02' | 'CGCS2000';
  pointClass: PointClass;
  vendor: string;
  model: string;
  installDate: string;
  ownerUnit: string;
  maintainer: string;
  tags: string[];
  onvifUrl: string;
  rtspMainUrl: string;
  rtspSubUrl: string;
  username: string;
  password: string;
}

/**
 * GB/T 28181 (2016) ID of camera `n`: county 341821, grassroots 00, industry by network,
 * type 132 (IPC), network digit 0–4 (监控报警专网), 6-digit serial = n. Unique for n < 1,000,000.
 */
export function deviceIdOf(n: number, network: string): string {
  return `${COUNTY_CODE}00${INDUSTRY_BY_NETWORK[network] ?? '00'}132${n % 5}${String(n).padStart(6, '0')}`;
}

/** Camera number `n`, always the same. */
export function generateCamera(n: number): GeneratedCamera {
  const rnd = seededRandom(0x5eed0000 + n);
  const townIndex = n % TOWNS.length;
  const town = TOWNS[townIndex];
  // Networks are skewed like a real fleet: mostly 天网/地网, fewer 车网/栈网.
  const r = rnd();
  const network = NETWORKS[r < 0.45 ? 0 : r < 0.8 ? 1 : r < 0.92 ? 2 : 3];
  const village = pick(rnd, VILLAGES[town.code] ?? ['中心村']);
  const road = pick(rnd, ROADS);
  const other = pick(rnd, ROADS);
  const spot = pick(rnd, SPOTS);
  const pole = 1 + Math.floor(rnd() * 30);
  const vendor = pick(rnd, VENDORS);
  const third = Math.floor(n / 250) % 250;
  const ip = `10.${40 + townIndex}.${third}.${(n % 250) + 2}`;
  const tagCount = Math.floor(rnd() * 3);
  const tags = [...new Set(Array.from({ length: tagCount }, () => pick(rnd, TAGS)))];
  const cs = rnd();
  const year = 2015 + Math.floor(rnd() * 10);
  const month = 1 + Math.floor(rnd() * 12);
  const day = 1 + Math.floor(rnd() * 28);
  return {
    deviceId: deviceIdOf(n, network.code),
    // '梅渚镇建设路路口3号杆': like real registers, a name can repeat (ties sort by id).
    name: `${town.name}${road}${spot}${pole}${pick(rnd, POLE_KINDS)}`,
    network: network.code,
    town: town.code,
    village,
    address: `${village}${road}与${other}交叉口${1 + Math.floor(rnd() * 300)}号附近`,
    // Langxi county: 119.0–119.4 E, 30.9–31.3 N.
    longitude: round6(119.0 + rnd() * 0.4),
    latitude: round6(30.9 + rnd() * 0.4),
    coordinateSystem: cs < 0.7 ? 'WGS84' : cs < 0.9 ? 'GCJ02' : 'CGCS2000',
    pointClass: pick(rnd, POINT_CLASSES),
    vendor: vendor.vendor,
    model: pick(rnd, vendor.models),
    installDate: `${year}-${pad2(month)}-${pad2(day)}`,
    ownerUnit: pick(rnd, OWNERS),
    maintainer: pick(rnd, MAINTAINERS),
    tags,
    onvifUrl: `http://${ip}/onvif/device_service`,
    rtspMainUrl: vendor.rtsp(ip, 0),
    rtspSubUrl: vendor.rtsp(ip, 1),
    username: pick(rnd, USERNAMES),
    password: `Xl${String(Math.floor(rnd() * 1e6)).padStart(6, '0')}#${town.code.slice(0, 2)}`,
  };
}

/** Header row (Chinese, every register column) and cells, as a county clerk's sheet would hold them. */
export function importSheet(first: number, count: number): { headers: string[]; rows: TableCell[][] } {
  const headers = COLUMNS.map((c) => c.zh);
  const rows: TableCell[][] = [];
  for (let n = first; n < first + count; n++) {
    const cam = generateCamera(n);
    rows.push(COLUMNS.map((c) => sheetCell(c.field, cam)));
  }
  return { headers, rows };
}

function sheetCell(field: ColumnField, cam: GeneratedCamera): TableCell {
  const townName = TOWNS.find((t) => t.code === cam.town)!.name;
  const networkName = NETWORKS.find((t) => t.code === cam.network)!.name;
  switch (field) {
    case 'town':
      return townName;
    case 'network':
      return networkName;
    case 'idEdition':
      return '2016';
    case 'coordinateSystem':
      return cam.coordinateSystem;
    case 'pointClass':
      return POINT_CLASS_ZH[cam.pointClass];
    case 'tags':
      return cam.tags.join('，');
    default:
      return cam[field];
  }
}

/** Camera `n` as the repository stores it; `seal` encrypts the password (the app's own cipher). */
export function storedCamera(n: number, seal: (plain: string) => string): StoredCameraFields {
  const cam = generateCamera(n);
  return {
    deviceId: cam.deviceId,
    idEdition: '2016',
    name: cam.name,
    network: cam.network,
    town: cam.town,
    village: cam.village,
    address: cam.address,
    longitude: cam.longitude,
    latitude: cam.latitude,
    pointClass: cam.pointClass,
    vendor: cam.vendor,
    model: cam.model,
    installDate: cam.installDate,
    ownerUnit: cam.ownerUnit,
    maintainer: cam.maintainer,
    tags: cam.tags,
    onvifUrl: cam.onvifUrl,
    rtspMainUrl: cam.rtspMainUrl,
    rtspSubUrl: cam.rtspSubUrl,
    username: cam.username,
    passwordEnc: seal(cam.password),
  };
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

function pad2(v: number): string {
  return String(v).padStart(2, '0');
}
