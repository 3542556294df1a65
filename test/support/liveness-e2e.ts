/**
 * Helpers of the liveness end-to-end suites: a simulated fleet registered on a test database with a
 * worker checking it, simulated cameras registered, waiting for state changes on the bus.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/index.js';
import { createStateEventBus } from '../../server/events/create-bus.js';
import type { StateChangeEvent, StateEventBus } from '../../server/events/state-events.js';
import { silentLogger } from '../../server/logger.js';
import { CredentialCipher } from '../../server/secrets/credential-cipher.js';
import { CameraRepository, type StoredCameraFields } from '../../server/storage/camera.repository.js';
import type { Database } from '../../server/storage/db.js';
import { startFleet, type Fleet, type FleetOptions, type SimCamera } from '../../workers/simulator/index.js';
import { startWorker, type Worker } from '../../workers/worker.js';
import { getDatabase, reset, type BackendName } from './backends.js';
import { deviceId } from './cameras.js';
import { TEST_CAMERA_KEY } from './test-server.js';

/** Fast policy so a test sees whole outages: 2 s interval, 2 rechecks 1 s apart, 2 successes to recover. */
export const FAST_POLICY = {
  CHECK_INTERVAL_S: '2', RECHECK_INTERVAL_S: '1', CONFIRM_RECHECKS: '2', RECOVER_CHECKS: '2', PROBE_TIMEOUT_MS: '1500',
  PROBE_CONNECT_TIMEOUT_MS: '1000', SAMPLE_HEALTHY_EVERY_S: '0',
};

/** A fleet on a reset database and one in-process worker checking it (`config` adds to FAST_POLICY). */
export interface LivenessRig {
  db: Database;
  fleet: Fleet;
  bus: StateEventBus;
  /** Camera index → camera id. */
  ids: Map<number, string>;
  /** Resolves once every camera of the fleet reached `to` (each within `ms`). */
  everyCamera(to: string, ms: number): Promise<StateChangeEvent[]>;
  stop(): Promise<void>;
}

/** Starts the rig; resolves once every camera is online. */
export async function startLivenessRig(backend: BackendName, fleetOptions: FleetOptions, config: Record<string, string> = {}): Promise<LivenessRig> {
  const db = await getDatabase(backend);
  await reset(db);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sem-e2e-'));
  const cipher = new CredentialCipher(Buffer.from(TEST_CAMERA_KEY, 'hex'));
  const fleet = await startFleet(fleetOptions);
  const ids = await register(db, fleet.cameras, cipher);
  const bus = createStateEventBus(db, silentLogger);
  const everyCamera = (to: string, ms: number) =>
    Promise.all(fleet.cameras.map((c) => nextEvent(bus, (e) => e.cameraId === ids.get(c.index) && e.to === to, ms)));
  const online = everyCamera('online', 20_000);
  const settings = loadConfig({ DATA_DIR: dataDir, CAMERA_SECRET_KEY: TEST_CAMERA_KEY, LOG_LEVEL: 'silent', ...FAST_POLICY, ...config });
  const worker: Worker = startWorker({ config: settings, db, cipher, bus, logger: silentLogger });
  await online;
  return {
    db, fleet, bus, ids, everyCamera,
    stop: async () => {
      await worker.stop();
      await bus.close();
      await fleet.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

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
