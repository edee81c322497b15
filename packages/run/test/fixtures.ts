/** A metrics.json as lrpjs 0.1 (run format 1) wrote it, trimmed to two classes. */
export function metricsV1(): Record<string, unknown> {
  return {
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    backend: 'wasm',
    versions: { lrpjs: '0.1.0', tfjs: '4.22.0', node: 'v20.0.0' },
    settings: { dataHome: '/data', variant: 'deepfunneled', seed: 0, iterations: 10, composite: { name: 'auto' } },
    seconds: { total: 1.5 },
    classNames: ['Ariel Sharon', 'Colin Powell'],
    nets: {
      net1: {
        description: 'two conv layers',
        inputSize: 64,
        trainAccuracy: 1,
        testAccuracy: 0.5,
        curve: [{ iteration: 0, trainAccuracy: 0.5, testAccuracy: 0.5 }],
        perClassAccuracy: [1, 0],
        confusion: [
          [1, 0],
          [1, 0],
        ],
        modelPath: 'models/net1',
        heatmap: {
          testIndices: [0, 1],
          targets: [0, 1],
          limit: 0.3,
          file: 'heatmaps-net1.png',
          relevanceFile: 'relevance-net1.npy',
        },
      },
    },
    skipped: { net3: 'no VGG-16 weights' },
  };
}

export function galleryV1(): Record<string, unknown> {
  return {
    count: 2,
    tile: { '64': 'images-64.png' },
    columns: 8,
    testIndices: [0, 1],
    targets: [0, 1],
    classNames: ['Ariel Sharon', 'Colin Powell'],
    predictions: { net1: [0, 0] },
  };
}
