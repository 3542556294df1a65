/** Seeded randomness for the demo: the same seed gives the same fleet and the same script. Pure. */

/** A seeded random source: floats in [0, 1) plus the helpers the demo draws with. */
export interface Random {
  (): number;
  /** Integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T;
  /** A key of `weights` with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
  /** A standard normal deviate (Box–Muller). */
  normal(): number;
  /** A shuffled copy of `list` (Fisher–Yates). */
  shuffle<T>(list: readonly T[]): T[];
}

/** mulberry32, wrapped with helpers. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random = next as Random;
  random.int = (min, max) => min + Math.floor(next() * (max - min + 1));
  random.pick = (list) => list[Math.floor(next() * list.length)];
  random.weighted = <K extends string>(weights: Readonly<Record<K, number>>): K => {
    const entries = Object.entries(weights) as Array<[K, number]>;
    let x = next() * entries.reduce((s, [, w]) => s + w, 0);
    for (const [key, w] of entries) if ((x -= w) < 0) return key;
    return entries[entries.length - 1][0];
  };
  random.normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  random.shuffle = <T>(list: readonly T[]): T[] => {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  return random;
}

/**
 * Splits `total` into whole shares proportional to `weights` (largest remainder), e.g.
 * apportion(10, [1, 1, 1]) → [4, 3, 3]. The shares always add up to `total`.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
  const missing = total - shares.reduce((s, n) => s + n, 0);
  for (let k = 0; k < missing; k++) shares[order[k][1]]++;
  return shares;
}
