/** Area under a curve sampled at `xs` (trapezoid rule). */
export function auc(ys: readonly number[], xs: readonly number[]): number {
  if (ys.length !== xs.length) throw new Error(`auc: ${ys.length} values but ${xs.length} positions.`);
  let a = 0;
  for (let i = 1; i < ys.length; i++) a += ((ys[i] + ys[i - 1]) / 2) * (xs[i] - xs[i - 1]);
  return a;
}

/**
 * Area over the perturbation curve (Samek et al. 2017): the mean over steps k = 0..L of f(x⁽⁰⁾) − f(x⁽ᵏ⁾).
 * Unlike the AUC it is measured from the unperturbed output, so it grows when the output falls fast.
 */
export function aopc(ys: readonly number[]): number {
  if (ys.length === 0) return NaN;
  let s = 0;
  for (const y of ys) s += ys[0] - y;
  return s / ys.length;
}
