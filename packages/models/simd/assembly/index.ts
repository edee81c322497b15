/** lrpjs's SIMD module: the exports the pool in src/kernels/simd calls. */
export { convForward, convBackpropFilter } from './conv';
export { maxPool2x2Grad, columnSums } from './pool';
export { winogradFilter, winogradConv, winogradFilterGrad, winogradGradOutput } from "./winograd";
