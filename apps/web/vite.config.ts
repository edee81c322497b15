import { defineConfig, defaultClientConditions, type Plugin, type Connect } from 'vite';
import react from '@vitejs/plugin-react';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Static files the page needs at run time, copied from node_modules so the site works offline. */
function staticAssets(): Record<string, string> {
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const faceDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  const files: Record<string, string> = {};
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    files[`tfjs-wasm/${f}`] = path.join(wasmDir, 'dist', f);
  }
  // SSD MobileNet v1 finds faces more reliably than the tiny detector on LFW-like portraits (5.6 MB).
  for (const f of ['ssd_mobilenetv1_model-weights_manifest.json', 'ssd_mobilenetv1_model.bin']) {
    files[`face-models/${f}`] = path.join(faceDir, f);
  }
  return files;
}

const MIME: Record<string, string> = {
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.html': 'text/html; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.npy': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

function sendFile(res: import('node:http').ServerResponse, file: string): void {
  res.setHeader('Content-Type', MIME[path.extname(file)] ?? 'application/octet-stream');
  res.setHeader('Content-Length', String(statSync(file).size));
  res.setHeader('Cache-Control', 'no-cache');
  createReadStream(file).pipe(res);
}

/**
 * The run folder to serve at /run/: env LRPJS_RUN_DIR (set by scripts/dev.mjs from its argument). A folder of
 * runs (no metrics.json, run sub-folders) serves its newest run.
 */
export function resolveRunDir(dir = process.env.LRPJS_RUN_DIR): string | undefined {
  if (!dir) return undefined;
  const abs = path.resolve(dir);
  if (!existsSync(abs)) throw new Error(`LRPJS_RUN_DIR=${abs} does not exist; pass a run folder written by the CLI.`);
  if (existsSync(path.join(abs, 'metrics.json'))) return abs;
  const { readdirSync } = require('node:fs') as typeof import('node:fs');
  const runs = readdirSync(abs)
    .filter((d) => existsSync(path.join(abs, d, 'metrics.json')))
    .sort();
  if (runs.length === 0) throw new Error(`${abs} holds no metrics.json (nor sub-folders with one); pass a run folder.`);
  return path.join(abs, runs[runs.length - 1]);
}

/** Serves /run/* from the run folder and the wasm/face-model files in dev and preview; emits the latter in build. */
function lrpjsServe(): Plugin {
  const assets = staticAssets();
  const runDir = resolveRunDir();
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const url = decodeURIComponent((req.url ?? '').split('?')[0]);
    const rel = url.replace(/^\/+/, '');
    if (assets[rel]) return sendFile(res, assets[rel]);
    // Without a run, /run/* is a plain 404: the SPA fallback would answer index.html with 200, a false "run".
    if (rel.startsWith('run/') && !runDir) {
      res.statusCode = 404;
      return res.end('no run is served (set LRPJS_RUN_DIR)');
    }
    if (runDir && rel.startsWith('run/')) {
      const file = path.resolve(runDir, rel.slice(4));
      // Never serve anything outside the run folder (../ in the URL).
      if (!file.startsWith(runDir + path.sep)) {
        res.statusCode = 403;
        return res.end('forbidden');
      }
      if (existsSync(file) && statSync(file).isFile()) return sendFile(res, file);
      res.statusCode = 404;
      return res.end('not found');
    }
    next();
  };
  return {
    name: 'lrpjs-serve',
    configureServer(server) {
      if (runDir) server.config.logger.info(`  lrpjs: serving run ${runDir} at /run/`);
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      if (runDir) server.config.logger.info(`  lrpjs: serving run ${runDir} at /run/`);
      server.middlewares.use(middleware);
    },
    generateBundle() {
      for (const [fileName, file] of Object.entries(assets)) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(file) });
      }
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [react(), lrpjsServe()],
  resolve: {
    // Workspace packages resolve to their TypeScript sources (no build step needed for dev).
    conditions: ['source', ...defaultClientConditions],
    // One tfjs engine for the app, @lrpjs/* and face-api, or backends and registered layers would split.
    dedupe: [
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-layers',
      '@tensorflow/tfjs-converter',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-webgl',
      '@tensorflow/tfjs-backend-wasm',
    ],
  },
  worker: { format: 'es' },
  // No cross-origin isolation headers on purpose: with them tfjs picks its multi-threaded wasm build, whose
  // pthread glue fails inside a bundled module worker ("e is not defined"); the engine runs single-threaded wasm.
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000, sourcemap: false },
});
