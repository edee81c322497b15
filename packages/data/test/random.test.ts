import { legacyShuffledIndices, MersenneTwister } from '../src';

// Expected values computed once with numpy 1.24: np.random.RandomState(42).
describe('MersenneTwister (numpy legacy RandomState)', () => {
  it('yields the same raw 32-bit stream as RandomState(42)', () => {
    const rng = new MersenneTwister(42);
    // RandomState(42).randint(0, 2**32, size=3, dtype=np.uint64)
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([1608637542, 3421126067, 4083286876]);
  });

  it('rejects seeds numpy would reject', () => {
    expect(() => new MersenneTwister(-1)).toThrow(/seed/);
    expect(() => new MersenneTwister(2 ** 32)).toThrow(/seed/);
  });
});

describe('legacyShuffledIndices = RandomState(42).shuffle(np.arange(n))', () => {
  it.each([
    [12, [10, 9, 0, 8, 5, 2, 1, 11, 4, 7, 3, 6]],
    [13, [11, 9, 0, 8, 5, 2, 1, 12, 4, 7, 10, 3, 6]],
    [20, [0, 17, 15, 1, 8, 5, 11, 3, 18, 16, 13, 2, 9, 19, 4, 12, 7, 10, 14, 6]],
  ])('n=%i', (n, expected) => {
    expect(Array.from(legacyShuffledIndices(n))).toEqual(expected);
  });

  it('n=1867 (the tutorial subset): ends match numpy and it is a permutation', () => {
    const p = legacyShuffledIndices(1867);
    expect(Array.from(p.slice(0, 10))).toEqual([1733, 1681, 921, 275, 416, 1653, 247, 383, 322, 203]);
    expect(Array.from(p.slice(-5))).toEqual([1130, 1294, 860, 1459, 1126]);
    expect(new Set(p).size).toBe(1867);
  });

  it('handles n = 0 and 1', () => {
    expect(Array.from(legacyShuffledIndices(0))).toEqual([]);
    expect(Array.from(legacyShuffledIndices(1))).toEqual([0]);
  });
});
