import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  ModelMetadata,
  buildNet1,
  buildNet2,
  selectBackend,
  loadModel as loadModelBrowserSafe,
  saveModel as saveModelBrowserSafe,
} from '../src';
import { fileSystemHandler, loadModel, saveModel } from '../src/node';

let dir: string;
beforeAll(async () => {
  await selectBackend({ backend: 'wasm', threads: 1 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrpjs-models-io-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const meta = (classes: number, size = 16): ModelMetadata => ({
  architecture: 'net2',
  classNames: Array.from({ length: classes }, (_, i) => `person ${i}`),
  inputShape: [size, size, 3],
  normalization: { scale: 3, offset: -1.5 },
  training: { iterations: 10, learningRate: 0.005 },
  metrics: { testAccuracy: 0.5 },
});

describe('saveModel / loadModel', () => {
  test('round trip: same predictions, metadata and custom layer; tfjs layout; no temp files left', async () => {
    const model = buildNet2({ numClasses: 4, inputSize: 16, seed: 3 });
    const target = path.join(dir, 'net2');
    await saveModel(model, target, meta(4));
    expect(fs.readdirSync(target).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(fs.readFileSync(path.join(target, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.userDefinedMetadata.lrpjs.classNames[3]).toBe('person 3');
    expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);
    // float32 weights of conv1..conv3 (760 + 6275 + 62600) and the 2×2 top conv on 16×16 input (2·2·100·4 + 4).
    expect(fs.statSync(path.join(target, 'weights.bin')).size).toBe(4 * (760 + 6275 + 62600 + 2 * 2 * 100 * 4 + 4));

    const { model: loaded, metadata } = await loadModel(target, { expectInputShape: 16 });
    const weightBytes = fs.readFileSync(path.join(target, 'weights.bin'));
    const digest = createHash('sha256').update(weightBytes).digest('hex');
    expect(metadata).toEqual({ ...meta(4), version: 1, weights: { sha256: digest, bytes: weightBytes.length } });
    expect(loaded.getLayer('dropout').getClassName()).toBe('SpatialDropout2D');
    const x = tf.randomNormal([5, 16, 16, 3]);
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    // Loading via the model.json path and the file:// form works as well.
    const again = await loadModel(`file://${path.join(target, 'model.json')}`);
    expect(again.metadata.architecture).toBe('net2');
    again.model.dispose();
    loaded.dispose();
    model.dispose();
  });

  test('a plain tfjs model without lrpjs metadata gets synthesised metadata', async () => {
    const model = buildNet1({ numClasses: 3, inputSize: 16, seed: 1 });
    const target = path.join(dir, 'plain');
    await model.save(fileSystemHandler(target));
    const { model: loaded, metadata } = await loadModel(target);
    expect(metadata).toMatchObject({
      architecture: 'unknown',
      classNames: ['class_0', 'class_1', 'class_2'],
      inputShape: [16, 16, 3],
    });
    await expect(loadModel(target, { requireMetadata: true })).rejects.toThrow(/no lrpjs metadata/);
    loaded.dispose();
    model.dispose();
  });

  test('clear errors: missing path, directory without model, non-JSON, JSON that is not a model, wrong input size', async () => {
    await expect(loadModel(path.join(dir, 'nope'))).rejects.toThrow(/does not exist/);
    fs.mkdirSync(path.join(dir, 'empty'));
    await expect(loadModel(path.join(dir, 'empty'))).rejects.toThrow(/not a model directory: it has no model\.json/);
    fs.writeFileSync(path.join(dir, 'notjson.json'), 'hello');
    await expect(loadModel(path.join(dir, 'notjson.json'))).rejects.toThrow(/not a tfjs model: it is not JSON/);
    fs.writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ name: 'package' }));
    await expect(loadModel(path.join(dir, 'other.json'))).rejects.toThrow(/not a tfjs model: it has no modelTopology/);
    const target = path.join(dir, 'size16');
    const model = buildNet1({ numClasses: 3, inputSize: 16, seed: 1 });
    await saveModel(model, target, { ...meta(3), architecture: 'net1' });
    model.dispose();
    await expect(loadModel(target, { expectInputShape: 64 })).rejects.toThrow(
      /takes input \[16, 16, 3\].*but input \[64, 64, 3\] is expected/,
    );
    fs.rmSync(path.join(target, 'weights.bin'));
    await expect(loadModel(target)).rejects.toThrow(/weights\.bin.*cannot be read/);
  });

  test('the browser-safe entry names @lrpjs/models/node for file paths', async () => {
    const model = buildNet1({ numClasses: 3, inputSize: 16, seed: 0 });
    await expect(loadModelBrowserSafe(`file://${dir}/m`)).rejects.toThrow(/'@lrpjs\/models\/node'/);
    await expect(saveModelBrowserSafe(model, path.join(dir, 'm'), meta(3))).rejects.toThrow(/'@lrpjs\/models\/node'/);
    expect(fs.existsSync(path.join(dir, 'm'))).toBe(false);
    model.dispose();
  });

  test('saveModel rejects metadata that does not describe the model', async () => {
    const model = buildNet1({ numClasses: 3, inputSize: 16, seed: 1 });
    await expect(saveModel(model, path.join(dir, 'bad'), { ...meta(3), inputShape: [64, 64, 3] })).rejects.toThrow(
      /does not match/,
    );
    await expect(
      saveModel(model, path.join(dir, 'bad'), { ...meta(3), classNames: 'x' as unknown as string[] }),
    ).rejects.toThrow(/classNames/);
    model.dispose();
  });
});
