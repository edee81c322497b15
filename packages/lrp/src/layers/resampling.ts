import * as tf from '@tensorflow/tfjs';
import type { GraphBuilder, LayerAdapter } from '../graph/builder';
import { applyLayer, config, layerError } from './util';

/**
 * The matrices of a spatial map that treats every channel alike and rows and columns separately:
 * y[k, l] = Σ_ij A[k, i] · B[l, j] · x[i, j], A `[outH, inH]`, B `[outW, inW]`.
 */
type Separable = (inH: number, inW: number) => [tf.Tensor2D, tf.Tensor2D];

/**
 * The matrix of a 1-D resampling along height (or width), read off the op itself: the op applied to the
 * one-hot basis (input row i = channel i, the other axis of size 1, which every op here leaves as is).
 */
function basisMatrix(size: number, along: 'height' | 'width', op: (basis: tf.Tensor4D) => tf.Tensor4D): tf.Tensor2D {
  const eye = tf.eye(size);
  const basis = (
    along === 'height' ? tf.reshape(eye, [1, size, 1, size]) : tf.reshape(eye, [1, 1, size, size])
  ) as tf.Tensor4D;
  const out = op(basis);
  const n = along === 'height' ? out.shape[1] : out.shape[2];
  return tf.reshape(out, [n, size]) as tf.Tensor2D;
}

/**
 * Relevance back through y = A·x·Bᵀ (per image and channel): R_x = Aᵀ·R_y·B, i.e. each output pixel's
 * relevance goes to the input pixels it was interpolated from, in proportion to the interpolation
 * weights. A and B are ≥ 0 with rows summing to 1 (a row of zeros where the output lies outside the
 * input), so Σ R is conserved. For nearest and crops this is the z-rule exactly; for bilinear it does not
 * divide by interpolated pixels, which may be ≈ 0.
 */
function resampleBack(r: tf.Tensor, a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor {
  const [m, h, w, c] = r.shape;
  const [inH, inW] = [a.shape[1], b.shape[1]];
  // Two plain matmuls (every backend has them): along the width, then along the height.
  const rows = tf.matMul(tf.reshape(tf.transpose(r, [0, 3, 1, 2]), [m * c * h, w]), b); // [m·c·h, inW]
  const cols = tf.reshape(tf.transpose(tf.reshape(rows, [m * c, h, inW]), [0, 2, 1]), [m * c * inW, h]);
  const back = tf.reshape(tf.matMul(cols, a), [m, c, inW, inH]); // [m, c, inW, inH]
  return tf.transpose(back, [0, 3, 2, 1]);
}

function resamplingNode(
  layer: tf.layers.Layer,
  inputs: number[],
  builder: GraphBuilder,
  name: string,
  matrices: Separable,
): number {
  return builder.add({
    kind: 'structural',
    role: 'preprocess',
    name,
    layerName: name,
    className: layer.getClassName(),
    inputs,
    apply: ([x]) => {
      if (x.rank !== 4) throw layerError(name, layer, `needs a batch of images [N, H, W, C], got shape ${x.shape}.`);
      return applyLayer(layer, x);
    },
    propagate: (r, [x]) => {
      const [, inH, inW] = x.shape as number[];
      const [a, b] = matrices(inH, inW);
      return [resampleBack(r, a, b)];
    },
  });
}

/** tfjs's Resizing calls its resize op with alignCorners = !cropToAspectRatio (and so do we). */
function resizeOp(interpolation: string, alignCorners: boolean) {
  return (size: [number, number]) => (x: tf.Tensor4D) =>
    interpolation === 'nearest'
      ? tf.image.resizeNearestNeighbor(x, size, alignCorners)
      : tf.image.resizeBilinear(x, size, alignCorners);
}

/**
 * Resizing (bilinear or nearest): a linear map on pixels. Relevance goes back along the interpolation
 * weights (see resampleBack); z^B bounds are carried through it (the weights are ≥ 0).
 */
export const resizingAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  const c = config(layer);
  const [height, width] = [Number(c.height), Number(c.width)];
  const interpolation = String(c.interpolation ?? 'bilinear');
  if (interpolation !== 'bilinear' && interpolation !== 'nearest') {
    throw layerError(name, layer, `uses interpolation '${interpolation}'; LRP supports 'bilinear' and 'nearest'.`);
  }
  const resize = resizeOp(interpolation, !c.cropToAspectRatio);
  return resamplingNode(layer, inputs, builder, name, (inH, inW) => [
    basisMatrix(inH, 'height', resize([height, 1])),
    basisMatrix(inW, 'width', resize([1, width])),
  ]);
};

/**
 * The 1-D matrix of `cropAndResize(…, 'nearest')` along one axis for the box [lo, hi] (fractions), by
 * tfjs's formula: output k reads input round(lo·(n − 1) + k·(hi − lo)·(n − 1)/(out − 1)), nothing when
 * that lies outside the image. Written out because the op on a one-pixel-wide basis rounds differently
 * on wasm than on a real image.
 */
function nearestCropMatrix(n: number, out: number, lo: number, hi: number): tf.Tensor2D {
  const m = new Float32Array(out * n);
  for (let k = 0; k < out; k++) {
    const at = out > 1 ? lo * (n - 1) + (k * (hi - lo) * (n - 1)) / (out - 1) : 0.5 * (lo + hi) * (n - 1);
    if (at >= 0 && at <= n - 1) m[k * n + Math.round(at)] = 1;
  }
  return tf.tensor2d(m, [out, n]);
}

/**
 * CenterCrop: as tfjs computes it, a nearest-neighbour crop of the centre (`cropAndResize` on the central
 * box) when the input is at least the target size, else a bilinear resize of the whole image. Either is
 * a linear map on pixels: relevance goes back to the pixels each output was read from, the cropped-off
 * pixels get none.
 */
export const centerCropAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  const c = config(layer);
  const [height, width] = [Number(c.height), Number(c.width)];
  return resamplingNode(layer, inputs, builder, name, (inH, inW) => {
    // tfjs's CenterCrop.call: the offsets (with its quirk of at least 1 column when the widths differ).
    const hBuffer = inH !== height ? Math.floor((inH - height) / 2) : 0;
    let wBuffer = inW !== width ? Math.floor((inW - width) / 2) : 0;
    if (inW !== width && wBuffer === 0) wBuffer = 1;
    if (hBuffer < 0 || wBuffer < 0) {
      const resize = resizeOp('bilinear', false);
      return [basisMatrix(inH, 'height', resize([height, 1])), basisMatrix(inW, 'width', resize([1, width]))];
    }
    return [
      nearestCropMatrix(inH, height, hBuffer / inH, (height + hBuffer) / inH),
      nearestCropMatrix(inW, width, wBuffer / inW, (width + wBuffer) / inW),
    ];
  });
};
