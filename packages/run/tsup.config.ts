import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' },
  format: ['cjs', 'esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  // One copy of RunFormatError for both entries (CommonJS too), so instanceof holds across them.
  splitting: true,
  target: 'es2022',
});
