import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { WORKER_NODE_FLAGS } from '../../workers/runtime-flags.js';

const root = new URL('../../', import.meta.url);

describe('runtime-flags', () => {
  const scripts = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }).scripts;

  for (const name of ['start', 'worker', 'demo']) {
    it(`npm run ${name} starts node with the worker's flags`, () => {
      expect(scripts[name]).to.equal(`node ${WORKER_NODE_FLAGS.join(' ')} ${scripts[name].slice(scripts[name].indexOf('--import'))}`);
    });
  }

  it("the Dockerfile's command carries them too", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(new URL('Dockerfile', root), 'utf8'));
    expect(JSON.parse(cmd![1])).to.deep.equal(['node', ...WORKER_NODE_FLAGS, '--import', 'tsx', 'server/main.ts']);
  });

  it('this Node accepts them (an unknown V8 flag stops node with "bad option")', () => {
    const run = spawnSync(process.execPath, [...WORKER_NODE_FLAGS, '-e', 'process.stdout.write("up")'], { encoding: 'utf8' });
    expect([run.status, run.stdout, run.stderr]).to.deep.equal([0, 'up', '']);
  });
});
