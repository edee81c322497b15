/**
 * The modified-weight cache stays under its bound in bytes while presets are cycled over a model
 * (least recently used composites freed first), results do not change when entries are rebuilt, and
 * nothing leaks: disposeCache returns tfjs to where it started.
 */
import * as tf from '@tensorflow/tfjs';
import { cacheStats, configureCache, createComposite, disposeCache, explain, COMPOSITE_NAMES } from '../src';
import { BACKENDS, rowSums, useBackend } from './helpers/backend';
import { randomConvNet } from './helpers/models';

describe.each(BACKENDS)('weight cache on %s', (backend) => {
  beforeAll(() => useBackend(backend));
  afterEach(() => configureCache({ maxBytes: null }));

  it('cycling every preset keeps the cache under its bound, with unchanged results and no leaks', () => {
    const model = randomConvNet({ seed: 3, size: 16 });
    const x = tf.randomUniform([2, 16, 16, 3], -1.5, 1.5, 'float32', 5);
    const start = tf.memory().numTensors;
    // What each preset holds alone (no bound in the way).
    configureCache({ maxBytes: 1e12 });
    const alone = new Map<string, number>();
    const reference = new Map<string, number[]>();
    for (const name of COMPOSITE_NAMES) {
      const res = explain(model, x, { target: 'predicted', composite: createComposite(name) });
      reference.set(name, rowSums(res.relevance));
      tf.dispose([res.relevance, res.output]);
      alone.set(name, cacheStats().bytes);
      disposeCache(model);
    }
    const sizes = [...alone.values()];
    expect(Math.min(...sizes)).toBeGreaterThan(0);
    // Room for the biggest preset, not for all of them.
    const limit = Math.max(...sizes) + Math.min(...sizes) / 2;
    expect(limit).toBeLessThan(sizes.reduce((a, b) => a + b, 0));
    configureCache({ maxBytes: limit });
    let afterFirstRound = 0;
    for (let round = 0; round < 3; round++) {
      for (const name of COMPOSITE_NAMES) {
        const res = explain(model, x, { target: 'predicted', composite: createComposite(name) });
        const sums = rowSums(res.relevance);
        reference.get(name)!.forEach((v, i) => expect(sums[i]).toBeCloseTo(v, 4));
        tf.dispose([res.relevance, res.output]);
        const stats = cacheStats();
        expect(stats.maxBytes).toBe(limit);
        expect(stats.bytes).toBeLessThanOrEqual(limit);
      }
      if (round === 0) afterFirstRound = tf.memory().numTensors;
      else expect(tf.memory().numTensors).toBe(afterFirstRound);
    }
    // A bound below a single preset: its per-node caches are freed after each call.
    configureCache({ maxBytes: 1 });
    const res = explain(model, x, { target: 'predicted', composite: createComposite('epsilon-gamma-box') });
    tf.dispose([res.relevance, res.output]);
    expect(cacheStats().bytes).toBeLessThanOrEqual(1);
    disposeCache(model);
    expect(cacheStats().composites).toBe(0);
    expect(tf.memory().numTensors).toBe(start);
    tf.dispose(x);
    model.dispose();
  });

  it('refuses a bound that is not a byte count', () => {
    expect(() => configureCache({ maxBytes: -1 })).toThrow(/maxBytes ≥ 0 in bytes/);
    expect(() => configureCache({ maxBytes: Number.NaN })).toThrow(/maxBytes/);
  });
});
