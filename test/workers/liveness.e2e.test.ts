import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CredentialCipher } from '../../server/secrets/credential-cipher.js';
import type { Database } from '../../server/storage/db.js';
import type { StateEventBus } from '../../server/events/state-events.js';
import { startFleet, type Fleet } from '../../workers/simulator/index.js';
import { backendNames, getDatabase, postgresTestUrl, reset } from '../support/backends.js';
import { FAST_POLICY, nextEvent, register, startLivenessRig, type LivenessRig } from '../support/liveness-e2e.js';
import { TEST_CAMERA_KEY } from '../support/test-server.js';
import { WORKER_NODE_FLAGS } from '../../workers/runtime-flags.js';
import { START_TICK_MS } from '../../workers/scheduler.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

for (const backend of backendNames()) {
  describe(`liveness engine end to end with simulated cameras [${backend}]`, function () {
    this.timeout(60_000);
    let rig: LivenessRig;
    let db: Database;
    let fleet: Fleet;
    let bus: StateEventBus;
    let ids: Map<number, string>;

    before(async () => {
      rig = await startLivenessRig(backend, { count: 4, port: 0, baseAddress: '127.1.40.1', auth: 'digest' });
      ({ db, fleet, bus, ids } = rig);
    });

    after(async () => {
      await rig?.stop();
    });

    it('kill a camera → offline with an outage row within interval + confirm time; revive → online, outage closed with its duration', async () => {
      const id = ids.get(0)!;
      const killedAt = Date.now();
      const offline = nextEvent(bus, (e) => e.cameraId === id && e.to === 'offline', 20_000);
      await fleet.kill(0);
      const down = await offline;
      // interval 2 s + first failure + 2 rechecks 1 s apart, each of the 3 checks up to one start tick
      // late (rounds start on ticks, never early), plus write-back and probe time.
      expect(Date.now() - killedAt).to.be.below(2000 + 3 * 1000 + 3 * START_TICK_MS + 3000);
      expect(down.cause).to.match(/^service down: rtsp: refused/);
      const [row] = await db.query<{ from_status: string; to_status: string; cause: string; evidence: { rtsp: { kind: string } } }>(
        `SELECT from_status, to_status, cause, evidence FROM outage_log WHERE camera_id = $1 AND to_status = 'offline'`, [id]);
      expect(row).to.include({ from_status: 'online', to_status: 'offline' });
      expect(row.evidence.rtsp.kind).to.equal('refused');
      const [camera] = await db.query<{ status: string; status_cause: string }>('SELECT status, status_cause FROM cameras WHERE id = $1', [id]);
      expect(camera.status).to.equal('offline');

      const online = nextEvent(bus, (e) => e.cameraId === id && e.to === 'online', 20_000);
      await fleet.revive(0);
      await online;
      const [closed] = await db.query<{ from_status: string; duration_ms: number }>(
        `SELECT from_status, (extract(epoch FROM at - from_since) * 1000)::int8 AS duration_ms FROM outage_log
         WHERE camera_id = $1 AND to_status = 'online' ORDER BY at DESC LIMIT 1`, [id]);
      expect(closed.from_status).to.equal('offline');
      expect(closed.duration_ms).to.be.greaterThan(500);
    });

    it('a missing stream with ONVIF answering is degraded, naming the failing check', async () => {
      const id = ids.get(1)!;
      const degraded = nextEvent(bus, (e) => e.cameraId === id && e.to === 'degraded', 20_000);
      await fleet.setFault(1, { rtsp: 'notfound' });
      expect((await degraded).cause).to.match(/^rtsp: not_found/);
      const back = nextEvent(bus, (e) => e.cameraId === id && e.to === 'online', 20_000);
      await fleet.setFault(1, { rtsp: 'none' });
      await back;
    });

    it('a camera that hangs is declared offline without stalling the others', async () => {
      const id = ids.get(2)!;
      const offline = nextEvent(bus, (e) => e.cameraId === id && e.to === 'offline', 25_000);
      await fleet.setFault(2, { rtsp: 'hang', onvif: 'hang' });
      const before = fleet.counters(3).rtspDescribes;
      const down = await offline;
      expect(down.cause).to.match(/^service down: rtsp: timeout.*; onvif: timeout/);
      expect(fleet.counters(3).rtspDescribes).to.be.greaterThan(before);
      await fleet.setFault(2, { rtsp: 'none', onvif: 'none' });
    });
  });
}

if (backendNames().includes('postgres')) {
  describe('two worker processes on one PostgreSQL server', function () {
    this.timeout(90_000);
    let fleet: Fleet;
    const children: ChildProcess[] = [];

    after(async () => {
      for (const child of children) child.kill('SIGKILL');
      await fleet?.stop();
    });

    it('share the cameras and never probe the same camera twice in one cycle', async () => {
      const db = await getDatabase('postgres');
      await reset(db);
      const cipher = new CredentialCipher(Buffer.from(TEST_CAMERA_KEY, 'hex'));
      fleet = await startFleet({ count: 40, port: 0, baseAddress: '127.1.60.1', auth: 'digest' });
      await register(db, fleet.cameras, cipher);
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sem-workers-'));
      const env = { ...process.env, ...FAST_POLICY, CHECK_INTERVAL_S: '3', DATABASE_URL: postgresTestUrl(), DATA_DIR: dataDir, CAMERA_SECRET_KEY: TEST_CAMERA_KEY, LOG_LEVEL: 'warn' };
      // What each worker logged (warnings and errors): shown when the share is not what it should be.
      const stderr: Record<string, string> = { 'worker-a': '', 'worker-b': '' };
      for (const name of ['worker-a', 'worker-b']) {
        // As `npm run worker` starts it.
        const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, '--import', 'tsx', 'workers/main.ts'], { cwd: ROOT, env: { ...env, WORKER_ID: name }, stdio: ['ignore', 'pipe', 'pipe'] });
        children.push(child);
        child.stderr!.on('data', (chunk: Buffer) => (stderr[name] += chunk.toString()));
      }
      await new Promise((resolve) => setTimeout(resolve, 12_000));
      await Promise.all(children.map((child) => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')))));
      rmSync(dataDir, { recursive: true, force: true });

      const samples = await db.query<{ camera_id: string; at: Date; worker_id: string }>('SELECT camera_id, at, worker_id FROM probe_samples ORDER BY camera_id, at');
      expect(new Set(samples.map((s) => s.worker_id)), JSON.stringify(stderr)).to.deep.equal(new Set(['worker-a', 'worker-b']));
      const byCamera = new Map<string, Date[]>();
      for (const s of samples) byCamera.set(s.camera_id, [...(byCamera.get(s.camera_id) ?? []), s.at]);
      expect(byCamera.size).to.equal(40);
      for (const [camera, times] of byCamera) {
        expect(times.length, camera).to.be.at.least(2);
        for (let i = 1; i < times.length; i++) {
          // A healthy camera's checks are at least half an interval (1.5 s) apart by design; two workers
          // claiming the same camera would produce two samples within milliseconds of each other.
          expect(times[i].getTime() - times[i - 1].getTime(), `camera ${camera} probed twice in one cycle`).to.be.at.least(1400);
        }
      }
      // Cross-check on the cameras' side: no simulated camera saw more describes than cycles allow.
      for (const camera of fleet.cameras) expect(fleet.counters(camera.index).rtspDescribes).to.be.at.most(2 * (Math.ceil(12 / 3) + 2));
    });
  });
}
