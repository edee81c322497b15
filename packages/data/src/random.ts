/**
 * The Mersenne Twister (MT19937) exactly as numpy's legacy `RandomState` runs it, and the one numpy
 * routine scikit-learn's LFW loader draws from it: `RandomState(seed).shuffle(indices)`.
 * Reproducing the bit stream (not merely "a" shuffle) is what makes the tutorial's even/odd
 * train/test split contain the same faces as in Python.
 */
export class MersenneTwister {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  /** Seeds like numpy's `RandomState(seed)` for an integer seed (`init_genrand`). */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new Error(`MersenneTwister seed must be an integer in [0, 2^32 - 1], got ${seed}.`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev overflows 2^53 in doubles; Math.imul keeps the low 32 bits as C does.
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  /** Next raw 32-bit output (numpy's `next_uint32` for the legacy MT19937 bit generator). */
  nextUint32(): number {
    const mt = this.mt;
    if (this.index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform integer in [0, max] by masked rejection, as numpy's `random_interval` (max < 2^32). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do {
      value = (this.nextUint32() & mask) >>> 0;
    } while (value > max);
    return value;
  }
}

/**
 * `np.random.RandomState(seed).shuffle(np.arange(n))`: the permutation scikit-learn applies to the LFW
 * file list (seed 42). Entry `k` of the result is the scan-order index of the k-th returned face.
 */
export function legacyShuffledIndices(n: number, seed = 42): Int32Array {
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  const rng = new MersenneTwister(seed);
  // numpy's Fisher-Yates runs from the end; a forward variant would give a different order.
  for (let i = n - 1; i >= 1; i--) {
    const j = rng.interval(i);
    const t = indices[i];
    indices[i] = indices[j];
    indices[j] = t;
  }
  return indices;
}
