import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { LivenessRepository, type RoundWrite } from '../../../server/storage/liveness.repository.js';
import { CameraRepository, type StoredCameraFields } from '../../../server/storage/camera.repository.js';
import { MaintenanceRepository } from '../../../server/storage/maintenance.repository.js';
import { onConnection, type Database, type Queryable } from '../../../server/storage/db.js';
import type { NamedStatement, Sql } from '../../../server/storage/named-statement.js';
import { backendNames, getDatabase, reset } from '../../support/backends.js';
import { deviceId } from '../../support/cameras.js';

function fields(i: number, overrides: Partial<StoredCameraFields> = {}): StoredCameraFields {
  return {
    deviceId: deviceId(i), idEdition: '2016', name: `cam ${i}`, network: 'sky', town: i % 2 ? 'meizhu' : 'shizi',
    village: null, address: null, longitude: null, latitude: null, pointClass: 1, vendor: null, model: null,
    installDate: null, ownerUnit: null, maintainer: null, tags: [], onvifUrl: null,
    rtspMainUrl: `rtsp://127.1.0.${(i % 250) + 1}:8554/Streaming/Channels/101`, rtspSubUrl: null, username: null, passwordEnc: null,
    ...overrides,
  };
}

/** A Queryable on its own connection, as each worker process (or scheduler) holds one. */
async function ownConnection(db: Database): Promise<Queryable & { release(): void }> {
  const client = await db.connect();
  return {
    ...onConnection(client),
    release: () => client.release(),
  };
}

for (const backend of backendNames()) {
  describe(`liveness repository [${backend}]`, () => {
    let db: Database;
    let sut: LivenessRepository;
    const now = new Date('2026-11-27T02:00:00Z');

    before(async () => {
      db = await getDatabase(backend);
      sut = new LivenessRepository(db);
    });
    beforeEach(async () => {
      await reset(db);
      await new CameraRepository(db).insertMany(Array.from({ length: 300 }, (_, i) => fields(i + 1)));
      // one without endpoints and one decommissioned: never claimed
      await new CameraRepository(db).insertMany([fields(900, { rtspMainUrl: null })]);
      await db.query(`UPDATE cameras SET decommissioned_at = now() WHERE device_id = $1`, [deviceId(300)]);
      await db.query(`UPDATE camera_checks SET next_check_at = $1 WHERE next_check_at < 'infinity'`, [new Date(now.getTime() - 1000)]);
    });

    it('two claimers on separate connections never get the same camera (FOR UPDATE SKIP LOCKED)', async () => {
      const a = await ownConnection(db);
      const b = await ownConnection(db);
      try {
        // Each claimer loops on its own connection until nothing is due, as two workers would.
        const drain = async (conn: Queryable, worker: string) => {
          const got: string[] = [];
          for (;;) {
            const batch = await sut.claimDue(conn, worker, now, 25, 120_000, 0);
            if (batch.length === 0) return got;
            got.push(...batch.map((c) => c.id));
          }
        };
        const [fromA, fromB] = await Promise.all([drain(a, 'worker-a'), drain(b, 'worker-b')]);
        expect(fromA.length).to.be.greaterThan(0);
        expect(fromB.length).to.be.greaterThan(0);
        const ids = [...fromA, ...fromB];
        expect(new Set(ids).size).to.equal(ids.length);
        expect(ids).to.have.length(299);
        const owners = await db.query<{ claimed_by: string; n: number }>(`SELECT claimed_by, count(*) AS n FROM camera_checks WHERE claimed_by IS NOT NULL GROUP BY 1`);
        expect(owners.reduce((s, o) => s + o.n, 0)).to.equal(299);
      } finally {
        a.release();
        b.release();
      }
    });

    it('a claim leases the camera; when the lease runs out (crashed worker) it falls due again', async () => {
      const first = await sut.claimDue(db, 'crashed', now, 1000, 120_000, 0);
      expect(first).to.have.length(299);
      expect(first[0].dueAt.getTime()).to.equal(now.getTime() - 1000);
      expect(await sut.claimDue(db, 'other', new Date(now.getTime() + 60_000), 1000, 120_000, 0)).to.have.length(0);
      const after = await sut.claimDue(db, 'other', new Date(now.getTime() + 120_001), 1000, 120_000, 0);
      expect(after).to.have.length(299);
    });

    it('claims in due order and honours the look-ahead window', async () => {
      await db.query(`UPDATE camera_checks k SET next_check_at = $1::timestamptz + make_interval(secs => (substr(c.device_id, 15)::int % 10)) FROM cameras c WHERE c.id = k.camera_id AND k.next_check_at < 'infinity'`, [now]);
      const soon = await sut.claimDue(db, 'w', now, 1000, 120_000, 2500);
      const due = soon.map((c) => c.dueAt.getTime());
      expect(Math.max(...due)).to.be.at.most(now.getTime() + 2500);
      const [left] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM camera_checks WHERE next_check_at <= $1`, [new Date(now.getTime() + 2500)]);
      expect(left.n).to.equal(0);
      // Earliest first: a batch limit takes the most overdue cameras.
      const first = await sut.claimDue(db, 'w', new Date(now.getTime() + 9000), 10, 120_000, 0);
      for (const c of first) expect(c.dueAt.getTime()).to.equal(now.getTime() + 3000);
    });

    it('the claim and the write-back read only their rows at 10,000 cameras, custom or generic plan (a join was planned as a scan)', async () => {
      await new CameraRepository(db).insertMany(Array.from({ length: 9700 }, (_, i) => fields(i + 1000)));
      await db.query(`UPDATE camera_checks SET next_check_at = $1::timestamptz + random() * interval '60 s' WHERE next_check_at < 'infinity'`, [now]);
      await new MaintenanceRepository(db).vacuumAnalyze(['camera_checks', 'cameras']);
      // The statements the repository sends, planned (not run).
      const sent: Array<{ sql: NamedStatement; params: readonly unknown[] }> = [];
      const recorder = {
        query: async <T extends object>(sql: Sql, params: readonly unknown[] = []) => {
          if (typeof sql !== 'string') sent.push({ sql, params });
          return [] as T[];
        },
      };
      await sut.claimDue(recorder, 'w', new Date(now.getTime() + 1000), 500, 120_000, 0);
      await new LivenessRepository(recorder as unknown as Database).recordRounds('w', [{
        cameraId: randomUUID(), at: now, status: 'online', statusSince: now, cause: null, healthStreak: 0, healthDirection: null,
        verdict: 'online', latencyMs: 3, evidence: { rtsp: { ok: true } }, nextCheckAt: new Date(now.getTime() + 60_000), cameraChanged: false,
      }]);
      expect(sent.map((s) => s.sql.name)).to.deep.equal(['liveness_claim_due', 'liveness_record_rounds']);
      const conn = await db.connect();
      try {
        for (const { sql, params } of sent) {
          // As run the first times (planned with its values) ...
          const custom = (await conn.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql.text}`, params as unknown[])).rows;
          // ... and as a prepared statement may run from the sixth time on (planned once, for any values).
          await conn.query(`PREPARE plan_probe AS ${sql.text}`);
          await conn.query('SET plan_cache_mode = force_generic_plan');
          const nulls = params.map(() => 'NULL').join(', ');
          const generic = (await conn.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE plan_probe(${nulls})`)).rows;
          await conn.query('RESET plan_cache_mode');
          await conn.query('DEALLOCATE plan_probe');
          for (const rows of [custom, generic]) {
            const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
            expect(plan, `${sql.name}:\n${plan}`).not.to.match(/Seq Scan on (camera_checks|cameras)/);
            if (sql === sent[0].sql) expect(plan).to.match(/camera_checks_due_idx/);
          }
        }
      } finally {
        // On PGlite every connection shares one session: leave it as it was for the other tests.
        await conn.query('RESET plan_cache_mode').catch(() => undefined);
        await conn.query('DEALLOCATE plan_probe').catch(() => undefined);
        conn.release();
      }
    });

    it('writes state, outage rows and samples in one batch, but only for rounds it still owns', async () => {
      const [mine, stolen] = await sut.claimDue(db, 'w1', now, 2, 120_000, 0);
      await db.query(`UPDATE camera_checks SET claimed_by = 'w2' WHERE camera_id = $1`, [stolen.id]);
      const at = new Date(now.getTime() + 500);
      const round = (cameraId: string): RoundWrite => ({
        cameraId, at, status: 'offline', statusSince: at, cause: 'host down: rtsp: timeout', healthStreak: 0, healthDirection: null,
        verdict: 'offline', latencyMs: 5000, evidence: { rtsp: { ok: false, kind: 'timeout' } }, nextCheckAt: new Date(now.getTime() + 60_000), cameraChanged: true,
        change: { from: 'online', to: 'offline', fromSince: new Date(now.getTime() - 3_600_000), town: 'meizhu', network: 'sky' },
        sample: { verdict: 'offline', rtsp: { ok: false, ms: 5000, fail: 'timeout' } },
      });
      await sut.recordRounds('w1', [round(mine.id), round(stolen.id)]);
      const [cam] = await db.query<{ status: string; status_cause: string; claimed_by: string | null; last_evidence: unknown }>(
        'SELECT status, status_cause, claimed_by, last_evidence FROM cameras JOIN camera_checks ON camera_id = id WHERE id = $1', [mine.id]);
      const [other] = await db.query<{ status: string }>('SELECT status FROM cameras WHERE id = $1', [stolen.id]);
      expect(other.status).to.equal('unknown');
      expect(cam).to.deep.include({ status: 'offline', status_cause: 'host down: rtsp: timeout', claimed_by: null });
      expect(cam.last_evidence).to.deep.equal({ rtsp: { ok: false, kind: 'timeout' } });
      const log = await db.query<{ camera_id: string; to_status: string; from_since: Date }>('SELECT camera_id, to_status, from_since FROM outage_log');
      expect(log).to.have.length(1);
      expect(log[0]).to.include({ camera_id: mine.id, to_status: 'offline' });
      const samples = await db.query<{ camera_id: string; worker_id: string; rtsp_fail: string }>('SELECT camera_id, worker_id, rtsp_fail FROM probe_samples');
      expect(samples).to.deep.equal([{ camera_id: mine.id, worker_id: 'w1', rtsp_fail: 'timeout' }]);
    });

    it('a claim returns every field typed: dates as Date, null as null, numbers as numbers', async () => {
      const [first] = await sut.claimDue(db, 'w1', now, 1, 120_000, 0);
      const until = new Date(now.getTime() + 3_600_000);
      await db.query(`UPDATE cameras SET maintenance_until = $2, status = 'offline', status_since = $3, status_cause = 'rtsp: timeout' WHERE id = $1`,
        [first.id, until, new Date(now.getTime() - 1000)]);
      await db.query(`UPDATE camera_checks SET next_check_at = $2, claimed_by = NULL, health_streak = 2, health_direction = 'better', last_sample_at = $3 WHERE camera_id = $1`,
        [first.id, new Date(now.getTime() - 5000), new Date(now.getTime() - 60_000)]);
      const [again] = await sut.claimDue(db, 'w1', now, 1, 120_000, 0);
      expect(again.id).to.equal(first.id);
      expect(again).to.deep.include({ status: 'offline', statusCause: 'rtsp: timeout', healthStreak: 2, healthDirection: 'better', pointClass: 1, username: null, passwordEnc: null, onvifUrl: null });
      expect(again.maintenanceUntil).to.be.instanceOf(Date).and.to.deep.equal(until);
      expect(again.statusSince!.getTime()).to.equal(now.getTime() - 1000);
      expect(again.lastSampleAt!.getTime()).to.equal(now.getTime() - 60_000);
      expect(again.dueAt.getTime()).to.equal(now.getTime() - 5000);
      expect(again.deviceId).to.be.a('string').with.length(20);
      const [unsampled] = await sut.claimDue(db, 'w1', now, 1, 120_000, 0);
      expect(unsampled).to.deep.include({ statusSince: null, lastSampleAt: null, maintenanceUntil: null, healthDirection: null, status: 'unknown' });
      expect(await sut.claimDue(db, 'w1', new Date(now.getTime() - 10_000), 5, 120_000, 0)).to.deep.equal([]);
    });

    it('writes every field of a mixed batch and returns the outage-log id of each change', async () => {
      const [a, b, c] = await sut.claimDue(db, 'w1', now, 3, 120_000, 0);
      const at = new Date(now.getTime() + 500);
      const next = new Date(now.getTime() + 60_000);
      const base = { at, healthDirection: null, latencyMs: 12.5, nextCheckAt: next } as const;
      const rounds: RoundWrite[] = [
        // a: goes offline, with a sample of all three checks
        { ...base, cameraId: a.id, status: 'offline', statusSince: at, cause: 'host down', healthStreak: 0, verdict: 'offline', cameraChanged: true,
          evidence: { rtsp: { ok: false, kind: 'timeout', detail: '引号 "x" \\ y' } },
          change: { from: 'unknown', to: 'offline', fromSince: null, town: 'meizhu', network: 'sky' },
          sample: { verdict: 'offline', rtsp: { ok: false, ms: 5000, fail: 'timeout' }, onvif: { ok: false, ms: 5000, fail: 'timeout' }, tcp: { ok: false, ms: 3000 } } },
        // b: healthy, nothing kept but the check state
        { ...base, cameraId: b.id, status: 'unknown', statusSince: null, cause: null, healthStreak: 1, healthDirection: 'better', verdict: 'online', cameraChanged: false, evidence: { onvif: { ok: true } } },
        // c: a change to online
        { ...base, cameraId: c.id, status: 'online', statusSince: at, cause: null, healthStreak: 0, verdict: 'online', cameraChanged: true, evidence: null,
          change: { from: 'unknown', to: 'online', fromSince: new Date(now.getTime() - 7000), town: 'shizi', network: 'ground' } },
      ];
      const seqs = await sut.recordRounds('w1', rounds);
      const log = await db.query<Record<string, unknown>>('SELECT id, camera_id, town_code, network_code, from_status, to_status, at, from_since, cause, evidence, worker_id FROM outage_log ORDER BY id');
      expect(log.map((r) => r.camera_id)).to.have.members([a.id, c.id]);
      expect([...seqs.entries()]).to.have.deep.members(log.map((r) => [r.camera_id, r.id]));
      const rowA = log.find((r) => r.camera_id === a.id)!;
      expect(rowA).to.deep.include({ town_code: 'meizhu', network_code: 'sky', from_status: 'unknown', to_status: 'offline', from_since: null, cause: 'host down', worker_id: 'w1' });
      expect(rowA.at).to.deep.equal(at);
      expect(rowA.evidence).to.deep.equal({ rtsp: { ok: false, kind: 'timeout', detail: '引号 "x" \\ y' } });
      expect(log.find((r) => r.camera_id === c.id)).to.deep.include({ town_code: 'shizi', network_code: 'ground', from_since: new Date(now.getTime() - 7000), evidence: null });
      const checks = await db.query<Record<string, unknown>>(
        'SELECT camera_id, health_streak, health_direction, last_check_at, last_verdict, last_latency_ms, next_check_at, claimed_by, last_sample_at FROM camera_checks WHERE camera_id = ANY($1)', [[a.id, b.id]]);
      expect(checks.find((r) => r.camera_id === a.id)).to.deep.include({ health_streak: 0, health_direction: null, last_verdict: 'offline', last_latency_ms: 12.5, claimed_by: null, last_check_at: at, next_check_at: next, last_sample_at: at });
      expect(checks.find((r) => r.camera_id === b.id)).to.deep.include({ health_streak: 1, health_direction: 'better', last_verdict: 'online', last_sample_at: null });
      const cams = await db.query<{ id: string; status: string; status_since: Date | null; status_cause: string | null }>('SELECT id, status, status_since, status_cause FROM cameras WHERE id = ANY($1)', [[a.id, b.id, c.id]]);
      expect(cams.find((r) => r.id === b.id)).to.deep.include({ status: 'unknown', status_since: null });
      expect(cams.find((r) => r.id === c.id)).to.deep.include({ status: 'online', status_since: at, status_cause: null });
      const samples = await db.query<Record<string, unknown>>('SELECT * FROM probe_samples');
      expect(samples).to.have.length(1);
      expect(samples[0]).to.deep.include({ camera_id: a.id, at, worker_id: 'w1', verdict: 'offline', rtsp_ok: false, rtsp_ms: 5000, rtsp_fail: 'timeout',
        onvif_ok: false, onvif_ms: 5000, onvif_fail: 'timeout', tcp_ok: false, tcp_ms: 3000 });
      expect(await sut.recordRounds('w1', [])).to.deep.equal(new Map());
    });

    it('prunes samples older than the retention, never the outage log', async () => {
      const [cam] = await sut.claimDue(db, 'w', now, 1, 120_000, 0);
      const old = new Date(now.getTime() - 8 * 86_400_000);
      await db.query(`INSERT INTO probe_samples (camera_id, at, worker_id, verdict) VALUES ($1, $2, 'w', 'online'), ($1, $3, 'w', 'online')`, [cam.id, old, now]);
      await db.query(`INSERT INTO outage_log (camera_id, town_code, network_code, from_status, to_status, at) VALUES ($1, 'meizhu', 'sky', 'online', 'offline', $2)`, [cam.id, old]);
      expect(await sut.pruneSamples(new Date(now.getTime() - 7 * 86_400_000))).to.equal(1);
      expect((await db.query<{ n: number }>('SELECT count(*) AS n FROM outage_log'))[0].n).to.equal(1);
    });
  });
}
