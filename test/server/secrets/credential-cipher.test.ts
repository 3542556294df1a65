import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CredentialCipher, keyIdOf, SecretDecryptError } from '../../../server/secrets/credential-cipher.js';
import { loadOrCreateCameraKey } from '../../../server/secrets/camera-key.js';

describe('camera credential encryption', () => {
  const sut = new CredentialCipher(randomBytes(32));

  it('round-trips, with a fresh IV each time and no clear text in the envelope', () => {
    const a = sut.encrypt('密码Pa$$w0rd');
    const b = sut.encrypt('密码Pa$$w0rd');
    expect(a).to.not.equal(b);
    expect(a).to.match(/^v1:[0-9a-f]{8}:/).and.not.contain('Pa$$');
    expect(sut.decrypt(a)).to.equal('密码Pa$$w0rd');
  });

  it('refuses tampered data and another key', () => {
    const sealed = sut.encrypt('secret');
    const parts = sealed.split(':');
    parts[4] = Buffer.from('tampered!').toString('base64');
    expect(() => sut.decrypt(parts.join(':'))).to.throw(SecretDecryptError);
    expect(() => new CredentialCipher(randomBytes(32)).decrypt(sealed)).to.throw(SecretDecryptError, /sealed with key/);
    expect(() => sut.decrypt('plain')).to.throw(SecretDecryptError);
  });

  it('opens values sealed with any key it holds, but seals with the first one only', () => {
    const previousKey = randomBytes(32);
    const currentKey = randomBytes(32);
    const ring = new CredentialCipher(currentKey, [previousKey]);
    expect(ring.keyId).to.equal(keyIdOf(currentKey));
    expect(ring.decrypt(new CredentialCipher(previousKey).encrypt('old'))).to.equal('old');
    expect(ring.decrypt(new CredentialCipher(currentKey).encrypt('cur'))).to.equal('cur');
    expect(ring.encrypt('new').split(':')[1]).to.equal(keyIdOf(currentKey));
    expect(() => new CredentialCipher(previousKey).decrypt(ring.encrypt('new'))).to.throw(SecretDecryptError);
  });

  it('generates a key file with mode 0600 on first start and reuses it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sem-key-'));
    try {
      const first = loadOrCreateCameraKey(path.join(dir, 'data'), undefined);
      const file = path.join(dir, 'data', 'camera-secret.key');
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      expect(readFileSync(file, 'utf8').trim()).to.have.length(64);
      expect(loadOrCreateCameraKey(path.join(dir, 'data'), undefined).key.equals(first.key)).to.equal(true);
      const configured = randomBytes(32);
      expect(loadOrCreateCameraKey(path.join(dir, 'data'), configured).key).to.equal(configured);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
