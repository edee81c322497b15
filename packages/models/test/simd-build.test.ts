import { execFileSync } from 'node:child_process';
import path from 'node:path';

// The committed wasm (src/kernels/simd/conv-wasm.generated.ts) must be what simd/ compiles to with the
// pinned AssemblyScript: a change to the sources without a rebuild, or a binary from anywhere else, fails here.
test('the committed SIMD module is built from simd/ (pnpm --filter @lrpjs/models build:simd)', () => {
  const out = execFileSync(process.execPath, [path.join(__dirname, '..', 'simd', 'build.mjs'), '--check'], {
    encoding: 'utf8',
  });
  expect(out).toMatch(/matches its sources/);
});
