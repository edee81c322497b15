import { createRng } from '../src';
import { sampleWithoutReplacement } from '../src/rng';

describe('seeded generator', () => {
  test('same seed, same stream; values in [0, 1) with mean ≈ 1/2', () => {
    const a = createRng(123);
    const b = createRng(123);
    const xs = Array.from({ length: 20000 }, () => a.next());
    expect(Array.from({ length: 20000 }, () => b.next())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    // Mean of 20000 U(0,1): standard error 0.002.
    expect(Math.abs(xs.reduce((s, v) => s + v, 0) / xs.length - 0.5)).toBeLessThan(0.01);
    expect(createRng(124).next()).not.toBe(xs[0]);
  });

  test('batches are k distinct indices and every example is drawn about equally often', () => {
    const rng = createRng(1);
    const n = 40;
    const pool = Int32Array.from({ length: n }, (_, i) => i);
    const out = new Int32Array(25);
    const counts = new Array<number>(n).fill(0);
    for (let step = 0; step < 800; step++) {
      sampleWithoutReplacement(rng, pool, 25, out);
      expect(new Set(out).size).toBe(25);
      out.forEach((i) => counts[i]++);
    }
    // Each index appears with probability 25/40 per step: 500 expected, sd ≈ 13.7.
    expect(Math.min(...counts)).toBeGreaterThan(440);
    expect(Math.max(...counts)).toBeLessThan(560);
    expect(() => sampleWithoutReplacement(rng, pool, 41, new Int32Array(41))).toThrow(/batch size/);
  });
});
