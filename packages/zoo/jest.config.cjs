// Real models on wasm: InceptionV3 with every preset takes minutes on a busy 2-core machine.
module.exports = { ...require('../../jest.preset.cjs'), testTimeout: 900000 };
