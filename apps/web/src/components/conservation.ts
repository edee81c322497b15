import type { CompositeName } from '@lrpjs/lrp/catalog';
import type { ExplainResult } from '../engine/protocol';

/** The explained output f(x)·T (the logit, or the logit difference for "why not"). */
export function explainedOutput(r: ExplainResult): number {
  return r.explained.reduce((sum, [c, w]) => sum + w * r.logits[c], 0);
}

export interface Conservation {
  /** ΣR / f(x), when both are finite and f(x) is not ~0. */
  share?: number;
  /** Relevance blew up (not finite, or ≫ f(x)): the composite is unstable on this model. */
  diverged: boolean;
  /** The sentence for the page. */
  text: string;
}

const z_PLUS: CompositeName[] = ['epsilon-plus', 'epsilon-plus-flat', 'epsilon-alpha2-beta1'];

/** How much of the score the pixels' relevance accounts for, in words. */
export function conservation(r: ExplainResult, composite: CompositeName): Conservation {
  const f = explainedOutput(r);
  if (!Number.isFinite(r.total)) {
    return {
      diverged: true,
      text: 'The relevance is not finite: these rules are unstable on this model; use the recommended ones or a larger ε.',
    };
  }
  if (Math.abs(r.total) > 10 * Math.abs(f) + 1) {
    return {
      diverged: true,
      text: `Relevance is far from conserved (ΣR = ${r.total.toPrecision(3)} for a score of ${f.toPrecision(3)}): these rules are unstable on this model; use the recommended ones or a larger ε.`,
    };
  }
  if (Math.abs(f) < 1e-9) return { diverged: false, text: 'There is no score to explain here (f(x) = 0).' };
  const share = r.total / f;
  const pct = `${Math.round(share * 100)}%`;
  const why = z_PLUS.includes(composite)
    ? ' These rules keep only part of f(x): z⁺ passes on positive contributions only, and the biases (batch normalization folded into the convolutions) absorb the rest.'
    : share < 0.95 || share > 1.05
      ? ' The rest went to the biases and the ε stabilizer.'
      : '';
  return {
    share,
    diverged: false,
    text: `${pct} of the score f(x) = ${f.toPrecision(3)} is accounted for by the pixels (ΣR = ${r.total.toPrecision(3)}).${why}`,
  };
}
