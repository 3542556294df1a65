import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, type CliResult } from '../../support/cli.js';
import { appendToRunLog } from '../../support/run-log.js';
import { rememberSecret } from '../../support/secrets.js';

/** Runs `npm run users -- …` on its own embedded data folder; stderr (the log) joins the run log. */
async function users(args: string[], dataDir: string, stdin = ''): Promise<CliResult> {
  const res = await runCli('users', args, { DATA_DIR: dataDir, DATABASE_URL: '', PGLITE_DIR: '', CONFIG_FILE: '', LOG_LEVEL: 'info' }, stdin);
  appendToRunLog('users-cli', res.stderr);
  return res;
}

describe('npm run users (accounts from the command line)', function () {
  this.timeout(120_000);
  let dataDir: string;
  before(() => (dataDir = mkdtempSync(path.join(os.tmpdir(), 'sem-users-cli-'))));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates accounts with a one-time or a piped password, issues and revokes tokens, lists, disables', async () => {
    const created = await users(['create', 'wang.crew', '--role', 'crew', '--towns', '梅渚镇,十字镇', '--name', '王师傅'], dataDir);
    expect(created.code, created.stderr).to.equal(0);
    expect(JSON.parse(created.stdout.split('\n')[0])).to.deep.equal({ created: 'wang.crew', role: 'crew', towns: ['meizhu', 'shizi'] });
    const otp = /one-time password .*: (\S+)/.exec(created.stdout)![1];
    rememberSecret(otp);

    const chosen = 'Leader reads reports 2026';
    rememberSecret(chosen);
    expect((await users(['create', 'li.leader', '--role', 'leader', '--password-stdin'], dataDir, `${chosen}\n`)).code).to.equal(0);
    const weak = await users(['create', 'weak.one', '--role', 'crew', '--password-stdin'], dataDir, 'password1\n');
    expect(weak.code).to.equal(1);
    expect(weak.stderr).to.match(/refused: password must be at least 10 characters/);

    const token = await users(['token', 'li.leader', '--name', '市平台', '--expires-days', '30'], dataDir);
    expect(token.code, token.stderr).to.equal(0);
    const secret = /API token .*: (sem_\S+)/.exec(token.stdout)![1];
    rememberSecret(secret);
    const tokenId = JSON.parse(token.stdout.split('\n')[0]).token as string;
    const revoked = await users(['revoke-token', tokenId], dataDir);
    expect(JSON.parse(revoked.stdout).revoked).to.equal(tokenId);

    expect((await users(['disable', 'wang.crew'], dataDir)).code).to.equal(0);
    const listed = (await users(['list'], dataDir)).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(listed.map((u) => [u.username, u.role, u.disabled, u.mustChangePassword])).to.deep.equal([
      ['li.leader', 'leader', false, false],
      ['wang.crew', 'crew', true, true],
    ]);
    for (const out of [created, token, revoked]) expect(out.stderr).not.to.include(chosen);
  });

  it('exits 2 on bad arguments and 1 for an unknown account', async () => {
    expect((await users(['create', 'x'], dataDir)).code).to.equal(2);
    expect((await users(['create', 'x', '--role', 'boss'], dataDir)).code).to.equal(2);
    expect((await users(['fly'], dataDir)).code).to.equal(2);
    const missing = await users(['reset', 'nobody'], dataDir);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.include('user nobody not found');
  });
});
