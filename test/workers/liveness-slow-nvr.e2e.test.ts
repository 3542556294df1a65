import { expect } from 'chai';
import { phaseOf, slotAtOrAfter } from '../../server/domain/liveness.js';
import { backendNames } from '../support/backends.js';
import { startLivenessRig } from '../support/liveness-e2e.js';

const CHANNELS = 24;
/** Each answer of a slow channel comes this late: a round (OPTIONS, DESCRIBE 401, DESCRIBE) takes ~0.3 s. */
const SLOW_MS = 100;
const INTERVAL_MS = 6000;
const WINDOW_MS = 2 * INTERVAL_MS;

/**
 * Each channel's due slots within [from, from + WINDOW_MS), and for each whether a round of that channel
 * ended within half an interval of it (a later one is late: the engine then skips to the following slot).
 */
async function slotsServed(perHostMax: string, backend: ReturnType<typeof backendNames>[number]): Promise<boolean[]> {
  // The fast policy with a 6-s interval, one round at a time per device unless it falls behind, every round sampled.
  const rig = await startLivenessRig(
    backend,
    { count: CHANNELS, nvr: [{ channels: CHANNELS }], port: 0, baseAddress: '127.1.43.1', auth: 'digest' },
    { CHECK_INTERVAL_S: String(INTERVAL_MS / 1000), WORKER_PER_HOST: '1', WORKER_PER_HOST_MAX: perHostMax },
  );
  try {
    for (const c of rig.fleet.cameras) await rig.fleet.setFault(c.index, { rtsp: 'slow', onvif: 'slow', slowMs: SLOW_MS });
    await sleep(INTERVAL_MS); // the queue builds (or not)
    const from = Date.now();
    await sleep(WINDOW_MS + INTERVAL_MS / 2);
    const rows = await rig.db.query<{ camera_id: string; at: Date; verdict: string }>(
      'SELECT camera_id, at, verdict FROM probe_samples WHERE at >= $1', [new Date(from)],
    );
    expect(rows.map((r) => r.verdict).filter((v) => v !== 'online')).to.deep.equal([]);
    const served: boolean[] = [];
    for (const id of rig.ids.values()) {
      const ends = rows.filter((r) => r.camera_id === id).map((r) => new Date(r.at).getTime());
      for (let slot = slotAtOrAfter(from, INTERVAL_MS, phaseOf(id)); slot < from + WINDOW_MS; slot += INTERVAL_MS) {
        served.push(ends.some((t) => t >= slot && t < slot + INTERVAL_MS / 2));
      }
    }
    return served;
  } finally {
    await rig.stop();
  }
}

for (const backend of backendNames()) {
  describe(`a slow NVR end to end [${backend}]`, function () {
    this.timeout(60_000);

    it('every channel of an NVR that answers slowly is checked in every slot: its device gets more lanes while rounds wait for it', async () => {
      // 24 channels of ~0.3 s through one lane take ~7 s, more than the 6-s interval: the queue grows and rounds
      // end past half an interval, so their slots are skipped. With more lanes every slot is served in time.
      const served = await slotsServed('8', backend);
      expect(served).to.have.length(CHANNELS * 2);
      expect(served.filter((s) => !s), 'slots missed').to.deep.equal([]);
    });
  });
}

describe('a slow NVR end to end, lanes capped [pglite]', function () {
  this.timeout(60_000);

  it('WORKER_PER_HOST_MAX = WORKER_PER_HOST holds the device to its one lane, and its rounds fall behind', async () => {
    const served = await slotsServed('1', 'pglite');
    expect(served.filter((s) => !s).length, 'slots missed').to.be.at.least(CHANNELS / 4);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
