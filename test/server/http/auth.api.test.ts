import { expect } from 'chai';
import type { Database } from '../../../server/storage/db.js';
import { backendNames, getDatabase } from '../../support/backends.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { createUser, signIn, tokenFor, withSession, withToken } from '../../support/accounts.js';
import { deviceId } from '../../support/cameras.js';
import { json } from '../../support/http.js';
import { rememberSecret } from '../../support/secrets.js';

const camera = (i: number, town = '梅渚镇') => JSON.stringify({ deviceId: deviceId(900_000 + i), name: `auth cam ${i}`, network: '天网', town });

for (const backend of backendNames()) {
  describe(`sign-in and sessions [${backend}]`, function () {
    this.timeout(60_000);
    let db: Database;
    let sut: TestServer;

    before(async () => {
      db = await getDatabase(backend);
      sut = await startTestServer(db);
    });
    after(async () => {
      await db.query('TRUNCATE sign_in_throttle');
      await sut.close();
    });

    it('signs in with an httpOnly SameSite=Strict cookie, Secure only behind TLS, and answers /auth/me', async () => {
      const u = await createUser(sut, 'operator', ['meizhu']);
      const s = await signIn(sut, u.username, u.password);
      expect(s.status).to.equal(200);
      expect(s.setCookie).to.match(/^sem_session=[A-Za-z0-9_-]{43}; Max-Age=\d+; Path=\/; Expires=.*; HttpOnly; SameSite=Strict$/);
      expect(s.body.user).to.include({ username: u.username, role: 'operator', mustChangePassword: false });
      const me = await json(await withSession(sut, s)('/auth/me'));
      expect(me).to.deep.include({ csrfToken: s.csrf, kind: 'session' });
      expect(me.user.towns).to.deep.equal(['meizhu']);
      expect(me.user.permissions).to.include.members(['cameras:read', 'cameras:check']).and.not.include('cameras:write');
      const tls = await signIn(sut, u.username, u.password, { 'x-forwarded-proto': 'https' });
      expect(tls.setCookie).to.match(/; Secure; SameSite=Strict$/);
    });

    it('answers 401 alike for a wrong password and an unknown user, and records both', async () => {
      const u = await createUser(sut, 'crew', ['shizi']);
      const wrong = await signIn(sut, u.username, 'not the password at all');
      const unknown = await signIn(sut, 'nobody-here', 'not the password at all');
      expect([wrong.status, unknown.status]).to.deep.equal([401, 401]);
      expect(wrong.body).to.deep.equal(unknown.body);
      expect(wrong.body.error).to.equal('invalid_credentials');
      const audit = await db.query<{ target_label: string; detail: { reason: string } }>(
        "SELECT target_label, detail FROM audit_log WHERE action = 'auth.login_failed' AND target_label = ANY($1) ORDER BY id", [[u.username, 'nobody-here']]);
      expect(audit.map((a) => a.detail.reason)).to.deep.equal(['wrong password', 'unknown user']);
    });

    it('locks an account after 5 failures with back-off, even against the right password', async () => {
      const u = await createUser(sut, 'crew', ['shizi']);
      for (let i = 0; i < 5; i++) expect((await signIn(sut, u.username, `wrong guess ${i}`, { 'x-forwarded-for': `10.9.0.${i}` })).status).to.equal(401);
      const locked = await fetch(`${sut.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u.username, password: u.password }) });
      expect(locked.status).to.equal(429);
      expect(Number(locked.headers.get('retry-after'))).to.be.within(1, 60);
      expect((await json(locked)).error).to.equal('locked');
      await db.query("UPDATE sign_in_throttle SET locked_until = now() - interval '1 second' WHERE key = $1", [`account:${u.username}`]);
      expect((await signIn(sut, u.username, 'sixth wrong guess')).status).to.equal(401);
      const again = await fetch(`${sut.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u.username, password: u.password }) });
      expect(again.status).to.equal(429);
      expect(Number(again.headers.get('retry-after'))).to.be.within(61, 120); // doubled
    });

    it('lifts an account lockout when an admin resets the password', async () => {
      const u = await createUser(sut, 'operator');
      for (let i = 0; i < 6; i++) await signIn(sut, u.username, `wrong guess ${i}`, { 'x-forwarded-for': `10.8.0.${i}` });
      expect((await signIn(sut, u.username, u.password)).status).to.equal(429);
      const reset = await json(await sut.api(`/users/${u.id}/reset-password`, { method: 'POST' }));
      rememberSecret(reset.oneTimePassword);
      const afterReset = await signIn(sut, u.username, reset.oneTimePassword);
      expect(afterReset.status).to.equal(200);
      expect(afterReset.body.user).to.include({ mustChangePassword: true });
    });

    it('locks a client address after 20 failures across accounts', async () => {
      const ip = { 'x-forwarded-for': '10.66.0.7' };
      for (let i = 0; i < 20; i++) expect((await signIn(sut, `sprayed-${i}`, 'Password123!', ip)).status).to.equal(401);
      const u = await createUser(sut, 'leader');
      expect((await signIn(sut, u.username, u.password, ip)).status).to.equal(429);
      expect((await signIn(sut, u.username, u.password, { 'x-forwarded-for': '10.66.0.8' })).status).to.equal(200);
    });

    it('ends a session after its idle timeout and after its absolute end', async () => {
      const u = await createUser(sut, 'operator');
      const idle = await signIn(sut, u.username, u.password);
      const absolute = await signIn(sut, u.username, u.password);
      expect((await withSession(sut, idle)('/cameras?limit=1')).status).to.equal(200);
      await db.query("UPDATE sessions SET last_seen_at = now() - interval '121 minutes' WHERE csrf_token = $1", [idle.csrf]);
      await db.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE csrf_token = $1", [absolute.csrf]);
      for (const s of [idle, absolute]) {
        const res = await withSession(sut, s)('/cameras?limit=1');
        expect(res.status).to.equal(401);
        expect((await json(res)).error).to.equal('unauthenticated');
      }
      expect(await db.query('SELECT 1 FROM sessions WHERE csrf_token = ANY($1)', [[idle.csrf, absolute.csrf]])).to.have.length(0);
    });

    it('refuses a cookie-authenticated write without the CSRF token, accepts it with the token', async () => {
      const admin = await signIn(sut, sut.admin.username, sut.admin.password);
      const bare = await withSession(sut, admin, { csrf: false })('/cameras', { method: 'POST', body: camera(1) });
      expect(bare.status).to.equal(403);
      expect((await json(bare)).error).to.equal('csrf_failed');
      const wrong = await withSession(sut, { cookie: admin.cookie, csrf: 'x'.repeat(43) })('/cameras', { method: 'POST', body: camera(1) });
      expect(wrong.status).to.equal(403);
      expect((await withSession(sut, admin)('/cameras', { method: 'POST', body: camera(1) })).status).to.equal(201);
    });

    it('accepts API tokens until revoked, and refuses a bad one outright', async () => {
      const u = await createUser(sut, 'leader', ['meizhu']);
      const token = await tokenFor(sut, u, 'city platform');
      expect((await withToken(sut, token)('/towns')).status).to.equal(200);
      const [row] = await db.query<{ id: string; last_used_at: Date | null }>('SELECT id, last_used_at FROM api_tokens WHERE user_id = $1', [u.id]);
      expect(row.last_used_at).to.be.instanceOf(Date);
      expect((await sut.api(`/tokens/${row.id}/revoke`, { method: 'POST' })).status).to.equal(200);
      const res = await withToken(sut, token)('/towns');
      expect(res.status).to.equal(401);
      expect((await withToken(sut, 'sem_garbage')('/towns')).status).to.equal(401);
      expect((await withToken(sut, token)('/health')).status).to.equal(401); // a bad token is never silently anonymous
    });

    it('takes a token down with its account when the account is demoted below it or disabled', async () => {
      const u = await createUser(sut, 'operator');
      const token = await tokenFor(sut, u, 'night script');
      const patch = (body: object) => sut.api(`/users/${u.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await withToken(sut, token)('/cameras')).status).to.equal(200);
      expect((await patch({ role: 'crew' })).status).to.equal(200);
      expect((await withToken(sut, token)('/cameras')).status).to.equal(401);
      expect((await patch({ role: 'operator' })).status).to.equal(200);
      expect((await withToken(sut, token)('/cameras')).status).to.equal(200);
      expect((await patch({ disabled: true })).status).to.equal(200);
      expect((await withToken(sut, token)('/cameras')).status).to.equal(401);
    });

    it('forces a one-time password to be changed at first sign-in, then ends the other sessions', async () => {
      const created = await sut.api('/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `crew-otp-${Date.now()}`, role: 'crew', towns: ['十字镇'] }) });
      expect(created.status).to.equal(201);
      const { user, oneTimePassword } = await json(created);
      rememberSecret(oneTimePassword, 'Maple dawn over Shizi');
      expect(user.towns).to.deep.equal(['shizi']);
      const first = await signIn(sut, user.username, oneTimePassword);
      const second = await signIn(sut, user.username, oneTimePassword);
      expect(first.body.user).to.include({ mustChangePassword: true });
      expect((first.body.user as { permissions: string[] }).permissions).to.deep.equal(['self']);
      const blocked = await withSession(sut, first)('/cameras');
      expect(blocked.status).to.equal(403);
      expect((await json(blocked)).error).to.equal('password_change_required');
      const call = withSession(sut, first);
      const change = (body: object) => call('/auth/password', { method: 'POST', body: JSON.stringify(body) });
      const weak = await change({ currentPassword: oneTimePassword, newPassword: 'password123' });
      expect(weak.status).to.equal(400);
      expect((await json(weak)).problems[0]).to.include({ field: 'newPassword', code: 'common' });
      const wrongCurrent = await change({ currentPassword: 'not it at all', newPassword: 'Maple dawn over Shizi' });
      expect((await json(wrongCurrent)).problems[0]).to.include({ field: 'currentPassword', code: 'wrong_current' });
      const ok = await change({ currentPassword: oneTimePassword, newPassword: 'Maple dawn over Shizi' });
      expect(ok.status).to.equal(200);
      expect((await json(ok)).user.mustChangePassword).to.equal(false);
      expect((await call('/cameras')).status).to.equal(200);
      expect((await withSession(sut, second)('/cameras')).status).to.equal(401);
    });

    it('signs out one session, and every session', async () => {
      const u = await createUser(sut, 'operator');
      const [a, b, c] = [await signIn(sut, u.username, u.password), await signIn(sut, u.username, u.password), await signIn(sut, u.username, u.password)];
      const out = await withSession(sut, a)('/auth/logout', { method: 'POST' });
      expect(out.status).to.equal(204);
      expect(out.headers.get('set-cookie')).to.match(/^sem_session=;/);
      expect((await withSession(sut, a)('/auth/me')).status).to.equal(401);
      expect((await withSession(sut, b)('/auth/me')).status).to.equal(200);
      expect((await withSession(sut, b)('/auth/logout-all', { method: 'POST' })).status).to.equal(204);
      for (const s of [b, c]) expect((await withSession(sut, s)('/auth/me')).status).to.equal(401);
    });

    it('refuses a disabled account and ends its sessions', async () => {
      const u = await createUser(sut, 'crew', ['meizhu']);
      const s = await signIn(sut, u.username, u.password);
      const patched = await sut.api(`/users/${u.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ disabled: true }) });
      expect(patched.status).to.equal(200);
      expect((await withSession(sut, s)('/auth/me')).status).to.equal(401);
      expect((await signIn(sut, u.username, u.password)).status).to.equal(401);
    });

    it('keeps secrets out of every answer: no hashes, no token secrets in lists', async () => {
      const u = await createUser(sut, 'leader');
      await tokenFor(sut, u);
      const text = (await (await sut.api('/users')).text()) + (await (await sut.api('/tokens')).text());
      expect(text).not.to.match(/argon2|secret|password_hash|passwordHash/i);
      expect(text).not.to.include(u.password);
    });
  });
}
