import { expect } from 'chai';
import { getDatabase } from './support/backends.js';
import { startTestServer } from './support/test-server.js';
import { leakedSecrets, readRunLog, RUN_LOG } from './support/run-log.js';
import { rememberSecret, usedSecrets } from './support/secrets.js';

/**
 * The root hook (test/support/root-hooks.ts) scans this run's log for every password, key and
 * token the run used once all suites are done; this suite shows the scan has teeth.
 */
describe('secrets never reach the logs', function () {
  this.timeout(60_000);

  it('finds a secret in a log text, also URL-encoded, and names it only by its first characters', () => {
    const found = leakedSecrets('{"msg":"x","url":"rtsp://admin:p%40ss%20word!@10.0.0.1"}', ['p@ss word!', 'never-there-123']);
    expect(found).to.deep.equal(['p@s… (10 chars)']);
  });

  it('writes test servers’ logs to the run log, with failed sign-ins and refused requests but no password', async () => {
    const sut = await startTestServer(await getDatabase('pglite'));
    const attempted = 'Tried-this-at-3am!';
    rememberSecret(attempted);
    try {
      await fetch(`${sut.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: attempted }) });
      await fetch(`${sut.url}/cameras`, { headers: { authorization: `Bearer ${sut.adminToken}x` } });
    } finally {
      await sut.close();
    }
    const log = readRunLog();
    expect(log, RUN_LOG).to.match(/"msg":"request refused","method":"POST","path":"\/api\/v1\/auth\/login","status":401/);
    expect(log).to.match(/"path":"\/api\/v1\/cameras","status":401/);
    expect(leakedSecrets(log, usedSecrets())).to.deep.equal([]);
    expect(usedSecrets().size).to.be.greaterThan(2);
  });
});
