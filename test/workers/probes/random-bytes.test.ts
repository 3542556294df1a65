import { expect } from 'chai';
import { randomNonce } from '../../../workers/probes/random-bytes.js';

describe('probes/random-bytes randomNonce', () => {
  it('hands out fresh bytes of the asked size, never the same nonce twice, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const n = randomNonce(16);
      expect(n.length).to.equal(16);
      seen.add(n.toString('hex'));
    }
    expect(seen.size).to.equal(2000);
  });

  it('returns a copy: changing it leaves later nonces alone; sizes above the pool work', () => {
    const a = randomNonce(8);
    a.fill(0);
    expect(randomNonce(8).equals(Buffer.alloc(8))).to.equal(false);
    expect(randomNonce(10_000).length).to.equal(10_000);
  });
});
