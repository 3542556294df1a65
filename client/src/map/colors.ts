/** Colours shared by the map, the board and the lists (the CSS variables mirror them). */
import type { CameraStatus } from '../../../server/realtime/events';

export const STATUS_COLORS: Record<CameraStatus, string> = {
  online: '#2ecc71',
  degraded: '#f5a623',
  offline: '#ff4d4f',
  maintenance: '#6c8ebf',
  unknown: '#8a8f98',
};

/** Offline share at which a town is fully red (20 %): a fifth of a town dark is an emergency. */
export const RED_AT = 0.2;

/**
 * Sequential scale for a town's offline share: green (0) → amber (RED_AT / 2) → red (≥ RED_AT),
 * interpolated in hue so the middle stays a clear amber rather than a muddy olive.
 */
export function shareColor(share: number, alpha = 1, lightness = 42): string {
  const x = Math.max(0, Math.min(1, share / RED_AT));
  const hue = Math.round(x < 0.5 ? 140 - 200 * x : 40 - 80 * (x - 0.5));
  const sat = 55 + Math.round(20 * x);
  return `hsla(${hue},${sat}%,${lightness}%,${alpha})`;
}
