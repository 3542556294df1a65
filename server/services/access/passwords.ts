import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import zxcvbnCommon from '@zxcvbn-ts/language-common';

/**
 * argon2id through @node-rs/argon2: prebuilt binaries ship as npm packages (no install script, no
 * compiler), and it hashes off the main thread. Parameters are OWASP's minimum for argon2id
 * (19 MiB, 2 passes, 1 lane): about 30 ms here, so a sign-in burst cannot starve the server.
 */
// 2 = Algorithm.Argon2id (a const enum, which isolated modules cannot read).
const ARGON2 = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(plain: string): Promise<string> {
  return hash(plain, ARGON2);
}

export async function verifyPassword(stored: string, plain: string): Promise<boolean> {
  try {
    return await verify(stored, plain);
  } catch {
    return false;
  }
}

/** A hash of a random value: verifying against it costs the same as a real account's, so timing reveals no usernames. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

/** A one-time password people can type from a printout: 16 characters without look-alikes. */
export function generateOneTimePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Passwords defenders see most: the 10,000 most frequent of the list zxcvbn ships (ordered by
 * frequency, from leaked-password corpora), plus ones common in Chinese deployments and camera
 * default credentials that such lists under-rank.
 */
const LOCAL_COMMON = [
  'woaini1314', 'woaini520', 'woaini123', '5201314', '1314520', 'qq123456', 'a123456789', 'aa123456',
  'admin123', 'admin12345', 'admin@123', 'admin@1234', 'admin123456', 'hik12345', 'hik123456', 'hikvision',
  'dahua123', 'dahua12345', 'abc@1234', 'abcd1234', 'abc123456', 'p@ssw0rd', 'p@ssw0rd123', 'password@123',
  'zhang123', 'wang123456', 'li123456', '147258369', '123456abc', '1qaz@wsx', '1qaz2wsx3edc', 'qwe123456',
  'xueliang123', 'gongan110', 'gongan123', 'police110', '110110110', '1234567890a',
];

let common: ReadonlySet<string> | undefined;
export function commonPasswords(): ReadonlySet<string> {
  if (!common) {
    const ranked = (zxcvbnCommon.dictionary['passwords-common'] as string[]).slice(0, 10_000);
    common = new Set([...ranked, ...LOCAL_COMMON].map((p) => p.toLowerCase()));
  }
  return common;
}
