/** Camera point vocabulary shared by the registry, the workers and the console. */

export const CAMERA_STATUSES = ['unknown', 'online', 'degraded', 'offline', 'maintenance'] as const;
export type CameraStatus = (typeof CAMERA_STATUSES)[number];

/** GB/T 28181-2022 `PoType`: 1 一类, 2 二类, 3 三类, 9 other. */
export const POINT_CLASSES = [1, 2, 3, 9] as const;
export type PointClass = (typeof POINT_CLASSES)[number];

const POINT_CLASS_NAMES: Record<PointClass, { zh: string; en: string }> = {
  1: { zh: '一类', en: 'class 1' },
  2: { zh: '二类', en: 'class 2' },
  3: { zh: '三类', en: 'class 3' },
  9: { zh: '其他', en: 'other' },
};

/**
 * Reads a point class the way spreadsheets write it.
 *   '1' | '一类' | '一类点' | '一类点位' | 'class 1' | 'I'  → 1   (same pattern for 2, 3)
 *   '9' | '其他' | '其它' | 'other'                          → 9
 *   anything else                                           → null
 */
export function parsePointClass(text: string | number): PointClass | null {
  const t = String(text).trim().toLowerCase().replace(/\s+/g, ' ');
  const table: Array<[PointClass, RegExp]> = [
    [1, /^(1|一类(点(位)?)?|class 1|i)$/],
    [2, /^(2|二类(点(位)?)?|class 2|ii)$/],
    [3, /^(3|三类(点(位)?)?|class 3|iii)$/],
    [9, /^(9|其他|其它|other)$/],
  ];
  for (const [value, pattern] of table) if (pattern.test(t)) return value;
  return null;
}

export function pointClassName(value: PointClass, lang: 'zh' | 'en' = 'zh'): string {
  return POINT_CLASS_NAMES[value][lang];
}

export interface UrlCredentials {
  /** The URL with any `user:password@` removed, so no secret is ever stored in a URL column. */
  url: string;
  username?: string;
  password?: string;
}

/**
 * Splits inline credentials out of an endpoint URL, as installers often paste
 * `rtsp://admin:12345@10.0.0.8:554/Streaming/Channels/101`.
 *   no userinfo            → url unchanged, no username/password
 *   user@host              → username only
 *   user:pass@host         → both (percent-decoded)
 */
export function splitUrlCredentials(raw: string): UrlCredentials {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@(.*)$/i.exec(raw);
  if (!match) return { url: raw };
  const [, scheme, userinfo, rest] = match;
  const colon = userinfo.indexOf(':');
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const username = decode(colon === -1 ? userinfo : userinfo.slice(0, colon));
  const password = colon === -1 ? undefined : decode(userinfo.slice(colon + 1));
  return { url: scheme + rest, ...(username ? { username } : {}), ...(password ? { password } : {}) };
}
