import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../../server/storage/db.js';
import { CameraRepository } from '../../../server/storage/camera.repository.js';
import { CredentialRepository } from '../../../server/storage/credential.repository.js';
import { CredentialCipher } from '../../../server/secrets/credential-cipher.js';
import { CAMERA_KEY_FILE, CAMERA_KEY_NEXT_FILE, loadOrCreateCameraKey, readCurrentKey } from '../../../server/secrets/camera-key.js';
import { storedCamera } from '../../support/cameras.js';
import { runCli, type CliResult } from '../../support/cli.js';

const PLAIN = 'Pa$$-键-';

/** Runs `npm run keys -- …` as an administrator would, on its own embedded data folder. */
function keys(args: string[], dataDir: string, env: Record<string, string> = {}): Promise<CliResult> {
  return runCli('keys', args, { DATA_DIR: dataDir, DATABASE_URL: '', PGLITE_DIR: '', CONFIG_FILE: '', CAMERA_SECRET_KEY: '', LOG_LEVEL: 'silent', ...env });
}

describe('npm run keys (camera key rotation command)', () => {
  let dir: string;
  let dataDir: string;
  let oldKey: Buffer;
  const openData = () => openDatabase({ pgliteDir: path.join(dataDir, 'pg') });

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sem-keys-cli-'));
    dataDir = path.join(dir, 'data');
    oldKey = loadOrCreateCameraKey(dataDir, undefined).key;
    const sealer = new CredentialCipher(oldKey);
    const db = await openData();
    try {
      await new CameraRepository(db).insertMany(Array.from({ length: 25 }, (_, i) => storedCamera(i + 1, { passwordEnc: sealer.encrypt(PLAIN + i) })));
    } finally {
      await db.close();
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints usage for --help (exit 0) and answers bad arguments with exit 2', async () => {
    const help = await keys(['--help'], dataDir);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain('npm run keys -- rotate');
    for (const args of [[], ['frobnicate'], ['rotate', 'now'], ['rotate', '--force']]) {
      const bad = await keys(args, dataDir);
      expect(bad.code, args.join(' ')).to.equal(2);
      expect(bad.stderr).to.contain('usage:');
    }
  });

  it('refuses with exit 1 when the key comes from CAMERA_SECRET_KEY', async () => {
    const res = await keys(['rotate'], dataDir, { CAMERA_SECRET_KEY: oldKey.toString('hex') });
    expect(res.code).to.equal(1);
    expect(res.stderr).to.contain('refused').and.contain('CAMERA_SECRET_KEY');
    expect(res.stdout + res.stderr).to.not.contain(oldKey.toString('hex'));
    expect(readCurrentKey(dataDir)!.equals(oldKey)).to.equal(true);
  });

  it('fails with exit 1 and a clear message while the server holds the embedded database', async () => {
    const db = await openData();
    try {
      const res = await keys(['rotate'], dataDir);
      expect(res.code).to.equal(1);
      expect(res.stderr).to.contain('another process has the database open').and.contain(`process ${process.pid}`);
    } finally {
      await db.close();
    }
    expect(readCurrentKey(dataDir)!.equals(oldKey)).to.equal(true);
    expect(existsSync(path.join(dataDir, CAMERA_KEY_NEXT_FILE))).to.equal(false);
  });

  it('rotates: one JSON line, no secrets printed, a 0600 key file that opens every password', async () => {
    const res = await keys(['rotate'], dataDir);

    expect(res.code, res.stderr).to.equal(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines).to.have.length(1);
    const summary = JSON.parse(lines[0]) as { rotated: number; oldKeyId: string; newKeyId: string; keyFile: string };
    const newKey = readCurrentKey(dataDir)!;
    expect(summary).to.deep.include({ rotated: 25, oldKeyId: new CredentialCipher(oldKey).keyId, newKeyId: new CredentialCipher(newKey).keyId });
    expect(summary.keyFile).to.equal(path.join(dataDir, CAMERA_KEY_FILE));
    expect(statSync(summary.keyFile).mode & 0o777).to.equal(0o600);
    const printed = res.stdout + res.stderr;
    for (const secret of [oldKey.toString('hex'), newKey.toString('hex'), PLAIN]) expect(printed).to.not.contain(secret);

    const db: Database = await openData();
    try {
      const opener = new CredentialCipher(newKey);
      const rows = await new CredentialRepository(db).listSealed();
      expect(rows.map((r) => opener.decrypt(r.passwordEnc)).sort()).to.deep.equal(Array.from({ length: 25 }, (_, i) => PLAIN + i).sort());
    } finally {
      await db.close();
    }
  });

  it('fails with exit 1, naming the camera, when a password opens with no key', async () => {
    const db = await openData();
    try {
      await db.query('UPDATE cameras SET password_enc = $1 WHERE device_id = $2', [new CredentialCipher(randomBytes(32)).encrypt('x'), storedCamera(3).deviceId]);
    } finally {
      await db.close();
    }
    const keyBefore = readCurrentKey(dataDir)!;
    const res = await keys(['rotate'], dataDir);
    expect(res.code).to.equal(1);
    expect(res.stderr).to.contain('1 camera password(s) cannot be decrypted').and.contain(storedCamera(3).deviceId);
    expect(res.stdout).to.equal('');
    expect(readCurrentKey(dataDir)!.equals(keyBefore)).to.equal(true);
  });
});
