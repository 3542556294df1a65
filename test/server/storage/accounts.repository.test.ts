import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { UserRepository, type NewUser } from '../../../server/storage/user.repository.js';
import { SessionRepository } from '../../../server/storage/session.repository.js';
import { ApiTokenRepository } from '../../../server/storage/api-token.repository.js';
import { SignInThrottleRepository } from '../../../server/storage/sign-in-throttle.repository.js';
import { AuditRepository, type AuditEntry } from '../../../server/storage/audit.repository.js';
import type { Database, Queryable } from '../../../server/storage/db.js';
import { backendNames, getDatabase } from '../../support/backends.js';

// reset() leaves the accounts tables alone and other suites share the database, so every name,
// key and town here carries a random suffix and assertions look only at this test's rows.
const unique = (prefix: string) => `${prefix}${randomBytes(5).toString('hex')}`;
const newUser = (overrides: Partial<NewUser> = {}): NewUser => ({
  username: unique('u-'), displayName: 'Test User', role: 'crew', towns: null, passwordHash: '$argon2id$fake', mustChangePassword: false, ...overrides,
});
const now = new Date('2026-11-27T02:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);
class Rollback extends Error {}

for (const backend of backendNames()) {
  describe(`accounts repositories [${backend}]`, () => {
    let db: Database;
    let users: UserRepository;

    before(async () => {
      db = await getDatabase(backend);
      users = new UserRepository(db);
    });

    describe('UserRepository', () => {
      it('inserts with defaults and finds by id and by username in any case', async () => {
        const sut = (await users.insert(newUser({ username: unique('Ops.Li-'), displayName: '李', role: 'operator', towns: ['meizhu'] })))!;
        expect(sut).to.deep.include({ displayName: '李', role: 'operator', towns: ['meizhu'], mustChangePassword: false, disabled: false });
        expect(sut.createdAt).to.be.instanceOf(Date);
        expect(await users.findById(sut.id)).to.deep.equal(sut);
        for (const name of [sut.username.toUpperCase(), sut.username.toLowerCase()]) expect((await users.findByUsername(name))?.id).to.equal(sut.id);
        expect(await users.findByUsername(unique('nobody-'))).to.equal(undefined);
      });

      it('a username taken in another case is refused: insert returns undefined', async () => {
        const name = unique('Case-');
        expect(await users.insert(newUser({ username: name }))).to.not.equal(undefined);
        expect(await users.insert(newUser({ username: name.toUpperCase() }))).to.equal(undefined);
        expect(await users.insert(newUser({ username: name }))).to.equal(undefined);
      });

      it('a scoped reader sees only users whose towns lie inside the scope', async () => {
        const inside = (await users.insert(newUser({ towns: ['meizhu'] })))!;
        const both = (await users.insert(newUser({ towns: ['meizhu', 'shizi'] })))!;
        const straddles = (await users.insert(newUser({ towns: ['meizhu', 'jianping'] })))!;
        const county = (await users.insert(newUser({ towns: null })))!;
        const mine = new Set([inside.id, both.id, straddles.id, county.id]);
        const listed = async (scope: readonly string[] | null) => (await users.list(scope)).filter((u) => mine.has(u.id)).map((u) => u.id);

        expect(await listed(['meizhu', 'shizi'])).to.have.members([inside.id, both.id]);
        expect(await listed(['shizi'])).to.deep.equal([]);
        expect(await listed(null)).to.have.members([...mine]);
        expect((await users.findById(inside.id, ['meizhu', 'shizi']))?.id).to.equal(inside.id);
        expect(await users.findById(county.id, ['meizhu', 'shizi'])).to.equal(undefined);
        expect(await users.findById(straddles.id, ['meizhu', 'shizi'])).to.equal(undefined);
        expect((await users.findById(county.id, null))?.id).to.equal(county.id);
        expect(await users.findById('not-a-uuid')).to.equal(undefined);
      });

      it('lists ordered by username, ignoring case', async () => {
        const tag = unique('');
        for (const name of [`b-${tag}`, `A-${tag}`, `c-${tag}`]) await users.insert(newUser({ username: name }));
        expect((await users.list()).map((u) => u.username).filter((n) => n.endsWith(tag))).to.deep.equal([`A-${tag}`, `b-${tag}`, `c-${tag}`]);
      });

      it('update applies only the fields in the patch; towns may become null (county)', async () => {
        const before = (await users.insert(newUser({ towns: ['meizhu'], displayName: 'Before' })))!;
        const renamed = (await users.update(before.id, { displayName: 'After' }))!;
        expect(renamed).to.deep.include({ displayName: 'After', role: 'crew', towns: ['meizhu'], disabled: false });
        expect(renamed.updatedAt.getTime()).to.be.at.least(before.updatedAt.getTime());
        const changed = (await users.update(before.id, { role: 'leader', towns: null, disabled: true }))!;
        expect(changed).to.deep.include({ displayName: 'After', role: 'leader', towns: null, disabled: true });
        const back = (await users.update(before.id, { towns: ['shizi', 'meizhu'], disabled: false }))!;
        expect(back).to.deep.include({ role: 'leader', towns: ['shizi', 'meizhu'], disabled: false });
        expect(back.passwordHash).to.equal(before.passwordHash);
        expect(await users.update('00000000-0000-4000-8000-000000000000', { displayName: 'x' })).to.equal(undefined);
      });

      it('setPassword replaces the hash and the must-change flag and stamps the change', async () => {
        const before = (await users.insert(newUser({ mustChangePassword: true })))!;
        await users.setPassword(before.id, '$argon2id$new', false);
        const after = (await users.findById(before.id))!;
        expect(after).to.deep.include({ passwordHash: '$argon2id$new', mustChangePassword: false });
        expect(after.passwordChangedAt.getTime()).to.be.at.least(before.passwordChangedAt.getTime());
        await users.setPassword(before.id, '$argon2id$otp', true);
        expect((await users.findById(before.id))!.mustChangePassword).to.equal(true);
      });

      it('insertFirst inserts nothing once an admin exists, and inserts into an empty table', async () => {
        // Both cases in transactions that are rolled back: the shared table keeps its rows, and no
        // admin is left behind (a later suite's first-admin set-up needs the county without one).
        const first = newUser({ role: 'admin' });
        await rolledBack(async (tx) => {
          const sut = new UserRepository(tx);
          await sut.insert(newUser({ role: 'admin' }));
          expect(await sut.insertFirst(first)).to.equal(undefined);
          expect(await sut.findByUsername(first.username)).to.equal(undefined);
        });
        await rolledBack(async (tx) => {
          await tx.query('DELETE FROM users');
          const sut = new UserRepository(tx);
          expect(await sut.insertFirst(first)).to.deep.include({ username: first.username, role: 'admin' });
          expect(await sut.insertFirst(newUser({ role: 'admin' }))).to.equal(undefined);
          expect(await tx.query('SELECT username FROM users')).to.deep.equal([{ username: first.username }]);
        });
        expect(await users.findByUsername(first.username)).to.equal(undefined);
      });
    });

    /** Runs `body` in a transaction that is always rolled back. */
    async function rolledBack(body: (tx: Queryable) => Promise<void>): Promise<void> {
      await db
        .transaction(async (tx) => {
          await body(tx);
          throw new Rollback();
        })
        .catch((err: unknown) => { if (!(err instanceof Rollback)) throw err; }); // prettier-ignore
    }

    describe('SessionRepository', () => {
      let sut: SessionRepository;
      let userId: string;
      before(() => (sut = new SessionRepository(db)));
      beforeEach(async () => (userId = (await users.insert(newUser()))!.id));
      const session = (idHash: string, expiresInMs = 3_600_000) => ({ idHash, userId, csrfToken: unique('csrf-'), now, expiresAt: at(expiresInMs) });

      it('inserts and finds a session with its user; touch moves last_seen_at', async () => {
        const idHash = unique('s-');
        await sut.insert({ ...session(idHash), ip: '10.0.0.7', userAgent: 'x'.repeat(400) });
        const found = (await sut.find(idHash))!;
        expect(found.userId).to.equal(userId);
        expect(found.session).to.deep.include({ idHash, userId, ip: '10.0.0.7', createdAt: now, lastSeenAt: now, expiresAt: at(3_600_000) });
        expect(found.session.userAgent).to.have.length(300);
        await sut.touch(idHash, at(5000));
        expect((await sut.find(idHash))!.session.lastSeenAt).to.deep.equal(at(5000));
        expect(await sut.find(unique('missing-'))).to.equal(undefined);
        await sut.delete(idHash);
        expect(await sut.find(idHash)).to.equal(undefined);
      });

      it('deleteForUser ends every session of the user but the one kept', async () => {
        const [keep, a, b] = [unique('keep-'), unique('a-'), unique('b-')];
        for (const id of [keep, a, b]) await sut.insert(session(id));
        const otherUser = (await users.insert(newUser()))!.id;
        const other = unique('other-');
        await sut.insert({ ...session(other), userId: otherUser });
        expect(await sut.deleteForUser(userId, keep)).to.equal(2);
        expect((await sut.listForUser(userId)).map((s) => s.idHash)).to.deep.equal([keep]);
        expect(await sut.deleteForUser(userId)).to.equal(1);
        expect(await sut.listForUser(userId)).to.deep.equal([]);
        expect(await sut.find(other)).to.not.equal(undefined);
      });

      it('pruneExpired drops sessions past their end or idle too long', async () => {
        const [expired, idle, fresh] = [unique('exp-'), unique('idle-'), unique('fresh-')];
        await sut.insert(session(expired, 1000));
        await sut.insert(session(idle));
        await sut.insert(session(fresh));
        await sut.touch(fresh, at(30 * 60_000));
        // at now + 31 min: `expired` ended at +1 s; `idle` was last seen at +0, before the idle limit (+1 min)
        expect(await sut.pruneExpired(at(31 * 60_000), at(60_000))).to.be.at.least(2);
        expect(await sut.find(expired)).to.equal(undefined);
        expect(await sut.find(idle)).to.equal(undefined);
        expect(await sut.find(fresh)).to.not.equal(undefined);
      });
    });

    describe('ApiTokenRepository', () => {
      let sut: ApiTokenRepository;
      let owner: { id: string; username: string };
      before(() => (sut = new ApiTokenRepository(db)));
      beforeEach(async () => (owner = (await users.insert(newUser({ role: 'operator' })))!));
      const token = (towns: string[] | null, userId = owner.id) => ({ name: unique('tok-'), secretHash: unique('h-'), userId, role: 'crew' as const, towns, createdBy: 'admin', expiresAt: null });

      it('inserts and finds a token with its owner\'s username', async () => {
        const created = await sut.insert({ ...token(['meizhu']), expiresAt: at(86_400_000) });
        expect(created).to.deep.include({ userId: owner.id, username: owner.username, role: 'crew', towns: ['meizhu'], createdBy: 'admin', expiresAt: at(86_400_000), lastUsedAt: null, revokedAt: null });
        expect(await sut.find(created.id)).to.deep.equal(created);
        for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) expect(await sut.find(id)).to.equal(undefined);
      });

      it('findWithOwner reads the token with its owner\'s current role, towns and state in one go', async () => {
        const created = await sut.insert(token(['meizhu']));
        expect(await sut.findWithOwner(created.id)).to.deep.equal({ token: created, owner: { role: 'operator', towns: null, disabled: false } });
        await users.update(owner.id, { role: 'crew', towns: ['meizhu'], disabled: true });
        expect((await sut.findWithOwner(created.id))!.owner).to.deep.equal({ role: 'crew', towns: ['meizhu'], disabled: true });
        for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) expect(await sut.findWithOwner(id)).to.equal(undefined);
      });

      it('lists by scope and by user, newest first', async () => {
        const scoped = await sut.insert(token(['meizhu']));
        // Created a minute apart: two inserts can share a clock reading (PGlite's clock), and ties have no order.
        await db.query(`UPDATE api_tokens SET created_at = created_at - interval '1 minute' WHERE id = $1`, [scoped.id]);
        const county = await sut.insert(token(null));
        const otherUser = (await users.insert(newUser()))!.id;
        const others = await sut.insert(token(['meizhu'], otherUser));
        const mine = new Set([scoped.id, county.id, others.id]);
        const ids = async (scope: readonly string[] | null, userId?: string) => (await sut.list(scope, userId)).map((t) => t.id).filter((id) => mine.has(id));
        expect(await ids(['meizhu', 'shizi'])).to.have.members([scoped.id, others.id]);
        expect(await ids(null)).to.have.members([scoped.id, county.id, others.id]);
        expect(await ids(null, owner.id)).to.deep.equal([county.id, scoped.id]);
        expect(await ids(['meizhu', 'shizi'], owner.id)).to.deep.equal([scoped.id]);
        expect(await ids(['shizi'], owner.id)).to.deep.equal([]);
      });

      it('markUsed writes at most once a minute', async () => {
        const { id } = await sut.insert(token(null));
        const lastUsed = async () => (await sut.find(id))!.lastUsedAt?.getTime();
        // used at +ms → last_used_at recorded (+ms)
        for (const [ms, recorded] of [[0, 0], [30_000, 0], [60_000, 0], [61_000, 61_000], [90_000, 61_000]]) {
          await sut.markUsed(id, at(ms));
          expect(await lastUsed(), `used at +${ms} ms`).to.equal(at(recorded).getTime());
        }
      });

      it('markUsed skips the write when the last_used_at it is given lies within the minute', async () => {
        const { id } = await sut.insert(token(null));
        const lastUsed = async () => (await sut.find(id))!.lastUsedAt?.getTime();
        // The caller passes the last_used_at it just read: one within the minute means this minute's use is on record.
        await sut.markUsed(id, at(0), at(-30_000));
        expect(await lastUsed(), 'given a use 30 s ago').to.equal(undefined);
        await sut.markUsed(id, at(0), at(-61_000));
        expect(await lastUsed(), 'given a use 61 s ago').to.equal(at(0).getTime());
        await sut.markUsed(id, at(120_000), null);
        expect(await lastUsed(), 'given no use').to.equal(at(120_000).getTime());
      });

      it('revoke is idempotent and keeps the first revocation time', async () => {
        const { id } = await sut.insert(token(null));
        expect((await sut.revoke(id, now))!.revokedAt?.getTime()).to.equal(now.getTime());
        expect((await sut.revoke(id, at(60_000)))!.revokedAt?.getTime()).to.equal(now.getTime());
        for (const missing of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) expect(await sut.revoke(missing, now)).to.equal(undefined);
      });
    });

    describe('SignInThrottleRepository', () => {
      it('saves (upserting), loads the keys asked for, and clears', async () => {
        const sut = new SignInThrottleRepository(db);
        const [account, ip, missing] = [unique('account:'), unique('ip:'), unique('ip:')];
        await sut.save(account, { failures: 1, lastFailureAt: now, lockedUntil: null });
        await sut.save(ip, { failures: 20, lastFailureAt: now, lockedUntil: at(60_000) });
        await sut.save(account, { failures: 5, lastFailureAt: at(1000), lockedUntil: at(61_000) });
        const loaded = await sut.load([account, ip, missing]);
        expect([...loaded.keys()]).to.have.members([account, ip]);
        expect(loaded.get(account)).to.deep.equal({ failures: 5, lastFailureAt: at(1000), lockedUntil: at(61_000) });
        expect(loaded.get(ip)).to.deep.equal({ failures: 20, lastFailureAt: now, lockedUntil: at(60_000) });
        await sut.clear(account);
        expect([...(await sut.load([account, ip])).keys()]).to.deep.equal([ip]);
        expect((await sut.load([])).size).to.equal(0);
      });
    });

    describe('AuditRepository', () => {
      let sut: AuditRepository;
      let [town, other] = ['', ''];
      before(() => (sut = new AuditRepository(db)));
      beforeEach(() => ([town, other] = [unique('t'), unique('t')]));
      const entry = (e: Partial<AuditEntry>): AuditEntry => ({ actorType: 'user', actorName: 'Alice', action: 'camera.update', towns: [town], ...e });

      it('appends several entries in one statement and reads them newest first', async () => {
        const actorId = unique('id-');
        await sut.append([
          entry({ actorId, ip: '10.0.0.1', targetType: 'camera', targetId: 'c1', targetLabel: 'cam 1', detail: { changes: { name: { before: 'a', after: 'b' } } } }),
          entry({ action: 'camera.create', outcome: 'failed', towns: [town, other] }),
          entry({ actorType: 'system', actorName: 'system', action: 'user.create', outcome: 'denied', towns: [town] }),
        ]);
        await sut.append([]);
        const rows = await sut.query({ scope: [town, other], limit: 10 });
        expect(rows.map((r) => r.action)).to.deep.equal(['user.create', 'camera.create', 'camera.update']);
        expect(rows[0].id).to.be.greaterThan(rows[1].id).and.greaterThan(rows[2].id);
        expect(rows[2]).to.deep.include({ actorType: 'user', actorId, actorName: 'Alice', ip: '10.0.0.1', outcome: 'ok', targetType: 'camera', targetId: 'c1', targetLabel: 'cam 1', towns: [town] });
        expect(rows[2].detail).to.deep.equal({ changes: { name: { before: 'a', after: 'b' } } });
        expect(rows[2].at).to.be.instanceOf(Date);
        expect(rows[1]).to.deep.include({ actorId: null, ip: null, targetType: null, outcome: 'failed', towns: [town, other], detail: {} });
      });

      it('filters by action (exact or prefix), actor in any case, outcome, target and towns', async () => {
        await sut.append([
          entry({ action: 'camera.update', actorName: 'Alice', targetType: 'camera', targetId: 'c1' }),
          entry({ action: 'camera.create', actorName: 'BOB', outcome: 'denied' }),
          entry({ action: 'cameras', actorName: 'bob' }),
          entry({ action: 'user.update', actorName: 'alice', targetType: 'user', targetId: 'u1' }),
          entry({ action: 'camera.check', towns: [other] }),
          entry({ action: 'camera.import', towns: [town, other] }),
          entry({ action: 'camera.restore', towns: null }),
        ]);
        const actions = async (q: Parameters<AuditRepository['query']>[0]) => (await sut.query(q)).map((r) => r.action);
        expect(await actions({ scope: [town], action: 'camera.update', limit: 10 })).to.deep.equal(['camera.update']);
        expect(await actions({ scope: [town], action: 'camera.', limit: 10 })).to.deep.equal(['camera.create', 'camera.update']);
        expect(await actions({ scope: [town], action: 'camera', limit: 10 })).to.deep.equal([]);
        expect(await actions({ scope: [town], actor: 'ALICE', limit: 10 })).to.deep.equal(['user.update', 'camera.update']);
        expect(await actions({ scope: [town], actor: 'Bob', outcome: 'denied', limit: 10 })).to.deep.equal(['camera.create']);
        expect(await actions({ scope: [town], targetType: 'user', targetId: 'u1', limit: 10 })).to.deep.equal(['user.update']);
        expect(await actions({ scope: [other], limit: 10 })).to.deep.equal(['camera.check']);
        expect(await actions({ scope: [town, other], action: 'camera.', limit: 10 })).to.deep.equal(['camera.import', 'camera.check', 'camera.create', 'camera.update']);
        const everything = await sut.query({ scope: null, limit: 1000 });
        expect(everything.map((r) => r.action)).to.include.members(['camera.restore', 'camera.import']);
      });

      it('pages newest first with beforeId, and bounds by time', async () => {
        await sut.append(['a.1', 'a.2', 'a.3', 'a.4', 'a.5'].map((action) => entry({ action })));
        const first = await sut.query({ scope: [town], limit: 2 });
        expect(first.map((r) => r.action)).to.deep.equal(['a.5', 'a.4']);
        const second = await sut.query({ scope: [town], limit: 2, beforeId: first[1].id });
        expect(second.map((r) => r.action)).to.deep.equal(['a.3', 'a.2']);
        const last = await sut.query({ scope: [town], limit: 2, beforeId: second[1].id });
        expect(last.map((r) => r.action)).to.deep.equal(['a.1']);
        const stamp = first[0].at;
        expect(await sut.query({ scope: [town], limit: 10, from: new Date(stamp.getTime() + 1) })).to.deep.equal([]);
        expect(await sut.query({ scope: [town], limit: 10, to: stamp })).to.deep.equal([]);
        expect(await sut.query({ scope: [town], limit: 10, from: stamp, to: new Date(stamp.getTime() + 1) })).to.have.length(5);
      });

      it('the database refuses UPDATE and DELETE on audit_log', async () => {
        await sut.append([entry({ action: 'keep.me' })]);
        const [row] = await sut.query({ scope: [town], limit: 1 });
        for (const sql of [`UPDATE audit_log SET action = 'tampered' WHERE id = $1`, 'DELETE FROM audit_log WHERE id = $1']) {
          const err = await db.query(sql, [row.id]).then(() => undefined, (e: unknown) => e);
          expect(err, sql).to.be.instanceOf(Error).with.property('message').that.contains('append-only');
        }
        expect((await sut.query({ scope: [town], limit: 1 }))[0]).to.deep.include({ id: row.id, action: 'keep.me' });
      });
    });
  });
}
