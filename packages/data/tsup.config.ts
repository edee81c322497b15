import { defineConfig } from 'tsup';

export default defineConfig({
  // resize is its own entry so browsers can take the Pillow-exact resize without the Node-only loader.
  entry: ['src/index.ts', 'src/resize.ts'],
  format: ['cjs', 'esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
