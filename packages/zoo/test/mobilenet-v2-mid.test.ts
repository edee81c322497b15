/** nsfwjs's default MobileNetV2Mid (GraphModel, uint8-quantized, BatchNorm fused by the converter): see helpers/zoo-suite.ts. */
import { describeZooModel } from './helpers/zoo-suite';

// The tutorial's γ with a plain +1e-9 diverges on the linear bottlenecks (|ΣR| of 1e24 for logits near 4).
describeZooModel('MobileNetV2Mid', { diverging: ['tutorial'] });
