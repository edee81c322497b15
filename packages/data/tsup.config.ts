import { defineConfig } from 'tsup';

export default defineConfig({
  // resize is its own entry so browsers can take the Pillow-exact resize without the Node-only loader;
  // browser is the whole browser-safe part.
  entry: ['src/index.ts', 'src/browser.ts', 'src/resize.ts'],
  splitting: true,
  format: ['cjs', 'esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
