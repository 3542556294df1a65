/** A valid Langxi (341821) IPC device ID with the given serial: 341821 00 00 132 0 <serial>. */
export function deviceId(serial: number, type = '132'): string {
  return `3418210000${type}0${String(serial).padStart(6, '0')}`;
}
