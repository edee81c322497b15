import type { Rule } from './types';

/** Pass-through: the output's relevance is the input's (only for layers that keep the shape). */
export function pass(): Rule {
  return {
    name: 'pass',
    relevance(ctx, relevance) {
      const inShape = ctx.input.shape.slice(1).join('x');
      const outShape = relevance.shape.slice(1).join('x');
      if (inShape !== outShape) {
        throw new Error(
          `lrp: the pass rule needs equal input and output shapes; "${ctx.layer.name}" maps ${inShape} to ${outShape}`,
        );
      }
      return relevance;
    },
  };
}
