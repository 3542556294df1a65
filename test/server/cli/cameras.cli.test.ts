import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, type CliResult } from '../../support/cli.js';

/** Runs `npm run cameras -- …` as an administrator would, on its own embedded data folder. */
function cameras(args: string[], dataDir: string): Promise<CliResult> {
  return runCli('cameras', args, { DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' });
}

describe('npm run cameras (import/export command)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sem-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers bad arguments with usage and exit code 2', async () => {
    const res = await cameras(['frobnicate'], path.join(dir, 'data'));
    expect(res.code).to.equal(2);
    expect(res.stderr).to.contain('usage:');
  });

  it('imports a CSV (reporting bad rows with exit 1 and writing nothing), then exports it', async () => {
    const data = path.join(dir, 'data');
    const file = path.join(dir, 'in.csv');
    writeFileSync(file, '名称,国标编码,所属网络,乡镇\n大门,34182100001320000001,天网,梅渚镇\n坏,123,天网,梅渚镇\n');
    const bad = await cameras(['import', file], data);
    expect(bad.code).to.equal(1);
    expect(bad.stdout).to.contain('row 3, 国标编码');
    writeFileSync(file, '名称,国标编码,所属网络,乡镇\n大门,34182100001320000001,天网,梅渚镇\n');
    const good = await cameras(['import', file], data);
    expect(good.code).to.equal(0);
    expect(good.stdout).to.contain('create 1');
    const out = path.join(dir, 'out.csv');
    const exported = await cameras(['export', out], data);
    expect(exported.code).to.equal(0);
    expect(readFileSync(out, 'utf8')).to.contain('34182100001320000001').and.contain('梅渚镇');
  });
});
