import fs from 'node:fs';
import path from 'node:path';
import { lines, runCli, tempDir } from './helpers';

// Usage errors: exit 2, exactly one line on stderr, in the `lrpjs: problem — fix` form, no stack.
describe('usage errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown flag', ['--bogus'], /unknown option '--bogus'/],
    ['unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['bad choice', ['data', '--variant', 'nope'], /--variant 'nope' is invalid/],
    ['bad integer', ['train', '--iterations', '0'], /--iterations takes an integer >= 1/],
    ['bad backend', ['--backend', 'gpu'], /--backend 'gpu' is invalid/],
    ['missing flag value', ['data', '--export'], /'--export <dir>' argument missing/],
    ['unknown net', ['train', '--net', 'net9'], /--net 'net9' is invalid/],
    ['missing model argument', ['explain'], /missing required argument 'model'/],
    ['bad composite parameter', ['explain', 'x', '--gamma', 'abc'], /--gamma takes a number/],
    // checked before any data is loaded or net trained
    ['unknown evaluation method', ['--evaluate-methods', 'lrp:nope'], /--evaluate-methods: unknown method 'lrp:nope'/],
  ];
  it.each(cases)('%s', async (_name, args, expected) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    const err = lines(r.stderr);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^lrpjs: .+ — .+/);
    expect(err[0]).toMatch(expected);
    expect(r.stdout).toBe('');
  });

  it('--help exits 0 for every command and lists its flags', async () => {
    const results = await Promise.all(
      ['run', 'data', 'train', 'evaluate', 'explain', 'report', 'runs', 'clean', 'explain-dataset', 'worker'].map((c) =>
        runCli([c, '--help']).then((r) => [c, r] as const),
      ),
    );
    for (const [c, r] of results) {
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: lrpjs ${c}`);
    }
    const runHelp = results[0][1].stdout;
    for (const flag of ['--backend', '--data-home', '--variant', '--seed', '--iterations', '--out'])
      expect(runHelp).toContain(flag);
  });
});

describe('failures', () => {
  it('a missing data home exits 1 with one clear line', async () => {
    const home = path.join(tempDir(), 'no-such-home');
    const r = await runCli(['data', '--data-home', home, '--no-download']);
    expect(r.code).toBe(1);
    const err = lines(r.stderr).filter((l) => l.startsWith('lrpjs:'));
    expect(err).toHaveLength(1);
    expect(err[0]).toContain(home);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a missing model file exits 1 with one clear line', async () => {
    const dir = tempDir();
    const r = await runCli(['evaluate', path.join(dir, 'nothing-here')]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^lrpjs: .*nothing-here.* — /)]);
  });

  it('report on a folder that is not a run exits 1', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'empty'));
    const r = await runCli(['report', path.join(dir, 'empty')]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^lrpjs: .*empty has no metrics\.json — /)]);
  });
});
