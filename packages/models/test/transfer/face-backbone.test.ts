import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { selectBackend } from '../../src/backend/select';
import {
  buildFaceBackbone,
  buildNet4,
  FACE_DESCRIPTOR_SIZE,
  fitLogisticRegression,
  type LogisticRegressionModel,
} from '../../src/transfer';
import { defaultFaceWeightsDir, readFaceApiWeights } from '../../src/node';

// Three real LFW crops (deep-funneled, rows/cols 68:197, resized to 150x150), uint8 NHWC RGB.
const FACES = path.join(__dirname, 'fixtures', 'lfw-faces-3x150x150x3.u8');
const LRP_LAYERS = new Set([
  'InputLayer',
  'ChannelAffine',
  'Conv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'ZeroPadding2D',
  'Add',
  'ReLU',
  'GlobalAveragePooling2D',
  'Dense',
  'Flatten',
]);

let backbone: tf.LayersModel;
let pixels: tf.Tensor4D;

const tutorialInput = () => tf.tidy(() => tf.sub(tf.mul(tf.div(pixels, 255), 3), 1.5) as tf.Tensor4D);

beforeAll(async () => {
  // wasm: the 150x150 ResNet is ~10x slower on the pure-JS cpu backend.
  await selectBackend({ backend: 'wasm' });
  backbone = buildFaceBackbone({ weights: readFaceApiWeights() });
  pixels = tf.tensor4d(Float32Array.from(fs.readFileSync(FACES)), [3, 150, 150, 3]);
});

afterAll(() => {
  backbone.dispose();
  pixels.dispose();
});

describe('face backbone (face-api FaceRecognitionNet rebuilt from standard layers)', () => {
  it("matches face-api's own computeFaceDescriptor on real faces (max |diff| <= 1e-3)", async () => {
    await faceapi.nets.faceRecognitionNet.loadFromDisk(
      path.dirname(require.resolve('@vladmandic/face-api/model/face_recognition_model.bin')),
    );
    const reference: Float32Array[] = [];
    for (let i = 0; i < 3; i++) {
      const img = tf.tidy(() => tf.squeeze(tf.slice(pixels, [i, 0, 0, 0], [1, -1, -1, -1]), [0]) as tf.Tensor3D);
      // face-api bundles its own tfjs typings; at runtime it uses this very tfjs instance.
      reference.push((await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(img as never)) as Float32Array);
      img.dispose();
    }
    faceapi.nets.faceRecognitionNet.dispose();
    const x = tutorialInput();
    const out = backbone.predict(x) as tf.Tensor;
    expect(out.shape).toEqual([3, FACE_DESCRIPTOR_SIZE]);
    const ours = out.dataSync();
    let maxDiff = 0;
    reference.forEach((ref, i) =>
      ref.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - ours[i * 128 + j])))),
    );
    expect(maxDiff).toBeLessThanOrEqual(1e-3);
    // Descriptors of different people are far apart (face-api's match threshold is 0.6).
    const dist = (a: number, b: number) => Math.hypot(...reference[a].map((v, j) => v - reference[b][j]));
    expect(Math.min(dist(0, 1), dist(0, 2), dist(1, 2))).toBeGreaterThan(0.6);
    tf.dispose([x, out]);
  });

  it('is built only from layers that LRP understands, with the expected shapes', () => {
    const classes = new Set(backbone.layers.map((l) => l.getClassName()));
    expect([...classes].filter((c) => !LRP_LAYERS.has(c))).toEqual([]);
    expect(backbone.inputs[0].shape).toEqual([null, 150, 150, 3]);
    expect(backbone.getLayer('conv256_down_pad').outputShape).toEqual([null, 4, 4, 256]);
    expect(backbone.getLayer('conv256_down_out_pad').outputShape).toEqual([null, 2, 2, 256]);
    expect(backbone.getLayer('conv256_down_shortcut_widen').outputShape).toEqual([null, 4, 4, 256]);
    // 117 manifest tensors; 16 blocks of conv + folded scale.
    expect(readFaceApiWeights(defaultFaceWeightsDir()).size).toBe(117);
  });
});

describe('net4 = backbone + logistic regression head', () => {
  let net4: tf.LayersModel;
  let x: tf.Tensor4D;
  let head: LogisticRegressionModel;
  let descriptors: Float32Array;

  beforeAll(async () => {
    x = tutorialInput();
    const d = backbone.predict(x) as tf.Tensor2D;
    descriptors = d.dataSync() as Float32Array;
    // A head that tells the three people apart, as on the real data (fitted on their descriptors).
    head = await fitLogisticRegression(d, [0, 1, 2]);
    d.dispose();
    // Built once per process: tfjs renames the weights of a second layer called "head" (head/kernel_1).
    net4 = buildNet4({ backbone, head });
  });

  afterAll(() => x.dispose());

  it('appends the regression as a Dense head: logits = descriptor · coefᵀ + intercept', () => {
    expect(net4.outputShape).toEqual([null, 3]);
    expect(net4.layers[net4.layers.length - 1].getClassName()).toBe('Dense');
    const logits = net4.predict(x) as tf.Tensor;
    const z = logits.dataSync();
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let expected = head.intercept[j];
        for (let f = 0; f < 128; f++) expected += descriptors[i * 128 + f] * head.coef[j * 128 + f];
        expect(z[i * 3 + j]).toBeCloseTo(expected, 4);
      }
    }
    logits.dispose();
  });

  it('saves and loads as a plain tfjs layers model', async () => {
    let artifacts: tf.io.ModelArtifacts | undefined;
    await net4.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const x1 = tf.slice(x, [1, 0, 0, 0], [1, -1, -1, -1]);
    const [a, b] = [net4.predict(x1) as tf.Tensor, loaded.predict(x1) as tf.Tensor];
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])).toBe(0);
    tf.dispose([x1, a, b]);
    loaded.dispose();
  });

  // LRP on net4 (relevance on the face, every composite) is tested in @lrpjs/lrp: models does not depend on lrp.
});
