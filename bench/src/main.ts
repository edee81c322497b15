/**
 * `pnpm bench`: lrpjs (each tfjs backend in its own process) and the tutorial's PyTorch code
 * (bench/pytorch/bench.py), one after the other on the same machine, same data, same shapes, same
 * thread count; prints a table of medians and ratios and writes the JSON (--out).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveLfwPaths } from '@lrpjs/data';
import { parseBenchArgs, USAGE, type BenchSettings } from './options';
import type { WorkerConfig } from './recorder';
import { buildRows, formatFooter, formatProfiles, formatTable } from './report';
import { BACKEND_STAGES, LOAD_STAGES, PYTORCH_STAGES, type RunnerResult } from './stages';

const BENCH_DIR = path.resolve(__dirname, '..');

/** Runs a child to completion or until `timeoutS`; output goes straight to our stderr. */
function runChild(
  command: string,
  args: string[],
  timeoutS: number,
): Promise<{ code: number | null; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: BENCH_DIR, stdio: ['ignore', 'inherit', 'inherit'] });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutS * 1000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut });
    });
  });
}

function readResult(file: string): RunnerResult | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as RunnerResult;
  } catch {
    return null;
  }
}

/** Marks a child that died (or was killed for time) on the result it left behind. */
function settle(
  result: RunnerResult | null,
  base: Pick<RunnerResult, 'runner' | 'backend'>,
  exit: { code: number | null; timedOut: boolean },
): RunnerResult {
  const r: RunnerResult = result ?? { ...base, versions: {}, stages: {} };
  if (exit.timedOut) {
    r.status = r.status === 'ok' || r.status === undefined ? 'ok' : r.status;
    r.reason = 'killed after its time limit; later stages missing';
  } else if (exit.code !== 0 && r.status !== 'unavailable') {
    if (Object.keys(r.stages).length === 0) r.status = 'failed';
    r.reason = r.reason ?? `process exited with code ${exit.code} (see its output above)`;
  }
  return r;
}

async function runWorker(
  settings: BenchSettings,
  backend: WorkerConfig['backend'],
  tmp: string,
  stageCount: number,
): Promise<RunnerResult> {
  const out = path.join(tmp, `${backend}.json`);
  const configFile = path.join(tmp, `${backend}.config.json`);
  const config: WorkerConfig = { settings, backend, out };
  fs.writeFileSync(configFile, JSON.stringify(config));
  const args = ['--conditions=source', '--import', 'tsx', path.join(__dirname, 'worker.ts'), configFile];
  // Each stage polices its own budget; this limit only catches a stage that overruns it badly.
  const exit = await runChild(process.execPath, args, 300 + 2 * stageCount * settings.stageBudget);
  return settle(readResult(out), { runner: 'lrpjs', backend }, exit);
}

/** Checks that the interpreter has the tutorial's packages; the reason when it has not. */
function pytorchMissing(python: string): string | null {
  const r = spawnSync(python, ['-c', 'import torch, torchvision, sklearn, PIL'], { encoding: 'utf8' });
  if (r.error)
    return `${python} not found (${(r.error as NodeJS.ErrnoException).code}); pass --python PATH or set LRPJS_PYTHON`;
  if (r.status !== 0) {
    const last = r.stderr.trim().split('\n').pop();
    return `${python} lacks the tutorial's packages (${last}); on Debian: apt-get install python3-torch python3-torchvision python3-sklearn python3-pil`;
  }
  return null;
}

async function runPytorch(settings: BenchSettings, tmp: string): Promise<RunnerResult> {
  const base = { runner: 'pytorch' as const, backend: 'pytorch' };
  const stages = settings.stages.filter((s) => PYTORCH_STAGES.includes(s));
  const missing = pytorchMissing(settings.python);
  if (missing) {
    process.stderr.write(`[pytorch] skipped: ${missing}\n`);
    return { ...base, status: 'unavailable', reason: missing, versions: {}, stages: {} };
  }
  const out = path.join(tmp, 'pytorch.json');
  const folder = resolveLfwPaths({ dataHome: settings.dataHome, variant: settings.variant }).folder;
  const args = [
    path.join(BENCH_DIR, 'pytorch', 'bench.py'),
    ...['--lfw-folder', folder, '--min-faces', String(settings.minFaces), '--iterations', String(settings.iterations)],
    ...['--threads', String(settings.threads), '--seed', String(settings.seed)],
    ...[
      '--reps-load',
      String(settings.reps.load),
      '--reps-vgg',
      String(settings.reps.vgg),
      '--reps-lrp',
      String(settings.reps.lrp),
    ],
    ...[
      '--vgg-images',
      String(settings.vggImages),
      '--vgg-batch',
      String(settings.vggBatch),
      '--lrp-images',
      String(settings.lrpImages),
    ],
    ...['--stages', stages.join(','), '--out', out],
  ];
  const exit = await runChild(settings.python, args, 300 + 2 * stages.length * settings.stageBudget);
  const result = readResult(out);
  if (result) result.backend = 'pytorch';
  return settle(result, base, exit);
}

function machine(): { platform: string; cpuModel: string; cpus: number; memGiB: number; node: string } {
  return {
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.cpus().length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.versions.node,
  };
}

async function main(argv: string[]): Promise<number> {
  let settings: BenchSettings | 'help';
  try {
    settings = parseBenchArgs(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (settings === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const started = new Date();
  const loadStart = os.loadavg();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrpjs-bench-'));
  const runners: RunnerResult[] = [];
  try {
    // lrpjs first: when the images are missing, the load process downloads them for PyTorch too.
    const loadStages = settings.stages.filter((s) => LOAD_STAGES.includes(s));
    const backendStages = settings.stages.filter((s) => BACKEND_STAGES.includes(s));
    if (loadStages.length > 0) runners.push(await runWorker(settings, 'node', tmp, loadStages.length));
    if (backendStages.length > 0) {
      for (const backend of settings.backends)
        runners.push(await runWorker(settings, backend, tmp, backendStages.length));
    }
    if (!settings.skipPytorch) runners.unshift(await runPytorch(settings, tmp));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const rows = buildRows(runners, settings.stages);
  const table = formatTable(rows);
  const pytorch = runners.find((r) => r.runner === 'pytorch');
  const wasm = runners.find((r) => r.backend === 'wasm');
  const threads = {
    js: settings.threads,
    wasm: wasm?.threads,
    pytorch: pytorch?.threads,
    cpuBackend: 1,
  };
  const report = {
    version: 1,
    createdAt: started.toISOString(),
    seconds: (Date.now() - started.getTime()) / 1000,
    command: `pnpm bench -- ${argv.filter((a) => a !== '--').join(' ')}`.trim(),
    machine: { ...machine(), loadavgStart: loadStart, loadavgEnd: os.loadavg() },
    settings,
    threads,
    runners,
    rows,
    table,
  };
  fs.mkdirSync(path.dirname(settings.out), { recursive: true });
  fs.writeFileSync(settings.out, `${JSON.stringify(report, null, 1)}\n`);

  const m = report.machine;
  const lines = [
    '',
    `lrpjs vs PyTorch — ${m.cpuModel}, ${m.cpus} cores, ${m.memGiB} GiB, Node ${m.node}` +
      (pytorch?.versions.torch ? `, torch ${pytorch.versions.torch}` : ''),
    `threads: wasm ${threads.wasm ?? '–'}, PyTorch ${threads.pytorch ?? '–'} (asked ${settings.threads}); cpu backend 1. ` +
      `iterations ${settings.iterations}${settings.quick ? ' (--quick)' : ''}; load average ${loadStart.map((v) => v.toFixed(1)).join(' ')} → ${os
        .loadavg()
        .map((v) => v.toFixed(1))
        .join(' ')}`,
    '',
    table,
    '',
  ];
  lines.push(...formatProfiles(runners));
  lines.push(...formatFooter(runners));
  lines.push(`× PyTorch: lrpjs median / PyTorch median (> 1 = slower, or more memory). JSON: ${settings.out}`, '');
  process.stdout.write(lines.join('\n'));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
