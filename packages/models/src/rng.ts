/**
 * A small seeded pseudo-random generator (sfc32, 128-bit state, passes PractRand to 2^60 bytes):
 * reproducible batches, dropout masks and initial weights across runs and platforms, without
 * depending on tfjs's global random state.
 */
export interface Rng {
  /** The seed this generator started from (record it to reproduce a run). */
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [low, high). */
  uniform(low: number, high: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** A seed from the environment's entropy, for runs that were not given one. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

export function createRng(seed: number = randomSeed()): Rng {
  if (!Number.isFinite(seed)) throw new Error(`Seed must be a finite number, got ${seed}.`);
  // splitmix32 expands the seed into sfc32's four state words.
  let s = Math.floor(seed) >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const nextU32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextU32();
  const next = (): number => nextU32() / 4294967296;
  return {
    seed,
    next,
    uniform: (low, high) => low + (high - low) * next(),
    int: (n) => Math.floor(next() * n),
  };
}

/**
 * Draws `k` distinct indices from [0, n) — `numpy.random.permutation(n)[:k]` — by a partial
 * Fisher–Yates shuffle of `pool` (a permutation of 0..n-1, kept between calls: any permutation is a
 * valid starting point, so it needs no reset). Writes the sample into `out`.
 */
export function sampleWithoutReplacement(rng: Rng, pool: Int32Array, k: number, out: Int32Array): Int32Array {
  const n = pool.length;
  if (k > n) throw new Error(`Cannot draw ${k} distinct examples from ${n}; lower the batch size.`);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
    out[i] = pool[i];
  }
  return out;
}
