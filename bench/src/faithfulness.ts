/**
 * Faithfulness protocol timing: lrpjs (`@lrpjs/attribution` + `@lrpjs/lrp`, wasm) against the same protocol written
 * with PyTorch + zennit (`pytorch/faithfulness.py`), one after the other on this machine.
 *
 *   pnpm --filter @lrpjs/bench faithfulness -- [--images 32] [--steps 100] [--patch 4] [--threads 2]
 *       [--methods lrp:tutorial,…] [--zennit-src DIR] [--python /usr/bin/python3] [--skip-pytorch] [--out FILE]
 *
 * Workload (both sides): net1's architecture (64×64×3, 19 classes, seeded random weights: the timing does not
 * depend on their values), N images uniform in [-1.5, 1.5], class i mod 19 explained for image i; per method the
 * heatmaps of all images (16 per call, as `evaluate-explanations` does) and pixel flipping with both orders,
 * `steps` steps, regions of `patch`², mean replacement, 256 rows per forward pass. Prints a Markdown table of
 * seconds and ratios (lrpjs ÷ PyTorch: above 1, lrpjs is slower) and writes the JSON. The sides alternate method
 * by method (lrpjs, then PyTorch in a fresh process), so on a shared machine the two numbers of a row see about
 * the same load.
 */
import { BASELINE_NAMES, pixelFlipping, runBaseline } from '@lrpjs/attribution';
import { createComposite, explain } from '@lrpjs/lrp';
import { buildNet1, selectBackend } from '@lrpjs/models';
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The baselines from the catalogue (the Random floor is not timed) after three LRP composites.
const METHODS = [
  'lrp:tutorial',
  'lrp:epsilonPlus',
  'lrp:epsilonGammaBox',
  ...BASELINE_NAMES.filter((n) => n !== 'random'),
];
/** Images per explanation call (the CLI's chunk). */
const CHUNK = 16;

interface Options {
  images: number;
  steps: number;
  patch: number;
  threads: number;
  methods: string[];
  python: string;
  zennitSrc?: string;
  skipPytorch: boolean;
  out: string;
}

interface MethodTiming {
  method: string;
  explainSeconds: number;
  flipSeconds: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    images: 32,
    steps: 100,
    patch: 4,
    threads: 2,
    methods: METHODS,
    python: process.env.LRPJS_PYTHON ?? '/usr/bin/python3',
    skipPytorch: false,
    out: 'faithfulness-bench.json',
  };
  const base = process.env.INIT_CWD ?? process.cwd();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const count = () => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 1) throw new Error(`${flag} takes an integer ≥ 1`);
      return v;
    };
    if (flag === '--') continue;
    else if (flag === '--images') o.images = count();
    else if (flag === '--steps') o.steps = count();
    else if (flag === '--patch') o.patch = count();
    else if (flag === '--threads') o.threads = count();
    else if (flag === '--methods') o.methods = value().split(',').filter(Boolean);
    else if (flag === '--python') o.python = value();
    else if (flag === '--zennit-src') o.zennitSrc = path.resolve(base, value());
    else if (flag === '--skip-pytorch') o.skipPytorch = true;
    else if (flag === '--out') o.out = path.resolve(base, value());
    else throw new Error(`unknown flag ${flag}; see the comment at the top of bench/src/faithfulness.ts`);
  }
  const bad = o.methods.find((m) => !METHODS.includes(m));
  if (bad) throw new Error(`--methods: unknown '${bad}'; choose from ${METHODS.join(', ')}`);
  return o;
}

/** lrp:epsilonPlus → the catalogue's 'epsilon-plus'. */
const compositeName = (method: string) => method.slice(4).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function heatmaps(method: string, model: tf.LayersModel, x: tf.Tensor4D, targets: number[]): tf.Tensor3D {
  const composite = method.startsWith('lrp:') ? createComposite(compositeName(method)) : undefined;
  const parts: tf.Tensor3D[] = [];
  for (let s = 0; s < x.shape[0]; s += CHUNK) {
    const len = Math.min(CHUNK, x.shape[0] - s);
    const xi = tf.slice(x, s, len);
    const target = targets.slice(s, s + len);
    const r = composite ? explain(model, xi, { target, composite }) : runBaseline(method, model, xi, { target });
    parts.push(tf.tidy(() => tf.sum(r.relevance, 3) as tf.Tensor3D));
    tf.dispose([r.relevance, r.output, xi]);
  }
  const out = tf.concat(parts, 0);
  tf.dispose(parts);
  return out;
}

async function lrpjsSide(o: Options): Promise<{ side: string; methods: MethodTiming[] }> {
  const backend = await selectBackend({ backend: 'wasm', threads: o.threads });
  const model = buildNet1({ numClasses: 19, seed: 0 });
  const x = tf.randomUniform([o.images, 64, 64, 3], -1.5, 1.5, 'float32', 1) as tf.Tensor4D;
  const targets = Array.from({ length: o.images }, (_, i) => i % 19);
  const methods: MethodTiming[] = [];
  for (const method of o.methods) {
    // warm-up: kernels, cached ρ-weights, the logit model
    const w = tf.slice(x, 0, Math.min(2, o.images));
    const hw = heatmaps(method, model, w, targets.slice(0, w.shape[0]));
    pixelFlipping(model, w, hw, { target: targets.slice(0, w.shape[0]), steps: 2, patch: o.patch });
    tf.dispose([w, hw]);
    const t0 = performance.now();
    const heat = heatmaps(method, model, x, targets);
    const t1 = performance.now();
    pixelFlipping(model, x, heat, { target: targets, steps: o.steps, patch: o.patch, replacement: 'mean' });
    const t2 = performance.now();
    heat.dispose();
    methods.push({ method, explainSeconds: (t1 - t0) / 1000, flipSeconds: (t2 - t1) / 1000 });
    process.stderr.write(`lrpjs ${method}: ${((t2 - t0) / 1000).toFixed(1)} s (load ${os.loadavg()[0].toFixed(1)})\n`);
  }
  model.dispose();
  x.dispose();
  return { side: `lrpjs ${backend} (${o.threads} threads)`, methods };
}

function pytorchSide(o: Options): { side: string; methods: MethodTiming[] } | { error: string } {
  const script = path.join(__dirname, '..', 'pytorch', 'faithfulness.py');
  const args = [
    script,
    ...['--images', String(o.images), '--steps', String(o.steps), '--patch', String(o.patch)],
    ...['--threads', String(o.threads), '--methods', o.methods.join(',')],
    ...(o.zennitSrc ? ['--zennit-src', o.zennitSrc] : []),
  ];
  const r = spawnSync(o.python, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0)
    return { error: (r.error?.message ?? r.stderr.trim().split('\n').pop() ?? 'failed').slice(0, 300) };
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { side: string; methods: MethodTiming[] };
}

const fmt = (v: number | undefined, digits = 2) => (v === undefined ? '–' : v.toFixed(digits));

function table(o: Options, js: MethodTiming[], py: MethodTiming[] | undefined): string {
  // image·steps per second: the protocol's nominal count, images × (steps + 1) × 2 orders (× methods for 'all')
  const rate = (t: MethodTiming) =>
    ((t.method === 'all' ? js.length : 1) * o.images * (o.steps + 1) * 2) / t.flipSeconds;
  const lines = [
    '| method | lrpjs explain s | PyTorch explain s | × | lrpjs flip s | PyTorch flip s | × | lrpjs image·steps/s | PyTorch image·steps/s | total × |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const sum = (ts: MethodTiming[], k: 'explainSeconds' | 'flipSeconds') => ts.reduce((a, t) => a + t[k], 0);
  const rows = [...js.map((t) => ({ t, p: py?.find((q) => q.method === t.method) }))];
  const total = { method: 'all', explainSeconds: sum(js, 'explainSeconds'), flipSeconds: sum(js, 'flipSeconds') };
  const pyTotal = py && {
    method: 'all',
    explainSeconds: sum(py, 'explainSeconds'),
    flipSeconds: sum(py, 'flipSeconds'),
  };
  for (const { t, p } of [...rows, { t: total, p: pyTotal }]) {
    const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : '–');
    lines.push(
      `| ${t.method} | ${fmt(t.explainSeconds)} | ${fmt(p?.explainSeconds)} | ${ratio(t.explainSeconds, p?.explainSeconds)} ` +
        `| ${fmt(t.flipSeconds)} | ${fmt(p?.flipSeconds)} | ${ratio(t.flipSeconds, p?.flipSeconds)} ` +
        `| ${Math.round(rate(t))} | ${p ? Math.round(rate(p)) : '–'} ` +
        `| ${ratio(t.explainSeconds + t.flipSeconds, p && p.explainSeconds + p.flipSeconds)} |`,
    );
  }
  return lines.join('\n');
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const loadBefore = os.loadavg()[0];
  // Method by method, lrpjs then PyTorch: on a shared machine both sides of a row see about the same load.
  const js = { side: '', methods: [] as MethodTiming[] };
  let py: { side: string; methods: MethodTiming[] } | { error: string } = { side: '', methods: [] };
  for (const method of o.methods) {
    const one = { ...o, methods: [method] };
    const j = await lrpjsSide(one);
    js.side = j.side;
    js.methods.push(...j.methods);
    if (o.skipPytorch) py = { error: 'skipped (--skip-pytorch)' };
    if ('error' in py) continue;
    const p = pytorchSide(one);
    if ('error' in p) py = p;
    else py = { side: p.side, methods: [...py.methods, ...p.methods] };
  }
  const loadAfter = os.loadavg()[0];
  const pyMethods = 'methods' in py ? py.methods : undefined;
  console.log(
    `${o.images} images, ${o.steps} steps, patch ${o.patch}, mean replacement; ${js.side} vs ` +
      `${'side' in py ? py.side : `PyTorch: ${py.error}`}; load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} ` +
      `on ${os.cpus().length} cores`,
  );
  console.log(table(o, js.methods, pyMethods));
  fs.writeFileSync(
    o.out,
    JSON.stringify({ settings: o, loadAverage: [loadBefore, loadAfter], lrpjs: js, pytorch: py }, null, 2) + '\n',
  );
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
