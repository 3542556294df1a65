import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CAMERA_KEY_FILE, CAMERA_KEY_NEXT_FILE, discardPendingKey, installPendingKey, loadOrCreateCameraKey, openCameraCipher, readPendingKey,
  writePendingKey,
} from '../../../server/secrets/camera-key.js';
import { CredentialCipher } from '../../../server/secrets/credential-cipher.js';

describe('camera key files during a rotation', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sem-key-ring-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the pending key with mode 0600 and installs it by rename, keeping the mode', () => {
    const current = loadOrCreateCameraKey(dir, undefined).key;
    const next = randomBytes(32);
    writePendingKey(dir, next);
    expect(statSync(path.join(dir, CAMERA_KEY_NEXT_FILE)).mode & 0o777).to.equal(0o600);
    expect(loadOrCreateCameraKey(dir, undefined)).to.deep.include({ key: current, pending: next });

    installPendingKey(dir);

    expect(existsSync(path.join(dir, CAMERA_KEY_NEXT_FILE))).to.equal(false);
    expect(statSync(path.join(dir, CAMERA_KEY_FILE)).mode & 0o777).to.equal(0o600);
    const after = loadOrCreateCameraKey(dir, undefined);
    expect(after.key.equals(next)).to.equal(true);
    expect(after.pending).to.equal(undefined);
  });

  it('start-up seals with the installed key and opens values sealed with either while a pending key exists', () => {
    const current = loadOrCreateCameraKey(dir, undefined).key;
    const next = randomBytes(32);
    writePendingKey(dir, next);

    const { cipher, pendingFile } = openCameraCipher(dir, undefined);

    expect(pendingFile).to.equal(path.join(dir, CAMERA_KEY_NEXT_FILE));
    expect(cipher.keyId).to.equal(new CredentialCipher(current).keyId);
    expect(cipher.decrypt(new CredentialCipher(next).encrypt('a'))).to.equal('a');
    expect(cipher.decrypt(new CredentialCipher(current).encrypt('b'))).to.equal('b');
    // a configured key gets the pending key too: values may be sealed with it whatever the source
    expect(openCameraCipher(dir, randomBytes(32)).cipher.decrypt(new CredentialCipher(next).encrypt('c'))).to.equal('c');
  });

  it('ignores a pending key file cut short, and replaces it when asked', () => {
    loadOrCreateCameraKey(dir, undefined);
    writeFileSync(path.join(dir, CAMERA_KEY_NEXT_FILE), randomBytes(32).toString('hex').slice(0, 43));
    expect(readPendingKey(dir)).to.equal(undefined);
    expect(openCameraCipher(dir, undefined).pendingFile).to.equal(undefined);

    const next = randomBytes(32);
    writePendingKey(dir, next);
    expect(readFileSync(path.join(dir, CAMERA_KEY_NEXT_FILE), 'utf8')).to.equal(next.toString('hex') + '\n');
    discardPendingKey(dir);
    expect(existsSync(path.join(dir, CAMERA_KEY_NEXT_FILE))).to.equal(false);
  });
});
