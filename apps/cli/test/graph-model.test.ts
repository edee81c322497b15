/**
 * `lrpjs explain --model DIR` on a GraphModel folder (tfjs-converter layout: model.json of format
 * "graph-model" + weights.bin) with a photo: heatmaps, relevance and explain.json are written.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { runCli, tempDir } from './helpers';

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** image [-1,8,8,3] → Conv2D 3×3 (4) → Relu → Mean(H,W) → MatMul (2) → Softmax, deterministic weights. */
function writeGraphModel(dir: string): void {
  const conv = Float32Array.from({ length: 3 * 3 * 3 * 4 }, (_, i) => Math.sin(i + 1) * 0.5);
  const dense = Float32Array.from({ length: 4 * 2 }, (_, i) => Math.cos(i) * 0.7);
  const axes = Int32Array.from([1, 2]);
  const constant = (name: string, dtype: 'DT_FLOAT' | 'DT_INT32', shape: number[]) => ({
    name,
    op: 'Const',
    attr: {
      dtype: { type: dtype },
      value: { tensor: { dtype, tensorShape: { dim: shape.map((d) => ({ size: String(d) })) } } },
    },
  });
  const T = { type: 'DT_FLOAT' };
  const node = [
    {
      name: 'image',
      op: 'Placeholder',
      attr: { dtype: T, shape: { shape: { dim: [-1, 8, 8, 3].map((d) => ({ size: String(d) })) } } },
    },
    constant('conv/w', 'DT_FLOAT', [3, 3, 3, 4]),
    constant('gap/axes', 'DT_INT32', [2]),
    constant('dense/w', 'DT_FLOAT', [4, 2]),
    {
      name: 'conv/Conv2D',
      op: 'Conv2D',
      input: ['image', 'conv/w'],
      attr: {
        T,
        strides: { list: { i: ['1', '1', '1', '1'] } },
        padding: { s: b64('SAME') },
        data_format: { s: b64('NHWC') },
        dilations: { list: { i: ['1', '1', '1', '1'] } },
      },
    },
    { name: 'conv/Relu', op: 'Relu', input: ['conv/Conv2D'], attr: { T } },
    { name: 'gap', op: 'Mean', input: ['conv/Relu', 'gap/axes'], attr: { T, keep_dims: { b: false } } },
    { name: 'logits', op: 'MatMul', input: ['gap', 'dense/w'], attr: { T } },
    { name: 'prob', op: 'Softmax', input: ['logits'], attr: { T } },
  ];
  const weights = Buffer.concat([Buffer.from(conv.buffer), Buffer.from(axes.buffer), Buffer.from(dense.buffer)]);
  fs.writeFileSync(path.join(dir, 'weights.bin'), weights);
  fs.writeFileSync(
    path.join(dir, 'model.json'),
    JSON.stringify({
      format: 'graph-model',
      modelTopology: { node, versions: { producer: 1 } },
      weightsManifest: [
        {
          paths: ['./weights.bin'],
          weights: [
            { name: 'conv/w', shape: [3, 3, 3, 4], dtype: 'float32' },
            { name: 'gap/axes', shape: [2], dtype: 'int32' },
            { name: 'dense/w', shape: [4, 2], dtype: 'float32' },
          ],
        },
      ],
    }),
  );
}

describe('explain on a GraphModel folder', () => {
  const root = tempDir('lrpjs-cli-graph-');
  const modelDir = path.join(root, 'model');
  const photo = path.join(root, 'photo.png');

  beforeAll(async () => {
    fs.mkdirSync(modelDir);
    writeGraphModel(modelDir);
    const rgb = Buffer.from(Array.from({ length: 16 * 16 * 3 }, (_, i) => (i * 37) % 256));
    await sharp(rgb, { raw: { width: 16, height: 16, channels: 3 } })
      .png()
      .toFile(photo);
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes heatmaps, relevance and explain.json for a photo', async () => {
    const out = path.join(root, 'out');
    const r = await runCli(['explain', '--model', modelDir, '--images', photo, '--backend', 'cpu', '--out', out]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    // No residual Add: the registry recommends the tutorial's composite, z^B bounds = the input range.
    expect(r.stdout).toMatch(/\(GraphModel\), composite tutorial/);
    expect(r.stdout).toMatch(
      /photo\.png: explained output \d \(logit -?\d+\.\d+, ΣR -?[\d.]+(e[+-]\d+)?, ΣR\/f\(x\) -?[\d.]+(e[+-]\d+)?\)/,
    );
    for (const f of ['images.png', 'heatmaps.png', 'heatmap-0.png', 'relevance.npy', 'explain.json'])
      expect(fs.existsSync(path.join(out, f))).toBe(true);
    const e = JSON.parse(fs.readFileSync(path.join(out, 'explain.json'), 'utf8'));
    expect(e.format).toBe('graph-model');
    expect(e.relevanceShape).toEqual([1, 8, 8, 3]);
    expect(e.composite).toMatchObject({ name: 'tutorial', lowest: 0, highest: 1 });
    // Without biases the tutorial's rules conserve: ΣR = the explained logit.
    const { relevanceSum, logit } = e.inputs[0];
    expect(Math.abs(relevanceSum - logit)).toBeLessThanOrEqual(1e-4 + 1e-3 * Math.abs(logit));
  });

  it('refuses dataset indices for a GraphModel with one line, writing nothing', async () => {
    const out = path.join(root, 'out-indices');
    const r = await runCli(['explain', '--model', modelDir, '--indices', '0', '--backend', 'cpu', '--out', out]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/GraphModel.*--images/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
