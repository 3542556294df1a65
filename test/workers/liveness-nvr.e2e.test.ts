import { expect } from 'chai';
import { START_TICK_MS } from '../../workers/scheduler.js';
import { backendNames } from '../support/backends.js';
import { startLivenessRig, type LivenessRig } from '../support/liveness-e2e.js';

const CHANNELS = 8;

for (const backend of backendNames()) {
  describe(`a dark NVR end to end [${backend}]`, function () {
    this.timeout(60_000);
    let rig: LivenessRig;

    before(async () => {
      // The fast policy with a 1.5-s probe timeout, and one round at a time per device.
      rig = await startLivenessRig(backend, { count: CHANNELS, nvr: [{ channels: CHANNELS }], port: 0, baseAddress: '127.1.42.1', auth: 'digest' }, { WORKER_PER_HOST: '1' });
    });

    after(async () => {
      await rig?.stop();
    });

    it('every channel of an NVR that stops answering is declared offline within interval + confirm time, one round per device notwithstanding', async () => {
      const { fleet } = rig;
      expect(new Set(fleet.cameras.map((c) => new URL(c.rtspUrl).host)).size).to.equal(1); // one device, 8 channels
      const offline = rig.everyCamera('offline', 30_000);
      const darkAt = Date.now();
      for (const c of fleet.cameras) await fleet.setFault(c.index, { rtsp: 'hang', onvif: 'hang' });
      const events = await offline;
      // Per channel: interval 2 s + 3 rounds of up to 1.5 s + 2 rechecks 1 s apart, each round up to a start tick
      // late, plus write-back. One round at a time through the device would need 8 × 3 × 1.5 s = 36 s.
      expect(Date.now() - darkAt).to.be.below(2000 + 3 * 1500 + 2 * 1000 + 3 * START_TICK_MS + 3000);
      for (const e of events) expect(e.cause).to.match(/rtsp: timeout/);

      const online = rig.everyCamera('online', 30_000);
      for (const c of fleet.cameras) await fleet.setFault(c.index, { rtsp: 'none', onvif: 'none' });
      await online;
    });
  });
}
