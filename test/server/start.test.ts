import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/index.js';
import { startServer } from '../../server/start.js';
import { runLogger } from '../support/run-log.js';
import { rememberSecret } from '../support/secrets.js';
import { json } from '../support/http.js';

async function login(url: string, username: string, password: string) {
  const res = await fetch(`${url}api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return { status: res.status, body: await json(res) };
}

describe('first start: the first admin account', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const config = (env: Record<string, string> = {}) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sem-first-start-'));
    dirs.push(dir);
    return loadConfig({ DATA_DIR: dir, PORT: '0', WORKER_ENABLED: 'false', ...env });
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('prints a one-time password once, which must be changed at first sign-in', async () => {
    const cfg = config();
    const shown: string[] = [];
    const first = await startServer(cfg, runLogger(), { announce: (t) => shown.push(t) });
    try {
      expect(shown).to.have.length(1);
      const password = /One-time password: (\S+)/.exec(shown[0])![1];
      expect(password).to.have.length(16);
      const signedIn = await login(first.url, 'admin', password);
      expect(signedIn.status).to.equal(200);
      expect(signedIn.body.user).to.include({ role: 'admin', mustChangePassword: true });
      expect(signedIn.body.user.towns).to.equal(null);
    } finally {
      await first.stop();
    }
    const again = await startServer(cfg, runLogger(), { announce: (t) => shown.push(t) });
    await again.stop();
    expect(shown, 'never shown a second time').to.have.length(1);
  });

  it('uses ADMIN_INITIAL_PASSWORD for automated deployments, without a forced change', async () => {
    const password = 'Deploy-pipeline secret 7';
    rememberSecret(password);
    const shown: string[] = [];
    const server = await startServer(config({ ADMIN_INITIAL_PASSWORD: password }), runLogger(), { announce: (t) => shown.push(t) });
    try {
      expect(shown).to.have.length(0);
      const signedIn = await login(server.url, 'admin', password);
      expect(signedIn.body.user).to.include({ mustChangePassword: false });
      expect(signedIn.body.user.permissions).to.include('users:manage');
    } finally {
      await server.stop();
    }
  });
});
