import * as tf from '@tensorflow/tfjs';

/** Solvers of {@link fitLogisticRegression}. */
export type LogisticRegressionSolver = 'lbfgs' | 'adam' | 'ml-logistic-regression';

export interface LogisticRegressionOptions {
  /** Inverse L2 strength, as scikit-learn's `C`. Default 1. */
  C?: number;
  /**
   * Iterations: L-BFGS iterations (as scikit-learn's `max_iter`, default 100), full-batch Adam steps
   * (default 500) or ml-logistic-regression's gradient steps per class (default 100).
   */
  maxIter?: number;
  /**
   * `'lbfgs'` (default): multinomial L2 logistic regression, L-BFGS with a strong-Wolfe line search,
   * scikit-learn's `LogisticRegression()` objective. `'adam'`: same objective, full-batch Adam.
   * `'ml-logistic-regression'`: the npm package (one-vs-rest, unregularized gradient steps, `C` ignored).
   */
  solver?: LogisticRegressionSolver;
  /** L-BFGS stops when max |gradient| ≤ tol (scikit-learn's `tol`). Default 1e-4. */
  tol?: number;
  /** L-BFGS memory (scipy's `maxcor`). Default 10. */
  history?: number;
  /** Step size of Adam (default 0.01) or of ml-logistic-regression (its default 5e-4). */
  learningRate?: number;
  /** Number of classes. Default: max(target) + 1. */
  numClasses?: number;
  /** Called after each iteration with the objective value. */
  onIteration?: (info: { iteration: number; loss: number }) => void;
}

/**
 * A fitted linear classifier: `logits = features · coefᵀ + intercept`. For the multinomial solvers
 * these are the softmax logits; for ml-logistic-regression they are −(one-vs-rest scores), whose
 * arg-max is that library's prediction.
 */
export interface LogisticRegressionModel {
  /** Row-major `[numClasses, numFeatures]` (scikit-learn's `coef_`). */
  coef: Float32Array;
  /** `[numClasses]` (scikit-learn's `intercept_`). */
  intercept: Float32Array;
  numClasses: number;
  numFeatures: number;
  solver: LogisticRegressionSolver;
  /** Iterations run. */
  iterations: number;
  /** Final objective: Σ cross-entropy + 0.5/C·‖coef‖² (NaN for ml-logistic-regression). */
  loss: number;
  /** Whether the solver met its tolerance before `maxIter` (always false for fixed-step solvers). */
  converged: boolean;
}

type Features = tf.Tensor2D | Float32Array;

function checkInputs(features: Features, targets: ArrayLike<number>, numClasses?: number) {
  const n = targets.length;
  if (n === 0) throw new Error('fitLogisticRegression: no samples (targets is empty)');
  let d: number;
  if (features instanceof Float32Array) {
    if (features.length % n !== 0) {
      throw new Error(
        `fitLogisticRegression: features has ${features.length} values, not a multiple of ${n} samples; pass a [n, d] tensor or n*d values`,
      );
    }
    d = features.length / n;
  } else {
    if (features.rank !== 2 || features.shape[0] !== n) {
      throw new Error(`fitLogisticRegression: features must be [${n}, d] to match targets, got [${features.shape}]`);
    }
    d = features.shape[1];
  }
  let max = -1;
  for (let i = 0; i < n; i++) {
    const t = targets[i];
    if (!Number.isInteger(t) || t < 0)
      throw new Error(`fitLogisticRegression: target ${i} is ${t}; targets must be class indices 0..k-1`);
    if (t > max) max = t;
  }
  const k = numClasses ?? max + 1;
  if (max >= k) throw new Error(`fitLogisticRegression: target ${max} ≥ numClasses ${k}`);
  if (k < 2) throw new Error('fitLogisticRegression: need at least 2 classes');
  return { n, d, k };
}

/**
 * Fits a linear classifier on `features` ([n, d]; a tensor, not disposed, or n*d row-major values)
 * and class indices `targets`. The default reproduces scikit-learn's `LogisticRegression()`:
 * multinomial, loss Σ CE + 0.5/C·‖W‖² (intercept unpenalized), C = 1, L-BFGS, 100 iterations.
 * Returns plain arrays (no tensors to dispose).
 */
export async function fitLogisticRegression(
  features: Features,
  targets: ArrayLike<number>,
  options: LogisticRegressionOptions = {},
): Promise<LogisticRegressionModel> {
  const { n, d, k } = checkInputs(features, targets, options.numClasses);
  const solver = options.solver ?? 'lbfgs';
  if (solver === 'ml-logistic-regression') return fitMl(features, targets, { n, d, k }, options);
  if (solver !== 'lbfgs' && solver !== 'adam') {
    throw new Error(
      `fitLogisticRegression: unknown solver "${solver}"; use 'lbfgs', 'adam' or 'ml-logistic-regression'`,
    );
  }
  const C = options.C ?? 1;
  if (!(C > 0)) throw new Error(`fitLogisticRegression: C must be > 0, got ${C}`);
  const x = features instanceof Float32Array ? tf.tensor2d(features, [n, d]) : features;
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(targets), 'int32'), k).toFloat() as tf.Tensor2D);
  try {
    return solver === 'lbfgs'
      ? await fitLbfgs(x, y, { n, d, k, C }, options)
      : await fitAdam(x, y, { n, d, k, C }, options);
  } finally {
    y.dispose();
    if (x !== features) x.dispose();
  }
}

interface Dims {
  n: number;
  d: number;
  k: number;
  C: number;
}

/**
 * Loss terms and gradient of the multinomial objective for V = coefᵀ `[d, k]` and b `[k]`:
 * per-sample NLL `[n]`, ∂/∂V = Xᵀ(P − Y) + V/C and ∂/∂b = Σ(P − Y). Works in the `[d, k]` layout
 * with a pre-transposed Xᵀ because tfjs-wasm's matMul is ~5–25× slower with transposed operands.
 */
function lossTerms(x: tf.Tensor2D, xT: tf.Tensor2D, y: tf.Tensor2D, v: tf.Tensor2D, b: tf.Tensor1D, C: number) {
  return tf.tidy(() => {
    const z = tf.add(tf.matMul(x, v), b);
    const nll = tf.sub(tf.logSumExp(z, 1), tf.sum(tf.mul(z, y), 1));
    const residual = tf.sub(tf.softmax(z), y);
    const gradV = tf.add(tf.matMul(xT, residual), tf.div(v, C));
    return { nll, gradV, gradB: tf.sum(residual, 0) };
  });
}

/**
 * Objective and gradient at θ = [V (d×k, row-major) | b (k)], in float64 on the JS side; the
 * matrix products run on the tfjs backend in float32. Per-sample losses are summed in float64 so
 * the line search sees a smooth objective.
 */
function makeObjective(x: tf.Tensor2D, xT: tf.Tensor2D, y: tf.Tensor2D, { d, k, C }: Dims) {
  const vSize = d * k;
  return (theta: Float64Array): { f: number; g: Float64Array } => {
    const v = tf.tensor2d(Float32Array.from(theta.subarray(0, vSize)), [d, k]);
    const b = tf.tensor1d(Float32Array.from(theta.subarray(vSize)));
    const { nll, gradV, gradB } = lossTerms(x, xT, y, v, b, C);
    const perSample = nll.dataSync();
    const gv = gradV.dataSync();
    const gb = gradB.dataSync();
    tf.dispose([v, b, nll, gradV, gradB]);
    let f = 0;
    for (let i = 0; i < perSample.length; i++) f += perSample[i];
    let penalty = 0;
    for (let i = 0; i < vSize; i++) penalty += theta[i] * theta[i];
    const g = new Float64Array(theta.length);
    g.set(gv);
    g.set(gb, vSize);
    return { f: f + (0.5 / C) * penalty, g };
  };
}

/** coef `[k, d]` from V = coefᵀ `[d, k]` (both row-major). */
function coefFromV(v: ArrayLike<number>, d: number, k: number): Float32Array {
  const coef = new Float32Array(k * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) coef[j * d + i] = v[i * k + j];
  return coef;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

interface Point {
  alpha: number;
  f: number;
  g: Float64Array;
  dphi: number;
}

/**
 * Line search for the strong Wolfe conditions (Nocedal & Wright, Algorithms 3.5 and 3.6) with
 * safeguarded cubic interpolation. Returns the accepted point, or the best point seen with a lower
 * objective when the conditions cannot be met (float32 noise near the optimum), or undefined.
 */
function wolfeLineSearch(
  evaluate: (alpha: number) => { f: number; g: Float64Array },
  direction: Float64Array,
  f0: number,
  dphi0: number,
  alpha1: number,
): Point | undefined {
  const c1 = 1e-4;
  const c2 = 0.9;
  const at = (alpha: number): Point => {
    const { f, g } = evaluate(alpha);
    return { alpha, f, g, dphi: dot(g, direction) };
  };
  let best: Point | undefined;
  const remember = (p: Point) => {
    if (Number.isFinite(p.f) && p.f < f0 && (!best || p.f < best.f)) best = p;
  };
  const cubicMin = (a: Point, b: Point): number => {
    const d1 = a.dphi + b.dphi - (3 * (a.f - b.f)) / (a.alpha - b.alpha);
    const disc = d1 * d1 - a.dphi * b.dphi;
    const lo = Math.min(a.alpha, b.alpha);
    const hi = Math.max(a.alpha, b.alpha);
    if (disc >= 0) {
      const d2 = Math.sign(b.alpha - a.alpha) * Math.sqrt(disc);
      const t = b.alpha - (b.alpha - a.alpha) * ((b.dphi + d2 - d1) / (b.dphi - a.dphi + 2 * d2));
      const margin = 0.1 * (hi - lo);
      if (Number.isFinite(t) && t > lo + margin && t < hi - margin) return t;
    }
    return (lo + hi) / 2;
  };
  const zoom = (lo: Point, hi: Point): Point | undefined => {
    for (let j = 0; j < 20; j++) {
      const p = at(cubicMin(lo, hi));
      remember(p);
      if (!Number.isFinite(p.f) || p.f > f0 + c1 * p.alpha * dphi0 || p.f >= lo.f) hi = p;
      else {
        if (Math.abs(p.dphi) <= -c2 * dphi0) return p;
        if (p.dphi * (hi.alpha - lo.alpha) >= 0) hi = lo;
        lo = p;
      }
      if (Math.abs(hi.alpha - lo.alpha) < 1e-12 * Math.max(1, lo.alpha)) break;
    }
    return best;
  };
  let prev: Point = { alpha: 0, f: f0, g: new Float64Array(0), dphi: dphi0 };
  let alpha = alpha1;
  for (let i = 0; i < 20; i++) {
    const p = at(alpha);
    remember(p);
    if (!Number.isFinite(p.f) || p.f > f0 + c1 * alpha * dphi0 || (i > 0 && p.f >= prev.f)) return zoom(prev, p);
    if (Math.abs(p.dphi) <= -c2 * dphi0) return p;
    if (p.dphi >= 0) return zoom(p, prev);
    prev = p;
    alpha *= 2;
  }
  return best;
}

async function fitLbfgs(
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  dims: Dims,
  options: LogisticRegressionOptions,
): Promise<LogisticRegressionModel> {
  const { d, k } = dims;
  const maxIter = options.maxIter ?? 100;
  const tol = options.tol ?? 1e-4;
  const m = options.history ?? 10;
  const xT = tf.transpose(x) as tf.Tensor2D;
  const objective = makeObjective(x, xT, y, dims);
  let theta = new Float64Array(k * d + k);
  let { f, g } = objective(theta);
  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rhoHist: number[] = [];
  let iterations = 0;
  let converged = maxAbs(g) <= tol;
  try {
    while (!converged && iterations < maxIter) {
      // Two-loop recursion: direction = -H·g with H0 = γI, γ = sᵀy / yᵀy.
      const q = Float64Array.from(g);
      const alphas: number[] = [];
      for (let i = sHist.length - 1; i >= 0; i--) {
        const a = rhoHist[i] * dot(sHist[i], q);
        alphas[i] = a;
        const yi = yHist[i];
        for (let j = 0; j < q.length; j++) q[j] -= a * yi[j];
      }
      if (sHist.length > 0) {
        const last = sHist.length - 1;
        const gamma = dot(sHist[last], yHist[last]) / dot(yHist[last], yHist[last]);
        for (let j = 0; j < q.length; j++) q[j] *= gamma;
      }
      for (let i = 0; i < sHist.length; i++) {
        const b = rhoHist[i] * dot(yHist[i], q);
        const si = sHist[i];
        const coef = alphas[i] - b;
        for (let j = 0; j < q.length; j++) q[j] += coef * si[j];
      }
      const direction = q.map((v) => -v);
      let dphi0 = dot(g, direction);
      if (!(dphi0 < 0)) {
        // Not a descent direction (float32 round-off): restart from steepest descent.
        sHist.length = yHist.length = rhoHist.length = 0;
        for (let j = 0; j < direction.length; j++) direction[j] = -g[j];
        dphi0 = dot(g, direction);
      }
      const start = theta;
      const evaluate = (alpha: number) => {
        const t = new Float64Array(start.length);
        for (let j = 0; j < t.length; j++) t[j] = start[j] + alpha * direction[j];
        return objective(t);
      };
      const alpha1 = sHist.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(direction, direction))) : 1;
      const step = wolfeLineSearch(evaluate, direction, f, dphi0, alpha1);
      if (!step) break; // no decrease possible at float32 precision: as converged as it gets
      const next = new Float64Array(start.length);
      const s = new Float64Array(start.length);
      const yv = new Float64Array(start.length);
      for (let j = 0; j < next.length; j++) {
        s[j] = step.alpha * direction[j];
        next[j] = start[j] + s[j];
        yv[j] = step.g[j] - g[j];
      }
      const sy = dot(s, yv);
      if (sy > 1e-10 * dot(yv, yv)) {
        if (sHist.length === m) {
          sHist.shift();
          yHist.shift();
          rhoHist.shift();
        }
        sHist.push(s);
        yHist.push(yv);
        rhoHist.push(1 / sy);
      }
      theta = next;
      f = step.f;
      g = step.g;
      iterations += 1;
      options.onIteration?.({ iteration: iterations, loss: f });
      converged = maxAbs(g) <= tol;
      if (iterations % 5 === 0) await tf.nextFrame();
    }
  } finally {
    xT.dispose();
  }
  return {
    coef: coefFromV(theta, d, k),
    intercept: Float32Array.from(theta.subarray(k * d)),
    numClasses: k,
    numFeatures: d,
    solver: 'lbfgs',
    iterations,
    loss: f,
    converged,
  };
}

async function fitAdam(
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  dims: Dims,
  options: LogisticRegressionOptions,
): Promise<LogisticRegressionModel> {
  const { n, d, k, C } = dims;
  const maxIter = options.maxIter ?? 500;
  const xT = tf.transpose(x) as tf.Tensor2D;
  const v = tf.variable(tf.zeros([d, k]), true, undefined, 'float32') as tf.Variable<tf.Rank.R2>;
  const b = tf.variable(tf.zeros([k]), true, undefined, 'float32') as tf.Variable<tf.Rank.R1>;
  const optimizer = tf.train.adam(options.learningRate ?? 0.01);
  let loss = NaN;
  try {
    for (let i = 1; i <= maxIter; i++) {
      const { nll, gradV, gradB } = lossTerms(x, xT, y, v, b, C);
      const sumNll = tf.tidy(() => tf.sum(nll).dataSync()[0]);
      const penalty = tf.tidy(() => tf.sum(tf.square(v)).dataSync()[0]);
      loss = sumNll + (0.5 / C) * penalty;
      // Mean instead of sum keeps Adam's step size independent of n; the minimizer is the same.
      const grads = tf.tidy(() => [tf.div(gradV, n), tf.div(gradB, n)]);
      optimizer.applyGradients([
        { name: v.name, tensor: grads[0] },
        { name: b.name, tensor: grads[1] },
      ]);
      tf.dispose([nll, gradV, gradB, ...grads]);
      options.onIteration?.({ iteration: i, loss });
    }
    return {
      coef: coefFromV(v.dataSync(), d, k),
      intercept: Float32Array.from(b.dataSync()),
      numClasses: k,
      numFeatures: d,
      solver: 'adam',
      iterations: maxIter,
      loss,
      converged: false,
    };
  } finally {
    optimizer.dispose();
    tf.dispose([xT, v, b]);
  }
}

async function fitMl(
  features: Features,
  targets: ArrayLike<number>,
  { n, d, k }: { n: number; d: number; k: number },
  options: LogisticRegressionOptions,
): Promise<LogisticRegressionModel> {
  const [{ default: MlLogisticRegression }, { Matrix }] = await Promise.all([
    import('ml-logistic-regression'),
    import('ml-matrix'),
  ]);
  const values = features instanceof Float32Array ? features : features.dataSync();
  // ml-logistic-regression has no intercept: append a constant feature to learn one.
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from(values.subarray(i * d, (i + 1) * d));
    row.push(1);
    rows.push(row);
  }
  const labels = Array.from(targets);
  const classes = new Set(labels).size;
  if (classes !== k) {
    throw new Error(
      `fitLogisticRegression: ml-logistic-regression needs every class 0..${k - 1} in the targets; found ${classes}`,
    );
  }
  const ml = new MlLogisticRegression({ numSteps: options.maxIter ?? 100, learningRate: options.learningRate ?? 5e-4 });
  ml.train(new Matrix(rows), Matrix.columnVector(labels));
  // Classifier j models P(label ≠ j) = σ(x·w_j) and predicts arg-min_j; logits −x·w_j keep its arg-max.
  const coef = new Float32Array(k * d);
  const intercept = new Float32Array(k);
  for (let j = 0; j < k; j++) {
    const wj = (ml.classifiers[j] as { weights: { to1DArray(): number[] } }).weights.to1DArray();
    for (let i = 0; i < d; i++) coef[j * d + i] = -wj[i];
    intercept[j] = -wj[d];
  }
  return {
    coef,
    intercept,
    numClasses: k,
    numFeatures: d,
    solver: 'ml-logistic-regression',
    iterations: options.maxIter ?? 100,
    loss: NaN,
    converged: false,
  };
}

/** Logits `[n, numClasses]` of a fitted model (caller disposes). */
export function logisticRegressionLogits(model: LogisticRegressionModel, features: tf.Tensor2D): tf.Tensor2D {
  if (features.shape[1] !== model.numFeatures) {
    throw new Error(
      `logisticRegressionLogits: features have ${features.shape[1]} columns, the model expects ${model.numFeatures}`,
    );
  }
  return tf.tidy(() =>
    tf.add(
      tf.matMul(features, tf.tensor2d(model.coef, [model.numClasses, model.numFeatures]), false, true),
      tf.tensor1d(model.intercept),
    ),
  );
}

/** Predicted classes (arg-max of the logits). */
export function predictLogisticRegression(model: LogisticRegressionModel, features: tf.Tensor2D): Int32Array {
  const logits = logisticRegressionLogits(model, features);
  const classes = tf.tidy(() => tf.argMax(logits, 1));
  const out = Int32Array.from(classes.dataSync());
  tf.dispose([logits, classes]);
  return out;
}
