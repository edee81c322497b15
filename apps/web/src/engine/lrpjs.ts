// The engine's one import site of the lrpjs packages.
import * as tf from '@tensorflow/tfjs';
import { ChannelAffine, SpatialDropout2D } from '@lrpjs/models';
// Registers the 'webgpu' backend (the probe measures it where navigator.gpu gives an adapter).
import '@tensorflow/tfjs-backend-webgpu';

export { loadModel, selectBackend, backendInfo } from '@lrpjs/models';
export {
  explain,
  disposeCache,
  createComposite,
  recommendedComposite,
  rankConcepts,
  conceptHeatmaps,
  conceptsInRegion,
} from '@lrpjs/lrp';
export { runBaseline, pixelFlipping } from '@lrpjs/attribution';

// @lrpjs/models registers its custom layers when its modules load, but its package.json says
// "sideEffects": false, so a production bundle drops those modules and saved net2/net3/net4 models fail with
// "Unknown layer". Registering them here keeps the classes (registering twice is harmless).
tf.serialization.registerClass(SpatialDropout2D);
tf.serialization.registerClass(ChannelAffine);
