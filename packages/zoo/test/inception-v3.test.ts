/**
 * nsfwjs's InceptionV3 (LayersModel, 299×299, 94 Conv2D + BatchNormalization): see helpers/zoo-suite.ts.
 * Its modified weights are the largest of the zoo (0.3–0.6 GB per preset): every preset in a row without
 * disposeCache checks that the bounded cache keeps wasm alive.
 */
import { describeZooModel } from './helpers/zoo-suite';

describeZooModel('InceptionV3');
