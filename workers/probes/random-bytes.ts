import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/**
 * `size` fresh bytes from the CSPRNG (nonces, cnonces), drawn from a pool refilled 4 KiB at a time:
 * one small randomBytes() per probe step costs more CPU than the step's own hashing. Each call gets
 * its own copy; no byte is handed out twice.
 */
export function randomNonce(size: number): Buffer {
  if (size > POOL_BYTES) return randomFillSync(Buffer.alloc(size));
  if (used + size > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const out = Buffer.from(pool.subarray(used, used + size));
  used += size;
  return out;
}
