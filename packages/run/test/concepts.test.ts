/** concepts/<net>/atlas.json as `lrpjs concepts` writes it: read, and refused with the file and field named. */
import { readConceptAtlas, RunFormatError, conceptAtlasFile } from '../src';

/** A two-channel layer, top 2: the shape of what the CLI writes (hand-made, small). */
function atlas(): Record<string, unknown> {
  const sample = (i: number) => ({
    sample: i,
    value: 0.5 - i / 10,
    cell: i,
    target: 1,
    box: { y0: 0, x0: 2, y1: 8, x1: 9 },
  });
  return {
    version: 1,
    net: 'net4',
    model: 'models/net4',
    composite: { name: 'epsilon-plus' },
    target: 'true',
    top: 2,
    samples: 10,
    inputSize: 16,
    cropSize: 8,
    checksum: 'abc',
    seconds: { pass: 1, crops: 1, total: 2, perImage: 0.1 },
    layers: [
      {
        layer: 'conv',
        shape: [4, 4, 2],
        relevance: [[sample(0), sample(1)], [sample(2)]],
        activation: [[sample(3)], [sample(4), sample(5)]],
        sprites: { relevance: 'conv-relmax.png', activation: 'conv-actmax.png' },
      },
    ],
  };
}

function errorOf(fn: () => unknown): RunFormatError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RunFormatError) return err;
    throw err;
  }
  throw new Error('expected a RunFormatError');
}

test('reads an atlas, from text or parsed JSON', () => {
  const a = readConceptAtlas(JSON.stringify(atlas()));
  expect(a.layers[0].relevance[1][0].sample).toBe(2);
  expect(a.layers[0].sprites.relevance).toBe('conv-relmax.png');
  expect(readConceptAtlas(atlas()).net).toBe('net4');
  expect(conceptAtlasFile('net4')).toBe('concepts/net4/atlas.json');
});

test('one list per channel, at most top samples each, boxes not empty, sprites inside the run', () => {
  const short = atlas();
  (short.layers as { relevance: unknown[] }[])[0].relevance.pop();
  expect(errorOf(() => readConceptAtlas(short, 'concepts/net4/atlas.json')).message).toMatch(
    /^concepts\/net4\/atlas\.json: layers\.0\.relevance: expected one list per channel \(2\), got 1/,
  );
  const long = atlas();
  (long as { top: number }).top = 1;
  expect(errorOf(() => readConceptAtlas(long)).message).toMatch(/layers\.0\.relevance: expected at most top \(1\)/);
  const empty = atlas();
  const first = (empty.layers as { relevance: { box: Record<string, number> }[][] }[])[0].relevance[0][0];
  first.box.y1 = first.box.y0;
  expect(errorOf(() => readConceptAtlas(empty)).message).toMatch(/box: expected a non-empty box/);
  const escape = atlas();
  (escape.layers as { sprites: Record<string, string> }[])[0].sprites.activation = '../../etc/passwd';
  expect(errorOf(() => readConceptAtlas(escape)).message).toMatch(
    /sprites\.activation: expected a path inside the run folder/,
  );
  expect(errorOf(() => readConceptAtlas('{')).message).toMatch(/lrpjs concepts|JSON/);
});
