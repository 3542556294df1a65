/** Helpers of the liveness end-to-end suites: register simulated cameras, wait for a state change on the bus. */
import type { StateChangeEvent, StateEventBus } from '../../server/events/state-events.js';
import type { CredentialCipher } from '../../server/secrets/credential-cipher.js';
import { CameraRepository, type StoredCameraFields } from '../../server/storage/camera.repository.js';
import type { Database } from '../../server/storage/db.js';
import type { SimCamera } from '../../workers/simulator/index.js';
import { deviceId } from './cameras.js';

/** Registers the simulated cameras (device IDs from their index + 1); returns camera index → camera id. */
export async function register(db: Database, cameras: readonly SimCamera[], cipher: CredentialCipher): Promise<Map<number, string>> {
  const rows: StoredCameraFields[] = cameras.map((c) => ({
    deviceId: deviceId(c.index + 1), idEdition: '2016', name: `sim ${c.index}`, network: 'sky', town: c.index % 2 ? 'meizhu' : 'shizi',
    village: null, address: null, longitude: null, latitude: null, pointClass: 2, vendor: c.vendor, model: c.model, installDate: null,
    ownerUnit: null, maintainer: null, tags: [], onvifUrl: c.onvifUrl, rtspMainUrl: c.rtspUrl, rtspSubUrl: null,
    username: c.username, passwordEnc: cipher.encrypt(c.password),
  }));
  await new CameraRepository(db).insertMany(rows);
  const ids = await db.query<{ id: string; device_id: string }>('SELECT id, device_id FROM cameras');
  return new Map(cameras.map((c) => [c.index, ids.find((r) => r.device_id === deviceId(c.index + 1))!.id]));
}

/** Resolves with the first event matching `match`, or rejects after `ms`. */
export function nextEvent(bus: StateEventBus, match: (e: StateChangeEvent) => boolean, ms: number): Promise<StateChangeEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error('expected state change did not arrive'))), ms);
    const off = bus.subscribe((events) => {
      const hit = events.find(match);
      if (hit) {
        clearTimeout(timer);
        off();
        resolve(hit);
      }
    });
  });
}
