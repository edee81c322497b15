import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildVgg16Features, CAFFE_MEAN_BGR, VGG16_NOTOP_WEIGHTS, type Vgg16Weights } from '../../src/transfer';
import {
  loadVgg16Weights,
  resolveVgg16WeightsFile,
  vgg16WeightsCachePath,
  WeightsUnavailableError,
  type TransferProgress,
} from '../../src/node';
import { writeKerasH5Weights } from '../../src/transfer/hdf5';
import { uniform, writeVggFixture } from './vgg-fixture';

// Jest's toEqual walks large typed arrays element by element (seconds); compare directly.
function sameValues(a: Float32Array, b: Float32Array): boolean {
  return (
    a.length === b.length &&
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
  );
}

let tmp: string;
let fixtureFile: string;
let fixtureWeights: Vgg16Weights;

beforeAll(async () => {
  await tf.setBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrpjs-vgg-'));
  fixtureFile = path.join(tmp, 'fixture-notop.h5');
  fixtureWeights = await writeVggFixture(fixtureFile, 'keras1');
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('VGG-16 weights from Keras HDF5', () => {
  it('reads the keras.applications layout (layer_names, weight_names, <layer>_W_1:0)', async () => {
    const weights = await loadVgg16Weights(fixtureFile);
    expect(Object.keys(weights)).toEqual(Object.keys(fixtureWeights));
    for (const [name, w] of Object.entries(fixtureWeights)) {
      expect(sameValues(weights[name].kernel, w.kernel)).toBe(true);
      expect(sameValues(weights[name].bias, w.bias)).toBe(true);
    }
  });

  it('reads the Keras 2 layout (<layer>/<layer>/kernel:0) and bytes as well as paths', async () => {
    const file = path.join(tmp, 'keras2.h5');
    const written = await writeVggFixture(file, 'keras2', 7);
    const weights = await loadVgg16Weights(new Uint8Array(fs.readFileSync(file)));
    expect(sameValues(weights.block3_conv3.kernel, written.block3_conv3.kernel)).toBe(true);
    expect(sameValues(weights.block1_conv1.bias, written.block1_conv1.bias)).toBe(true);
  });

  it('explains what is wrong with other files', async () => {
    const notKeras = path.join(tmp, 'not-keras.h5');
    await writeKerasH5Weights(notKeras, [{ name: 'foo', weights: [] }]);
    await expect(loadVgg16Weights(notKeras)).rejects.toThrow(
      `${notKeras} is not VGG-16 notop weights (missing layer block1_conv1`,
    );
    const wrongShape = path.join(tmp, 'theano.h5');
    await writeKerasH5Weights(wrongShape, [
      {
        name: 'block1_conv1',
        weights: [
          { name: 'k', shape: [64, 3, 3, 3], values: new Float32Array(1728) },
          { name: 'b', shape: [64], values: new Float32Array(64) },
        ],
      },
    ]);
    await expect(loadVgg16Weights(wrongShape)).rejects.toThrow(/expected kernel \[3,3,3,64\]/);
    await expect(loadVgg16Weights(path.join(tmp, 'missing.h5'))).rejects.toThrow(/not found/);
  });
});

describe('buildVgg16Features', () => {
  it("has the tutorial's 17 layers with Keras names and gives 8x8x256 for 64x64", async () => {
    const model = buildVgg16Features({ inputSize: 64 });
    expect(model.layers.map((l) => l.name)).toEqual([
      'caffe_preprocess',
      'block1_conv1',
      'block1_conv2',
      'block1_pool',
      'block2_conv1',
      'block2_conv2',
      'block2_pool',
      'block3_conv1',
      'block3_conv2',
      'block3_conv3',
      'block3_pool',
    ]);
    expect(model.outputShape).toEqual([null, 8, 8, 256]);
    const x = tf.zeros([1, 64, 64, 3]);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 8, 8, 256]);
    tf.dispose([x, y]);
    model.dispose();
    expect(() => buildVgg16Features({ inputSize: 60 })).toThrow(/multiple of 8/);
  });

  it('block1_conv1 equals a hand-computed convolution of the caffe input', () => {
    const size = 16;
    const model = buildVgg16Features({ inputSize: size, weights: fixtureWeights });
    const conv1 = tf.model({
      inputs: model.inputs,
      outputs: model.getLayer('block1_conv1').output as tf.SymbolicTensor,
    });
    const pixels = uniform(size * size * 3, 42).map((v) => (v + 1) / 2); // [0, 1)
    const x = tf.tensor4d(
      pixels.map((p) => p * 3 - 1.5),
      [1, size, size, 3],
    );
    const y = conv1.predict(x) as tf.Tensor;
    const out = y.dataSync();
    const { kernel, bias } = fixtureWeights.block1_conv1;
    // caffe input: BGR, 0..255, mean subtracted; zero padding outside the image.
    const caffe = (r: number, c: number, ch: number) =>
      r < 0 || c < 0 || r >= size || c >= size ? 0 : pixels[(r * size + c) * 3 + (2 - ch)] * 255 - CAFFE_MEAN_BGR[ch];
    for (const [r, c, o] of [
      [0, 0, 0],
      [5, 7, 13],
      [15, 3, 63],
      [9, 15, 31],
    ]) {
      let z = bias[o];
      for (let dy = 0; dy < 3; dy++)
        for (let dx = 0; dx < 3; dx++)
          for (let ch = 0; ch < 3; ch++)
            z += caffe(r + dy - 1, c + dx - 1, ch) * kernel[((dy * 3 + dx) * 3 + ch) * 64 + o];
      expect(out[(r * size + c) * 64 + o]).toBeCloseTo(Math.max(0, z), 2);
    }
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('resolveVgg16WeightsFile', () => {
  let server: http.Server;
  let baseUrl: string;
  let requests = 0;
  let md5: string;

  beforeAll(async () => {
    const body = fs.readFileSync(fixtureFile);
    md5 = createHash('md5').update(body).digest('hex');
    server = http.createServer((req, res) => {
      requests += 1;
      if (req.url === '/notop.h5') {
        res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
        // Several chunks, so progress is reported more than once.
        const step = Math.ceil(body.length / 4);
        for (let i = 0; i < body.length; i += step) res.write(body.subarray(i, i + step));
        res.end();
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('downloads into <dataHome>/models with progress and md5 check, then reuses the cache', async () => {
    const dataHome = path.join(tmp, 'home1');
    const progress: TransferProgress[] = [];
    const file = await resolveVgg16WeightsFile({
      dataHome,
      url: `${baseUrl}/notop.h5`,
      md5,
      onProgress: (p) => progress.push(p),
    });
    expect(file).toBe(path.join(dataHome, 'models', VGG16_NOTOP_WEIGHTS.fileName));
    expect(file).toBe(vgg16WeightsCachePath(dataHome));
    expect(fs.readFileSync(file).equals(fs.readFileSync(fixtureFile))).toBe(true);
    const size = fs.statSync(fixtureFile).size;
    expect(progress.length).toBeGreaterThan(2);
    expect(progress[progress.length - 1]).toMatchObject({ done: size, total: size });
    const before = requests;
    await expect(resolveVgg16WeightsFile({ dataHome, url: `${baseUrl}/notop.h5`, md5 })).resolves.toBe(file);
    expect(requests).toBe(before);
    const weights = await loadVgg16Weights(file);
    expect(sameValues(weights.block2_conv1.kernel, fixtureWeights.block2_conv1.kernel)).toBe(true);
  });

  it('leaves nothing behind on a checksum mismatch', async () => {
    const dataHome = path.join(tmp, 'home2');
    await expect(
      resolveVgg16WeightsFile({ dataHome, url: `${baseUrl}/notop.h5`, md5: '0'.repeat(32) }),
    ).rejects.toThrow(/Checksum mismatch/);
    const dir = path.join(dataHome, 'models');
    expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
  });

  it('says where to put the file when offline or when downloading is off', async () => {
    const dataHome = path.join(tmp, 'home3');
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const offline = resolveVgg16WeightsFile({ dataHome, url: `http://127.0.0.1:${port}/notop.h5` });
    await expect(offline).rejects.toBeInstanceOf(WeightsUnavailableError);
    await expect(offline).rejects.toThrow(/--vgg16-weights PATH/);
    await expect(offline).rejects.toThrow(vgg16WeightsCachePath(dataHome));
    await expect(resolveVgg16WeightsFile({ dataHome, download: false })).rejects.toThrow(/downloading is off/);
    await expect(resolveVgg16WeightsFile({ weightsPath: path.join(tmp, 'nope.h5') })).rejects.toThrow(/not found/);
    await expect(resolveVgg16WeightsFile({ weightsPath: fixtureFile })).resolves.toBe(fixtureFile);
  });
});
