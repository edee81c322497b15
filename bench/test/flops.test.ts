import * as tf from '@tensorflow/tfjs';
import { buildNet1, buildVgg16Features } from '@lrpjs/models';
import {
  forwardFlops,
  lrpFlops,
  modelLinearLayers,
  net1Layers,
  net3Layers,
  trainStepFlops,
  vgg17Layers,
} from '../src/flops';

// Building the models touches tfjs's cpu backend, whose "install tfjs-node" banner is noise here.
tf.env().set('IS_TEST', true);

// Hand-computed: 2·H·W·Cout·k·k·Cin per conv.
const NET1_64_19 = [
  2 * 64 * 64 * 10 * 25 * 3, // 6_144_000
  2 * 32 * 32 * 25 * 25 * 10, // 12_800_000
  2 * 16 * 16 * 100 * 25 * 25, // 32_000_000
  2 * 19 * 8 * 8 * 100, // 243_200
];

describe('analytic FLOPs', () => {
  it('counts net1 layer by layer', () => {
    expect(net1Layers(19).map((l) => l.forward)).toEqual([6_144_000, 12_800_000, 32_000_000, 243_200]);
    expect(forwardFlops(net1Layers(19))).toBe(51_187_200);
  });

  it('counts a training step as forward + weight grad + input grad (none for the first layer)', () => {
    expect(trainStepFlops(net1Layers(19), 25)).toBe(25 * (3 * 51_187_200 - 6_144_000));
  });

  it("counts the tutorial's LRP as 3·Σ + 4·first", () => {
    expect(lrpFlops(net1Layers(19))).toBe(3 * 51_187_200 + 4 * 6_144_000);
  });

  it('counts VGG-17 on 64×64 at 1.524 GFLOP per image', () => {
    expect(forwardFlops(vgg17Layers())).toBe(1_524_105_216);
    expect(forwardFlops(net3Layers(19)) - forwardFlops(vgg17Layers())).toBe(2 * 19 * 8 * 8 * 256);
  });

  it('reads the same counts off the tfjs models', () => {
    const net1 = buildNet1({ numClasses: 19, seed: 0 });
    const vgg = buildVgg16Features({ seed: 0 });
    try {
      expect(modelLinearLayers(net1).map((l) => l.forward)).toEqual(NET1_64_19);
      expect(forwardFlops(modelLinearLayers(vgg))).toBe(1_524_105_216);
    } finally {
      net1.dispose();
      vgg.dispose();
    }
    expect(tf.memory().numTensors).toBe(0);
  });
});
