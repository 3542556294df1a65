/**
 * Times and numbers as a person reads them. Every time is shown in the console's display time zone
 * (`tz` from /console/config, Asia/Shanghai by default), whatever the desk computer's zone is.
 */
import { ref } from 'vue';
import { locale } from './i18n';

/** The display time zone; set once from the console config. */
export const displayTz = ref('Asia/Shanghai');

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'time' | 'date' | 'datetime'): Intl.DateTimeFormat {
  const key = `${kind}|${displayTz.value}`;
  let f = cache.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = { timeZone: displayTz.value, hourCycle: 'h23' };
    if (kind !== 'date') Object.assign(opts, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    if (kind !== 'time') Object.assign(opts, { year: 'numeric', month: '2-digit', day: '2-digit' });
    try {
      f = new Intl.DateTimeFormat('en-CA', opts);
    } catch {
      f = new Intl.DateTimeFormat('en-CA', { ...opts, timeZone: 'Asia/Shanghai' });
    }
    cache.set(key, f);
  }
  return f;
}

function toDate(value: string | number | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

/** hh:mm:ss in the display zone. */
export function hms(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const d = toDate(value);
  return Number.isNaN(d.getTime()) ? '—' : formatter('time').format(d);
}

/** YYYY-MM-DD hh:mm:ss in the display zone. */
export function dateTime(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return '—';
  return formatter('datetime').format(d).replace(',', '');
}

/** MM-DD hh:mm:ss in the display zone (dense tables). */
export function shortDateTime(value: string | number | Date | null | undefined): string {
  const full = dateTime(value);
  return full.length > 5 ? full.slice(5) : full;
}

/** YYYY-MM-DD in the display zone. */
export function dateOnly(value: string | number | Date): string {
  return formatter('date').format(toDate(value));
}

/** A duration for operators: "3天4小时" / "3d 4h", "12分5秒" / "12m 5s". */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  const parts: Array<[number, string, string]> = [
    [Math.floor(s / 86400), '天', 'd'],
    [Math.floor((s % 86400) / 3600), '小时', 'h'],
    [Math.floor((s % 3600) / 60), '分', 'm'],
    [s % 60, '秒', 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  const shown = first === -1 ? [parts[3]] : parts.slice(first, first + 2).filter(([n], i) => i === 0 || n > 0);
  const zh = locale.value === 'zh';
  return shown.map(([n, z, e]) => (zh ? `${n}${z}` : `${n}${e}`)).join(zh ? '' : ' ');
}

/** A share as a percentage with one decimal ("98.5%"), or "—" when there is nothing to divide by. */
export function percent(part: number, whole: number): string {
  if (whole <= 0) return '—';
  return `${((part / whole) * 100).toFixed(1)}%`;
}

/** Thousands separators, locale independent. */
export function int(n: number): string {
  return n.toLocaleString('en-US');
}
