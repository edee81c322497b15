// Real models on wasm: InceptionV3 (its own file) takes about 3 minutes on a busy 2-core machine.
module.exports = { ...require('../../jest.preset.cjs'), testTimeout: 900000 };
