/**
 * @lrpjs/models — the tutorial's networks (net1, net2), backend selection and the wasm kernels that make
 * training fast there, training and evaluation, and save/load with metadata. Browser-safe: file I/O and
 * downloads are in `@lrpjs/models/node`.
 */
export { selectBackend, backendInfo } from './backend/select';
export type { BackendName, BackendInfo, SelectBackendOptions } from './backend/select';
export { registerWasmKernels } from './kernels';
export type { RegisterWasmKernelsOptions } from './kernels';

export { buildNet1, buildNet2, initLikePyTorch, NET2_DROPOUT_RATE } from './nets';
export type { NetOptions } from './nets';
export { SpatialDropout2D, spatialDropout2d } from './layers/spatial-dropout2d';
export type { SpatialDropout2DArgs } from './layers/spatial-dropout2d';

export { train } from './train';
export type { TrainData, TrainOptions, TrainResult, EvaluationPoint, StepInfo } from './train';
export { evaluate, predictLogits, predictClasses, scorePredictions } from './evaluate';
export type { Evaluation, EvaluateOptions } from './evaluate';

export { saveModel, loadModel } from './io/model-io';
export type { ModelSource, LoadModelOptions, LoadedModel } from './io/model-io';
export { TUTORIAL_INPUT_NORMALIZATION, METADATA_KEY } from './metadata';
export type { ModelMetadata, Normalization } from './metadata';
export { createRng } from './rng';
export type { Rng } from './rng';
export * from './transfer';
