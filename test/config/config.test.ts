import { expect } from 'chai';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, describeDatabase, loadConfig } from '../../config/index.js';

describe('config', () => {
  it('has documented defaults', () => {
    const sut = loadConfig({});
    expect(sut).to.include({ port: 8080, host: '127.0.0.1', tzDisplay: 'Asia/Shanghai', countyCode: '341821', databaseUrl: undefined });
    expect(sut.dataDir).to.equal(path.resolve('./data'));
    expect(sut.pgliteDir).to.equal(path.resolve('./data/pg'));
    expect(sut.towns.map((t) => t.name)).to.deep.equal(['建平镇', '十字镇', '梅渚镇', '新发镇', '涛城镇', '飞鲤镇', '毕桥镇', '姚村乡']);
    expect(sut.networks.map((n) => `${n.code}:${n.name}`)).to.deep.equal(['sky:天网', 'ground:地网', 'vehicle:车网', 'station:栈网']);
    expect(Object.isFrozen(sut)).to.equal(true);
  });

  // Each bad key must be named; the table lists input → the key expected in the message.
  const badCases: Array<[Record<string, string>, string]> = [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ TZ_DISPLAY: 'Mars/Base' }, 'TZ_DISPLAY'],
    [{ COUNTY_CODE: '3418' }, 'COUNTY_CODE'],
    [{ TOWNS: 'a:甲,a:乙' }, 'TOWNS'],
    [{ NETWORKS: 'Sky Net:天网' }, 'NETWORKS'],
    [{ CAMERA_SECRET_KEY: 'short' }, 'CAMERA_SECRET_KEY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ WORKER_PER_HOST: '4', WORKER_PER_HOST_MAX: '2' }, 'WORKER_PER_HOST_MAX'],
    [{ WORKER_PER_HOST_MAX: '0' }, 'WORKER_PER_HOST_MAX'],
  ];
  for (const [env, key] of badCases) {
    it(`names ${key} when it is invalid (${JSON.stringify(env)})`, () => {
      expect(() => loadConfig(env)).to.throw(ConfigError, new RegExp(`^invalid configuration:[\\s\\S]*${key}[.:]`));
    });
  }

  it('lets a slow device have up to 8 lanes unless WORKER_PER_HOST_MAX says otherwise, never fewer than WORKER_PER_HOST', () => {
    expect(loadConfig({}).liveness.perHostMax).to.equal(8);
    expect(loadConfig({ WORKER_PER_HOST: '16' }).liveness.perHostMax).to.equal(16);
    expect(loadConfig({ WORKER_PER_HOST: '1', WORKER_PER_HOST_MAX: '1' }).liveness.perHostMax).to.equal(1);
  });

  it('reports every bad key at once', () => {
    try {
      loadConfig({ PORT: 'x', TZ_DISPLAY: 'nowhere', COUNTY_CODE: '1' });
      expect.fail('should throw');
    } catch (err) {
      expect((err as ConfigError).problems.map((p) => p.split(':')[0])).to.deep.equal(['PORT', 'TZ_DISPLAY', 'COUNTY_CODE']);
    }
  });

  it('reads a JSON config file, with the environment taking precedence, and rejects unknown keys there', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sem-cfg-'));
    try {
      const file = path.join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ PORT: 9000, COUNTY_NAME: '广德市', TOWNS: [{ code: 'taozhou', name: '桃州镇' }] }));
      const sut = loadConfig({ CONFIG_FILE: file, PORT: '9100' });
      expect(sut).to.include({ port: 9100, countyName: '广德市' });
      expect(sut.towns).to.deep.equal([{ code: 'taozhou', name: '桃州镇' }]);
      writeFileSync(file, JSON.stringify({ PROT: 1 }));
      expect(() => loadConfig({ CONFIG_FILE: file })).to.throw(ConfigError, /PROT/);
      writeFileSync(file, '{ not json');
      expect(() => loadConfig({ CONFIG_FILE: file })).to.throw(ConfigError, /CONFIG_FILE/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts short town lists and describes the database without credentials', () => {
    const sut = loadConfig({ TOWNS: 'a:甲镇:A Town, b:乙乡', DATABASE_URL: 'postgres://u:secret@db.local:5433/sem' });
    expect(sut.towns).to.deep.equal([{ code: 'a', name: '甲镇', nameEn: 'A Town' }, { code: 'b', name: '乙乡' }]);
    expect(describeDatabase(sut)).to.equal('PostgreSQL server db.local:5433/sem').and.not.contain('secret');
  });
});
