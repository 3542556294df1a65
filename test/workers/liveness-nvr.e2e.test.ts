import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/index.js';
import { createStateEventBus } from '../../server/events/create-bus.js';
import type { StateEventBus } from '../../server/events/state-events.js';
import { silentLogger } from '../../server/logger.js';
import { CredentialCipher } from '../../server/secrets/credential-cipher.js';
import type { Database } from '../../server/storage/db.js';
import { startFleet, type Fleet } from '../../workers/simulator/index.js';
import { START_TICK_MS } from '../../workers/scheduler.js';
import { startWorker, type Worker } from '../../workers/worker.js';
import { backendNames, getDatabase, reset } from '../support/backends.js';
import { nextEvent, register } from '../support/liveness-e2e.js';
import { TEST_CAMERA_KEY } from '../support/test-server.js';

// Fast policy, and one round at a time per device: 2-s interval, 2 rechecks 1 s apart, 1.5-s probe timeout.
const FAST = {
  CHECK_INTERVAL_S: '2', RECHECK_INTERVAL_S: '1', CONFIRM_RECHECKS: '2', RECOVER_CHECKS: '2', PROBE_TIMEOUT_MS: '1500',
  PROBE_CONNECT_TIMEOUT_MS: '1000', SAMPLE_HEALTHY_EVERY_S: '0', WORKER_PER_HOST: '1',
};
const CHANNELS = 8;

for (const backend of backendNames()) {
  describe(`a dark NVR end to end [${backend}]`, function () {
    this.timeout(60_000);
    let db: Database;
    let fleet: Fleet;
    let worker: Worker;
    let bus: StateEventBus;
    let ids: Map<number, string>;
    let dataDir: string;

    before(async () => {
      db = await getDatabase(backend);
      await reset(db);
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'sem-e2e-nvr-'));
      const config = loadConfig({ DATA_DIR: dataDir, CAMERA_SECRET_KEY: TEST_CAMERA_KEY, LOG_LEVEL: 'silent', ...FAST });
      const cipher = new CredentialCipher(Buffer.from(TEST_CAMERA_KEY, 'hex'));
      fleet = await startFleet({ count: CHANNELS, nvr: [{ channels: CHANNELS }], port: 0, baseAddress: '127.1.42.1', auth: 'digest' });
      ids = await register(db, fleet.cameras, cipher);
      bus = createStateEventBus(db, silentLogger);
      const online = Promise.all(fleet.cameras.map((c) => nextEvent(bus, (e) => e.cameraId === ids.get(c.index) && e.to === 'online', 20_000)));
      worker = startWorker({ config, db, cipher, bus, logger: silentLogger });
      await online;
    });

    after(async () => {
      await worker?.stop();
      await bus?.close();
      await fleet?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('every channel of an NVR that stops answering is declared offline within interval + confirm time, one round per device notwithstanding', async () => {
      expect(new Set(fleet.cameras.map((c) => new URL(c.rtspUrl).host)).size).to.equal(1); // one device, 8 channels
      const offline = Promise.all(fleet.cameras.map((c) => nextEvent(bus, (e) => e.cameraId === ids.get(c.index) && e.to === 'offline', 30_000)));
      const darkAt = Date.now();
      for (const c of fleet.cameras) await fleet.setFault(c.index, { rtsp: 'hang', onvif: 'hang' });
      const events = await offline;
      // Per channel: interval 2 s + 3 rounds of up to 1.5 s + 2 rechecks 1 s apart, each round up to a start tick
      // late, plus write-back. One round at a time through the device would need 8 × 3 × 1.5 s = 36 s.
      expect(Date.now() - darkAt).to.be.below(2000 + 3 * 1500 + 2 * 1000 + 3 * START_TICK_MS + 3000);
      for (const e of events) expect(e.cause).to.match(/rtsp: timeout/);

      const online = Promise.all(fleet.cameras.map((c) => nextEvent(bus, (e) => e.cameraId === ids.get(c.index) && e.to === 'online', 30_000)));
      for (const c of fleet.cameras) await fleet.setFault(c.index, { rtsp: 'none', onvif: 'none' });
      await online;
    });
  });
}
