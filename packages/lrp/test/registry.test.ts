import * as tf from '@tensorflow/tfjs';
import {
  COMPOSITE_CATALOG,
  COMPOSITE_NAMES,
  createComposite,
  recommendedComposite,
  resolveCompositeParams,
  tutorialComposite,
  epsilonPlus,
} from '../src';

describe('composite registry', () => {
  it('lists every preset once, each with a description, citation and defaults inside their ranges', () => {
    expect(COMPOSITE_CATALOG.map((c) => c.name)).toEqual([...COMPOSITE_NAMES]);
    for (const c of COMPOSITE_CATALOG) {
      expect(c.description.length).toBeGreaterThan(10);
      expect(c.citation.length).toBeGreaterThan(10);
      for (const p of c.parameters) {
        expect(p.default).toBeGreaterThanOrEqual(p.min);
        expect(p.default).toBeLessThanOrEqual(p.max);
      }
    }
  });

  it('fills defaults and builds the same memoized preset as the factory', () => {
    expect(createComposite('tutorial')).toBe(tutorialComposite());
    expect(createComposite('epsilon-plus', { epsilon: 1e-6 })).toBe(epsilonPlus());
    expect(resolveCompositeParams('tutorial')).toEqual({ gamma: 0.25, epsilon: 1e-9, low: -1.5, high: 1.5 });
  });

  it('rejects unknown names, foreign parameters, out-of-range values and low ≥ high, naming them', () => {
    expect(() => createComposite('nope')).toThrow(/unknown composite 'nope'.*tutorial/);
    expect(() => createComposite('epsilon-plus', { gamma: 1 })).toThrow(/gamma does not apply to the epsilon-plus/);
    expect(() => createComposite('tutorial', { gamma: -1 })).toThrow(/gamma = -1 is outside/);
    expect(() => createComposite('tutorial', { gamma: Number.NaN })).toThrow(/gamma = NaN/);
    expect(() => createComposite('tutorial', { low: 1, high: 0 })).toThrow(/low \(1\) must be below high \(0\)/);
  });

  it('recommends EpsilonPlus for a residual net and the tutorial composite for a plain one', () => {
    const input = tf.input({ shape: [4, 4, 1] });
    const conv = tf.layers.conv2d({ filters: 1, kernelSize: 1 }).apply(input) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([input, conv]) as tf.SymbolicTensor;
    const residual = tf.model({ inputs: input, outputs: sum });
    const plain = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
    expect(recommendedComposite(residual).name).toBe('epsilon-plus');
    expect(recommendedComposite(plain).name).toBe('tutorial');
  });
});
