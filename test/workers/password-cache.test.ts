import { expect } from 'chai';
import sinon from 'sinon';
import { CredentialCipher } from '../../server/secrets/credential-cipher.js';
import { PasswordCache } from '../../workers/password-cache.js';

const KEY = Buffer.alloc(32, 7);

describe('PasswordCache', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  it('opens an envelope once per camera and serves the password from memory after that', () => {
    const cipher = new CredentialCipher(KEY);
    const sealed = cipher.encrypt('s3cret');
    const decrypt = sandbox.spy(cipher, 'decrypt');
    const sut = new PasswordCache(cipher);
    expect([sut.open('cam-1', sealed), sut.open('cam-1', sealed), sut.open('cam-1', sealed)]).to.deep.equal(['s3cret', 's3cret', 's3cret']);
    expect(decrypt.callCount).to.equal(1);
  });

  it('a changed password (a new envelope) is opened again, never served stale', () => {
    const cipher = new CredentialCipher(KEY);
    const sut = new PasswordCache(cipher);
    expect(sut.open('cam-1', cipher.encrypt('old'))).to.equal('old');
    expect(sut.open('cam-1', cipher.encrypt('new'))).to.equal('new');
  });

  it('a password re-sealed under a rotated key is opened with the new envelope', () => {
    const oldKey = new CredentialCipher(KEY);
    const rotated = new CredentialCipher(Buffer.alloc(32, 9), [KEY]);
    const sut = new PasswordCache(rotated);
    expect(sut.open('cam-1', oldKey.encrypt('pw'))).to.equal('pw');
    const decrypt = sandbox.spy(rotated, 'decrypt');
    expect(sut.open('cam-1', rotated.encrypt('pw'))).to.equal('pw');
    expect(decrypt.callCount).to.equal(1);
  });

  it('cameras do not share entries; an envelope that cannot be opened throws and is not cached', () => {
    const cipher = new CredentialCipher(KEY);
    const sut = new PasswordCache(cipher);
    expect(sut.open('cam-1', cipher.encrypt('one'))).to.equal('one');
    expect(sut.open('cam-2', cipher.encrypt('two'))).to.equal('two');
    const foreign = new CredentialCipher(Buffer.alloc(32, 1)).encrypt('x');
    expect(() => sut.open('cam-3', foreign)).to.throw(/cannot decrypt/);
    expect(sut.size).to.equal(2);
  });

  it('forget() drops an entry; a full cache starts over instead of growing', () => {
    const cipher = new CredentialCipher(KEY);
    const sut = new PasswordCache(cipher, 2);
    const sealed = cipher.encrypt('pw');
    sut.open('a', sealed);
    sut.forget('a');
    expect(sut.size).to.equal(0);
    for (const id of ['a', 'b', 'c']) sut.open(id, sealed);
    expect(sut.size).to.equal(1);
  });
});
