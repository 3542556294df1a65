/**
 * A tiny typed dictionary: zh-CN first, English second. `t('key')` is reactive (reads `locale`), so
 * templates re-render when the operator toggles the language. Town and network names are not here:
 * they come from the server (`name` zh, `nameEn` en) — see `placeName`. The messages live in
 * messages/*.ts, one file per area, each typed so a key missing in English fails the type-check.
 */
import { ref, watch } from 'vue';
import type { CameraStatus } from '../../server/realtime/events';
import { consoleEn, consoleZh } from './messages/console';
import { accountsEn, accountsZh } from './messages/accounts';
import { adminEn, adminZh } from './messages/admin';

export type Locale = 'zh' | 'en';

const zh = { ...consoleZh, ...accountsZh, ...adminZh } as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = { ...consoleEn, ...accountsEn, ...adminEn };

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

/** Whether `key` is a message (for keys built from server values: roles, audit actions). */
export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zh, key);
}
