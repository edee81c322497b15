import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';

/** LFW (deep-funneled) in the shared data folder next to the checkout. */
export const LFW_DIR = path.resolve(__dirname, '../../../../shared/data/lfw_home/lfw_deepfunneled');

/** Four people's first photos (250×250 frames, face in the middle). */
export const FACES = ['Colin_Powell', 'George_W_Bush', 'Tony_Blair', 'Gerhard_Schroeder'].map((p) =>
  path.join(LFW_DIR, p, `${p}_0001.jpg`),
);

export function lfwAvailable(): boolean {
  return FACES.every((f) => fs.existsSync(f));
}

/** The photos as a [N, size, size, 3] batch of pixels in [0, 1] (whole frame, bilinear resize). */
export async function loadFaces(files: string[], size: number): Promise<tf.Tensor4D> {
  const images = await Promise.all(
    files.map(async (f) => {
      const { data, info } = await sharp(f).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return tf.tidy(() =>
        tf.image.resizeBilinear(
          tf.div(
            tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], 'int32').toFloat(),
            255,
          ) as tf.Tensor3D,
          [size, size],
        ),
      );
    }),
  );
  const batch = tf.stack(images) as tf.Tensor4D;
  tf.dispose(images);
  return batch;
}

/** Share of Σ|R| (summed over channels) inside the central box [lo, hi]² of the image (fractions of the side). */
export function centralShare(relevance: tf.Tensor4D, lo = 0.25, hi = 0.75): number[] {
  return tf.tidy(() => {
    const [n, h, w] = relevance.shape;
    const a = tf.abs(relevance);
    const total = tf.sum(a, [1, 2, 3]).dataSync();
    const y0 = Math.round(h * lo);
    const x0 = Math.round(w * lo);
    const inner = tf.slice(a, [0, y0, x0, 0], [n, Math.round(h * hi) - y0, Math.round(w * hi) - x0, -1]);
    const part = tf.sum(inner, [1, 2, 3]).dataSync();
    return Array.from(part, (p, i) => p / total[i]);
  });
}
