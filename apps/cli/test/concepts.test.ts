import fs from 'node:fs';
import path from 'node:path';
import { conceptSections } from '../src/commands/concepts-report';
import { lines, runCli, tempDir } from './helpers';

describe('lrpjs concepts', () => {
  const dirs: string[] = [];
  const temp = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it.each([
    ['missing --layer', ['concepts', '--run', 'r', '--net', 'net4'], /required option '--layer <names>'/],
    [
      'bad --top',
      ['concepts', '--run', 'r', '--net', 'net4', '--layer', 'a', '--top', '0'],
      /--top takes an integer >= 1/,
    ],
    ['bad --concepts-top', ['explain', 'm', '--concepts', 'relu3', '--concepts-top', 'x'], /--concepts-top takes/],
  ])('%s is a usage error (exit 2, one line)', async (_n, args, expected) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(expected)]);
  });

  it('a run folder without the net exits 1 naming the nets it has', async () => {
    const dir = temp();
    fs.mkdirSync(path.join(dir, 'models', 'net1'), { recursive: true });
    const r = await runCli(['concepts', '--run', dir, '--net', 'net4', '--layer', 'x']);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/has no model net4 \(models: net1\) — pass --run/)]);
    expect(fs.existsSync(path.join(dir, 'concepts'))).toBe(false);
  });

  it("the report's concepts section comes from concepts/<net>/examples.json", () => {
    const dir = temp();
    expect(conceptSections(dir)).toEqual([]);
    const net = path.join(dir, 'concepts', 'net4');
    fs.mkdirSync(net, { recursive: true });
    fs.writeFileSync(path.join(net, 'example-0.png'), new Uint8Array([137, 80, 78, 71]));
    const concept = {
      channel: 7,
      share: 0.25,
      relevance: 0.5,
      activation: 3,
      references: [{ sample: 12 }, { sample: 40 }],
    };
    fs.writeFileSync(
      path.join(net, 'examples.json'),
      JSON.stringify({
        net: 'net4',
        layer: 'conv128_2_relu',
        secondsPerImage: 0.5,
        examples: [{ label: 'test #0 Powell', target: 1, total: 2, concepts: [concept], figure: 'example-0.png' }],
      }),
    );
    const [section] = conceptSections(dir);
    expect(section.title).toBe('Concepts: net4 at conv128_2_relu');
    expect(section.figures).toHaveLength(1);
    expect(section.figures![0].caption).toBe('test #0 Powell: channel 7 25%');
    expect(section.table!.rows).toEqual([['test #0 Powell', 7, 0.25, 0.5, 3, '12 40']]);
  });
});
