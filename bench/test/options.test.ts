import * as path from 'node:path';
import { parseBenchArgs, type BenchSettings } from '../src/options';

const parse = (argv: string[], env: NodeJS.ProcessEnv = { INIT_CWD: '/home/me/work' }) =>
  parseBenchArgs(argv, env) as BenchSettings;

describe('parseBenchArgs', () => {
  it('defaults to the tutorial: 2500 iterations, 8 LRP images, all backends, out in INIT_CWD', () => {
    const s = parse([]);
    expect(s).toMatchObject({
      iterations: 2500,
      lrpImages: 8,
      minFaces: 40,
      variant: 'funneled',
      quick: false,
      skipPytorch: false,
      profile: false,
    });
    expect(s.backends).toEqual(['tensorflow', 'wasm', 'cpu']);
    expect(s.out).toBe(path.resolve('/home/me/work', 'bench-results.json'));
    expect(s.reps).toEqual({ load: 3, vgg: 3, lrp: 5 });
  });

  it('--profile turns the per-kernel profile on', () => {
    expect(parse(['--profile']).profile).toBe(true);
  });

  it('--quick lowers iterations, repetitions and the stage budget; explicit flags still win', () => {
    expect(parse(['--quick'])).toMatchObject({
      iterations: 100,
      vggImages: 256,
      reps: { load: 1, vgg: 1, lrp: 3 },
      stageBudget: 120,
      cpuBudget: 60,
    });
    expect(parse(['--', '--quick', '--iterations', '7', '--reps', '2'])).toMatchObject({
      iterations: 7,
      reps: { load: 2, vgg: 2, lrp: 2 },
    });
  });

  it('resolves relative paths against the directory pnpm was started in', () => {
    const s = parse(['--data-home', 'data', '--out', 'r/x.json']);
    expect(s.dataHome).toBe('/home/me/work/data');
    expect(s.out).toBe('/home/me/work/r/x.json');
  });

  it('rejects unknown backends, variants and bad numbers with the fix in the message', () => {
    expect(() => parse(['--backends', 'wasm,webgpu'])).toThrow(/unknown 'webgpu'; use any of tensorflow, wasm, cpu/);
    expect(() => parse(['--variant', 'nope'])).toThrow(/--variant must be one of funneled, deepfunneled, original/);
    expect(() => parse(['--iterations', '2.5'])).toThrow(/--iterations must be an integer ≥ 0/);
    expect(() => parse(['--stages', 'lrp_net9'])).toThrow(/unknown 'lrp_net9'/);
  });

  it('returns help for -h', () => {
    expect(parseBenchArgs(['-h'], {})).toBe('help');
  });
});
