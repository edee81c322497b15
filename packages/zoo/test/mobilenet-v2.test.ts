/** nsfwjs's MobileNetV2 (LayersModel: DepthwiseConv2D, BatchNormalization, ReLU(6), Add): see helpers/zoo-suite.ts. */
import { describeZooModel } from './helpers/zoo-suite';

// The tutorial's γ with a plain +1e-9 diverges on the linear bottlenecks (|ΣR| of 1e19 for logits near 9).
describeZooModel('MobileNetV2', { diverging: ['tutorial'] });
