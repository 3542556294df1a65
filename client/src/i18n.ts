/**
 * A tiny typed dictionary: zh-CN first, English second. `t('key')` is reactive (reads `locale`), so
 * templates re-render when the operator toggles the language. Town and network names are not here:
 * they come from the server (`name` zh, `nameEn` en) — see `placeName`.
 */
import { ref, watch } from 'vue';
import type { CameraStatus } from '../../server/realtime/events';

export type Locale = 'zh' | 'en';

const zh = {
  product: '雪亮工程 · 摄像机在线监测',
  'conn.live': '实时',
  'conn.reconnecting': '重连中',
  'conn.stale': '数据过期',
  'conn.connecting': '连接中',
  'conn.since': '自 {t}',
  'conn.lastData': '最后数据 {t}',
  'totals.total': '总数',
  'totals.online': '在线',
  'totals.offline': '离线',
  'totals.degraded': '降级',
  'totals.maintenance': '维护',
  'totals.unknown': '未检',
  'totals.rate': '在线率',
  'totals.rateHint': '在线率 = 在线 ÷ (总数 − 维护)；未检测的摄像机计入分母',
  'tile.total': '总数',
  'tile.online': '在线',
  'tile.offline': '离线',
  'tile.degraded': '降级',
  'tile.maintenance': '维护',
  'status.online': '在线',
  'status.offline': '离线',
  'status.degraded': '降级',
  'status.maintenance': '维护',
  'status.unknown': '未知',
  'map.title': '县域地图',
  'map.schematic': '示意图',
  'map.schematicHint': '区域边界为示意，非测绘数据',
  'map.unavailable': '地图数据不可用，仅显示点位',
  'map.reset': '复位',
  'board.title': '乡镇概览',
  'board.sortName': '名称',
  'board.sortRate': '在线率',
  'board.sortOffline': '离线数',
  'board.all': '全县',
  'feed.title': '实时事件',
  'feed.empty': '暂无状态变化',
  'feed.sound': '提示音',
  'feed.kept': '内存中保留的事件数（最多 2000 条）',
  'feed.groupSummary': '{town} {n} 台变化',
  'feed.groupHint': '点击展开 / 收起',
  'feed.replay': '补发',
  'list.title': '摄像机列表',
  'list.search': '名称 / 国标编码 / 地址',
  'list.allTowns': '全部乡镇',
  'list.allNetworks': '全部网络',
  'list.allStatus': '全部状态',
  'list.allClasses': '全部点位类型',
  'list.name': '名称',
  'list.deviceId': '国标编码',
  'list.town': '乡镇',
  'list.network': '网络',
  'list.class': '点位',
  'list.status': '状态',
  'list.since': '状态起始',
  'list.cause': '原因',
  'list.total': '共 {n} 台',
  'list.page': '第 {p} / {n} 页',
  'list.prev': '上一页',
  'list.next': '下一页',
  'list.loading': '加载中…',
  'list.empty': '没有符合条件的摄像机',
  'list.error': '加载失败：{e}',
  'list.clear': '清除筛选',
  'detail.close': '关闭',
  'detail.identity': '设备身份',
  'detail.endpoints': '接入地址',
  'detail.health': '当前状态',
  'detail.checks': '最近一次检测',
  'detail.history': '状态变化记录',
  'detail.samples': '最近采样',
  'detail.checkNow': '立即检测',
  'detail.checking': '检测中…',
  'detail.checkResult': '检测结果',
  'detail.notRecorded': '巡检进行中，本次结果未入库',
  'detail.county': '行政区划',
  'detail.industry': '行业',
  'detail.type': '类型',
  'detail.networkDigit': '网络标识',
  'detail.serial': '序号',
  'detail.edition': '编码版本',
  'detail.vendor': '厂商 / 型号',
  'detail.address': '地址',
  'detail.coords': '坐标',
  'detail.password': '密码',
  'detail.passwordSet': '已设置（不显示）',
  'detail.passwordNone': '未设置',
  'detail.username': '用户名',
  'detail.cause': '原因',
  'detail.since': '起始',
  'detail.lastCheck': '上次检测',
  'detail.nextCheck': '下次检测',
  'detail.latency': '耗时',
  'detail.verdict': '结论',
  'detail.noHistory': '暂无状态变化记录',
  'detail.noEvidence': '暂无检测证据',
  'detail.duration': '持续 {d}',
  'detail.loading': '加载中…',
  'detail.error': '加载失败：{e}',
  'detail.ok': '正常',
  'detail.fail': '失败',
  'common.none': '—',
  'lang.toggle': 'English',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  product: 'Sharp Eyes · Camera Monitor',
  'conn.live': 'live',
  'conn.reconnecting': 'reconnecting',
  'conn.stale': 'stale',
  'conn.connecting': 'connecting',
  'conn.since': 'since {t}',
  'conn.lastData': 'last data {t}',
  'totals.total': 'Total',
  'totals.online': 'Online',
  'totals.offline': 'Offline',
  'totals.degraded': 'Degraded',
  'totals.maintenance': 'Maint.',
  'totals.unknown': 'Unchecked',
  'totals.rate': 'Online rate',
  'totals.rateHint': 'Online rate = online ÷ (total − maintenance); unchecked cameras count in the denominator',
  'tile.total': 'Total',
  'tile.online': 'On',
  'tile.offline': 'Off',
  'tile.degraded': 'Degr.',
  'tile.maintenance': 'Maint.',
  'status.online': 'online',
  'status.offline': 'offline',
  'status.degraded': 'degraded',
  'status.maintenance': 'maintenance',
  'status.unknown': 'unknown',
  'map.title': 'County map',
  'map.schematic': 'schematic',
  'map.schematicHint': 'Town borders are schematic, not survey data',
  'map.unavailable': 'Map data unavailable; showing points only',
  'map.reset': 'Reset',
  'board.title': 'Towns',
  'board.sortName': 'Name',
  'board.sortRate': 'Online rate',
  'board.sortOffline': 'Offline',
  'board.all': 'County',
  'feed.title': 'Live events',
  'feed.empty': 'No state changes yet',
  'feed.sound': 'Sound',
  'feed.kept': 'Events kept in memory (at most 2,000)',
  'feed.groupSummary': '{town}: {n} changes',
  'feed.groupHint': 'Click to expand / collapse',
  'feed.replay': 'replayed',
  'list.title': 'Cameras',
  'list.search': 'Name / device ID / address',
  'list.allTowns': 'All towns',
  'list.allNetworks': 'All networks',
  'list.allStatus': 'All states',
  'list.allClasses': 'All point classes',
  'list.name': 'Name',
  'list.deviceId': 'Device ID',
  'list.town': 'Town',
  'list.network': 'Network',
  'list.class': 'Class',
  'list.status': 'State',
  'list.since': 'Since',
  'list.cause': 'Cause',
  'list.total': '{n} cameras',
  'list.page': 'Page {p} / {n}',
  'list.prev': 'Prev',
  'list.next': 'Next',
  'list.loading': 'Loading…',
  'list.empty': 'No camera matches',
  'list.error': 'Failed to load: {e}',
  'list.clear': 'Clear filters',
  'detail.close': 'Close',
  'detail.identity': 'Identity',
  'detail.endpoints': 'Endpoints',
  'detail.health': 'Current state',
  'detail.checks': 'Last check',
  'detail.history': 'State history',
  'detail.samples': 'Recent samples',
  'detail.checkNow': 'Check now',
  'detail.checking': 'Checking…',
  'detail.checkResult': 'Check result',
  'detail.notRecorded': 'A worker was checking it; this result was not recorded',
  'detail.county': 'Division',
  'detail.industry': 'Industry',
  'detail.type': 'Type',
  'detail.networkDigit': 'Network digit',
  'detail.serial': 'Serial',
  'detail.edition': 'Edition',
  'detail.vendor': 'Vendor / model',
  'detail.address': 'Address',
  'detail.coords': 'Coordinates',
  'detail.password': 'Password',
  'detail.passwordSet': 'set (never shown)',
  'detail.passwordNone': 'not set',
  'detail.username': 'Username',
  'detail.cause': 'Cause',
  'detail.since': 'Since',
  'detail.lastCheck': 'Last check',
  'detail.nextCheck': 'Next check',
  'detail.latency': 'Latency',
  'detail.verdict': 'Verdict',
  'detail.noHistory': 'No state changes recorded',
  'detail.noEvidence': 'No check evidence yet',
  'detail.duration': 'lasted {d}',
  'detail.loading': 'Loading…',
  'detail.error': 'Failed to load: {e}',
  'detail.ok': 'ok',
  'detail.fail': 'failed',
  'common.none': '—',
  'lang.toggle': '中文',
};

const STORAGE_KEY = 'sem.locale';
const dictionaries: Record<Locale, Record<MessageKey, string>> = { zh, en };

function initialLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/** The operator's language; persisted in localStorage. */
export const locale = ref<Locale>(initialLocale());

watch(locale, (value) => {
  document.documentElement.lang = value === 'zh' ? 'zh-CN' : 'en';
  try {
    localStorage.setItem(STORAGE_KEY, value);
  } catch {
    // private mode or quota: the toggle still works for this session
  }
}, { immediate: true });

export function toggleLocale(): void {
  locale.value = locale.value === 'zh' ? 'en' : 'zh';
}

/** The message for `key` in the current locale, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[locale.value][key];
  return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
}

export function statusLabel(status: CameraStatus): string {
  return t(`status.${status}`);
}

/** A server-provided place (town, network) in the current locale, falling back to the Chinese name. */
export function placeName(entry: { code: string; name: string; nameEn?: string | null } | undefined, code = ''): string {
  if (!entry) return code;
  return locale.value === 'en' && entry.nameEn ? entry.nameEn : entry.name;
}
