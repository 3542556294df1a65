import { expect } from 'chai';
import { loadConfig } from '../../config/index.js';
import type { ClaimedCamera } from '../../server/storage/liveness.repository.js';
import { evaluateRound } from '../../workers/evaluate.js';
import type { RoundOutcome } from '../../workers/runner.js';

const config = loadConfig({ DATA_DIR: '/nonexistent', WORKER_ENABLED: 'false' }).liveness;
const now = Date.parse('2026-11-27T02:00:00Z');

function camera(overrides: Partial<ClaimedCamera> = {}): ClaimedCamera {
  return {
    id: 'c1', deviceId: '34152200001320000001', name: 'cam 1', town: 'meizhu', network: 'sky', pointClass: 1,
    rtspUrl: 'rtsp://10.0.0.2/live', onvifUrl: 'http://10.0.0.2/onvif/device_service', username: null, passwordEnc: null,
    status: 'online', statusSince: new Date(now - 3_600_000), statusCause: null, healthStreak: 0, healthDirection: null,
    maintenanceUntil: null, lastSampleAt: new Date(now - 60_000), dueAt: new Date(now - 100), ...overrides,
  };
}

const ok = (ms: number) => ({ ok: true, latencyMs: ms });
const healthy: RoundOutcome = { round: { rtsp: ok(3), onvif: ok(4) }, evidence: {}, latencyMs: 4 };
const dark: RoundOutcome = {
  round: { rtsp: { ok: false, latencyMs: 5000, failureKind: 'timeout', detail: 'x' }, tcp: { ok: false, latencyMs: 3000, failureKind: 'timeout', detail: 'y' } },
  evidence: {},
  latencyMs: 5000,
};

/**
 * What a round writes besides the state: the optional `change` and `sample` keys are present only
 * when there is something to write (the write-back serialises them as they are).
 *   healthy online camera, sample not due      → neither key
 *   healthy online camera, no sample yet       → sample with the checks that ran, no change
 *   failing camera, anti-flapping not done     → sample (failures are always kept), no change
 *   unknown camera, healthy                    → change unknown → online with town/network, sample
 */
describe('evaluateRound (what a round writes back)', () => {
  it('a healthy round of an online camera whose sample is not due writes neither change nor sample', () => {
    const { write, event } = evaluateRound(camera(), healthy, config, now);
    expect(write).not.to.have.any.keys('change', 'sample');
    expect(write).to.include({ status: 'online', verdict: 'online', cameraChanged: false, latencyMs: 4 });
    expect(event).to.equal(undefined);
  });

  it('keeps a sample of the checks that ran when none was kept yet', () => {
    const { write } = evaluateRound(camera({ lastSampleAt: null }), healthy, config, now);
    expect(write).not.to.have.any.keys('change');
    expect(write.sample).to.deep.equal({ verdict: 'online', rtsp: { ok: true, ms: 3, fail: null }, onvif: { ok: true, ms: 4, fail: null } });
  });

  it('keeps every failing round as a sample (rtsp and tcp only, as they ran)', () => {
    const { write } = evaluateRound(camera(), dark, config, now);
    expect(write.sample).to.deep.equal({ verdict: 'offline', rtsp: { ok: false, ms: 5000, fail: 'timeout' }, tcp: { ok: false, ms: 3000 } });
    expect(write).not.to.have.any.keys('change');
  });

  it('a change carries from/to, the old status start, town and network, and announces an event', () => {
    const since = new Date(now - 7000);
    const { write, event } = evaluateRound(camera({ status: 'unknown', statusSince: since }), healthy, config, now);
    expect(write.change).to.deep.equal({ from: 'unknown', to: 'online', fromSince: since, town: 'meizhu', network: 'sky' });
    expect(write).to.include({ status: 'online', cameraChanged: true });
    expect(event).to.deep.include({ cameraId: 'c1', from: 'unknown', to: 'online', town: 'meizhu', network: 'sky' });
  });
});
