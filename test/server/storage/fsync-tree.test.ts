import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fsyncTree } from '../../../server/storage/fsync-tree.js';

describe('fsyncTree', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sem-fsync-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('flushes a nested folder without touching its content, and accepts a folder that is gone', () => {
    mkdirSync(path.join(dir, 'base', '1'), { recursive: true });
    writeFileSync(path.join(dir, 'base', '1', '1259'), 'page');
    writeFileSync(path.join(dir, 'PG_VERSION'), '17');

    fsyncTree(dir);

    expect(readFileSync(path.join(dir, 'base', '1', '1259'), 'utf8')).to.equal('page');
    expect(() => fsyncTree(path.join(dir, 'gone'))).to.not.throw();
  });
});
