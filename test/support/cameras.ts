import type { StoredCameraFields } from '../../server/storage/camera.row.js';

/** A valid Langxi (341821) IPC device ID with the given serial: 341821 00 00 132 0 <serial>. */
export function deviceId(serial: number, type = '132'): string {
  return `3418210000${type}0${String(serial).padStart(6, '0')}`;
}

/** Registry fields for camera `serial` as the storage layer takes them (password already sealed, or null). */
export function storedCamera(serial: number, overrides: Partial<StoredCameraFields> = {}): StoredCameraFields {
  return {
    deviceId: deviceId(serial), idEdition: '2016', name: `cam ${serial}`, network: 'sky', town: serial % 2 ? 'meizhu' : 'shizi',
    village: null, address: null, longitude: null, latitude: null, pointClass: 1, vendor: null, model: null,
    installDate: null, ownerUnit: null, maintainer: null, tags: [], onvifUrl: null,
    rtspMainUrl: `rtsp://127.1.0.${(serial % 250) + 1}:8554/Streaming/Channels/101`, rtspSubUrl: null, username: 'admin', passwordEnc: null,
    ...overrides,
  };
}
