import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  KeyRotationRefusedError, rotateCameraKey, UndecryptableCredentialsError, type RotationOptions,
} from '../../../../server/services/keys/camera-key-rotation.service.js';
import { CredentialCipher, keyIdOf } from '../../../../server/secrets/credential-cipher.js';
import {
  CAMERA_KEY_FILE, CAMERA_KEY_NEXT_FILE, loadOrCreateCameraKey, openCameraCipher, readCurrentKey, writePendingKey,
} from '../../../../server/secrets/camera-key.js';
import { CameraRepository } from '../../../../server/storage/camera.repository.js';
import { CredentialRepository } from '../../../../server/storage/credential.repository.js';
import { AuditRepository } from '../../../../server/storage/audit.repository.js';
import type { Database } from '../../../../server/storage/db.js';
import { backendNames, getDatabase, reset } from '../../../support/backends.js';
import { deviceId, storedCamera } from '../../../support/cameras.js';

const SEALED_COUNT = 1_200;
const plainOf = (serial: number) => `密码-${serial}-Pa$$`;

for (const backend of backendNames()) {
  describe(`camera key rotation [${backend}]`, () => {
    let db: Database;
    let dataDir: string;
    let oldKey: Buffer;
    let options: RotationOptions;

    /** device_id → password_enc, for every camera. */
    const stored = async () =>
      new Map((await db.query<{ device_id: string; password_enc: string | null }>('SELECT device_id, password_enc FROM cameras')).map((r) => [r.device_id, r.password_enc]));
    const rotationEntries = (targetId: string) => new AuditRepository(db).query({ action: 'keys.rotate', targetId, scope: null, limit: 10 });

    before(async () => {
      db = await getDatabase(backend);
    });
    beforeEach(async () => {
      await reset(db);
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'sem-keys-'));
      oldKey = loadOrCreateCameraKey(dataDir, undefined).key;
      options = { dataDir, configuredKey: undefined, actorName: 'cli:test' };
      const sealer = new CredentialCipher(oldKey);
      const cameras = Array.from({ length: SEALED_COUNT }, (_, i) => storedCamera(i + 1, { passwordEnc: sealer.encrypt(plainOf(i + 1)) }));
      await new CameraRepository(db).insertMany([...cameras, storedCamera(5001), storedCamera(5002)]);
      await db.query('UPDATE cameras SET decommissioned_at = now() WHERE device_id = $1', [deviceId(7)]);
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    it('re-seals every password (decommissioned too) with a new key that alone opens them, and installs it', async () => {
      const sut = await rotateCameraKey(db, options);

      expect(sut).to.deep.include({ rotated: SEALED_COUNT, oldKeyId: keyIdOf(oldKey), resumed: false, keyFile: path.join(dataDir, CAMERA_KEY_FILE) });
      const newKey = readCurrentKey(dataDir)!;
      expect(keyIdOf(newKey)).to.equal(sut.newKeyId).and.not.equal(sut.oldKeyId);
      expect(existsSync(path.join(dataDir, CAMERA_KEY_NEXT_FILE))).to.equal(false);
      expect(statSync(sut.keyFile).mode & 0o777).to.equal(0o600);
      const opener = new CredentialCipher(newKey);
      const oldOnly = new CredentialCipher(oldKey);
      for (const [id, enc] of await stored()) {
        const serial = Number(id.slice(-6));
        if (serial > SEALED_COUNT) {
          expect(enc, id).to.equal(null);
          continue;
        }
        expect(opener.decrypt(enc!), id).to.equal(plainOf(serial));
        expect(() => oldOnly.decrypt(enc!)).to.throw(/sealed with key/);
      }
      const [entry] = await rotationEntries(sut.newKeyId);
      expect(entry).to.deep.include({ actorType: 'cli', actorName: 'cli:test', targetType: 'camera-key', outcome: 'ok' });
      expect(entry.detail).to.deep.equal({ rotated: SEALED_COUNT, oldKeyId: sut.oldKeyId, newKeyId: sut.newKeyId });
    });

    it('fails naming the cameras whose password no loaded key opens, and changes nothing', async () => {
      const stranger = new CredentialCipher(randomBytes(32));
      await db.query('UPDATE cameras SET password_enc = $1 WHERE device_id = $2', [stranger.encrypt('x'), deviceId(5001)]);
      await db.query(`UPDATE cameras SET password_enc = 'not-an-envelope' WHERE device_id = $1`, [deviceId(5002)]);
      const before = await stored();
      const keyFileBefore = readFileSync(path.join(dataDir, CAMERA_KEY_FILE), 'utf8');

      const err = await rotateCameraKey(db, options).then(() => null, (e: unknown) => e);

      expect(err).to.be.instanceOf(UndecryptableCredentialsError);
      expect((err as UndecryptableCredentialsError).deviceIds).to.deep.equal([deviceId(5001), deviceId(5002)]);
      expect((err as Error).message).to.contain('2 camera password(s)').and.contain(deviceId(5001)).and.contain(stranger.keyId);
      expect(await stored()).to.deep.equal(before);
      expect(readFileSync(path.join(dataDir, CAMERA_KEY_FILE), 'utf8')).to.equal(keyFileBefore);
      expect(existsSync(path.join(dataDir, CAMERA_KEY_NEXT_FILE))).to.equal(false);
    });

    it('after a crash between commit and rename, start-up opens every value and rotating again finishes with the pending key', async () => {
      // What the crash leaves: the pending key on disk, values re-sealed with it, the old key file
      // still installed; half the values sealed with the old key again as a restarted server would.
      const pendingKey = randomBytes(32);
      writePendingKey(dataDir, pendingKey);
      const credentials = new CredentialRepository(db);
      const pendingSealer = new CredentialCipher(pendingKey);
      const oldSealer = new CredentialCipher(oldKey);
      const rows = await credentials.listSealed();
      await credentials.replaceSealed(
        rows.map((r, i) => ({ id: r.id, passwordEnc: (i % 2 ? oldSealer : pendingSealer).encrypt(oldSealer.decrypt(r.passwordEnc)) })),
      );

      const startUp = openCameraCipher(dataDir, undefined);
      expect(startUp.pendingFile).to.equal(path.join(dataDir, CAMERA_KEY_NEXT_FILE));
      expect(startUp.cipher.keyId).to.equal(keyIdOf(oldKey)); // still seals with the installed key
      for (const r of await credentials.listSealed()) expect(startUp.cipher.decrypt(r.passwordEnc)).to.equal(plainOf(Number(r.deviceId.slice(-6))));

      const sut = await rotateCameraKey(db, options);

      expect(sut).to.deep.include({ resumed: true, rotated: SEALED_COUNT, newKeyId: keyIdOf(pendingKey) });
      expect(readCurrentKey(dataDir)!.equals(pendingKey)).to.equal(true);
      expect(existsSync(path.join(dataDir, CAMERA_KEY_NEXT_FILE))).to.equal(false);
      expect(await credentials.countSealedWithOtherKeys(keyIdOf(pendingKey))).to.equal(0);
      expect(statSync(sut.keyFile).mode & 0o777).to.equal(0o600);
    });

    it('replaces a pending key file cut short by a crash while it was written', async () => {
      writeFileSync(path.join(dataDir, CAMERA_KEY_NEXT_FILE), 'abc123');
      expect(openCameraCipher(dataDir, undefined).pendingFile).to.equal(undefined);

      const sut = await rotateCameraKey(db, options);

      expect(sut.resumed).to.equal(false);
      expect(await new CredentialRepository(db).countSealedWithOtherKeys(sut.newKeyId)).to.equal(0);
    });

    it('refuses while another rotation holds the key folder', async () => {
      writeFileSync(path.join(dataDir, `${CAMERA_KEY_FILE}.lock`), String(process.pid));
      const err = await rotateCameraKey(db, options).then(() => null, (e: unknown) => e);
      expect(err).to.be.instanceOf(KeyRotationRefusedError);
      expect((err as Error).message).to.contain('another key rotation');
      expect(readCurrentKey(dataDir)!.equals(oldKey)).to.equal(true);
    });

    it('refuses a key given in CAMERA_SECRET_KEY, touching nothing', async () => {
      const before = await stored();
      const err = await rotateCameraKey(db, { ...options, configuredKey: oldKey }).then(() => null, (e: unknown) => e);
      expect(err).to.be.instanceOf(KeyRotationRefusedError);
      expect((err as Error).message).to.contain('CAMERA_SECRET_KEY').and.not.contain(oldKey.toString('hex'));
      expect(await stored()).to.deep.equal(before);
      expect(existsSync(path.join(dataDir, CAMERA_KEY_NEXT_FILE))).to.equal(false);
    });
  });
}
