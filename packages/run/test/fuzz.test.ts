import fc from 'fast-check';
import {
  readGalleryIndex,
  readModelJson,
  readModelMetadata,
  readRunLock,
  readRunMetrics,
  RunFormatError,
} from '../src';
import { galleryV1, metricsV1 } from './fixtures';

/** Any outcome but a RunFormatError naming the file is a bug: a reader must never crash on a run folder. */
function onlySchemaErrors(read: (content: unknown, file: string) => unknown, content: unknown): void {
  try {
    read(content, 'runs/x/file.json');
  } catch (err) {
    if (!(err instanceof RunFormatError)) throw err;
    expect(err.message.startsWith('runs/x/file.json')).toBe(true);
  }
}

const readers: [string, (c: unknown, f: string) => unknown][] = [
  ['metrics', readRunMetrics],
  ['gallery', readGalleryIndex],
  ['model metadata', readModelMetadata],
  ['lock', readRunLock],
  ['model.json', readModelJson],
];

/** Replaces one value somewhere inside `root` by `replacement` (or deletes it), guided by `choices`. */
function mutate(root: unknown, choices: number[], replacement: unknown, remove: boolean): unknown {
  const copy = JSON.parse(JSON.stringify(root)) as unknown;
  let node = copy;
  for (const c of choices) {
    if (node == null || typeof node !== 'object') break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[c % keys.length];
    const child = (node as Record<string, unknown>)[key];
    if (child == null || typeof child !== 'object' || c % 3 === 0) {
      if (remove) delete (node as Record<string, unknown>)[key];
      else (node as Record<string, unknown>)[key] = replacement;
      return copy;
    }
    node = child;
  }
  return copy;
}

describe.each(readers)('%s reader', (_, read) => {
  it('gives only its named error for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => onlySchemaErrors(read, value)),
      { numRuns: 300 },
    );
  });

  it('gives only its named error for any text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => onlySchemaErrors(read, text)),
      { numRuns: 300 },
    );
  });
});

describe('mutated run files', () => {
  const valid: [string, (c: unknown, f: string) => unknown, unknown][] = [
    ['metrics', readRunMetrics, metricsV1()],
    ['gallery', readGalleryIndex, galleryV1()],
    ['model metadata', readModelMetadata, { architecture: 'net1', classNames: ['a'], inputShape: [64, 64, 3] }],
  ];
  it.each(valid)('%s: one changed or missing field never throws anything but the named error', (_, read, base) => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.jsonValue(),
        fc.boolean(),
        (path, replacement, remove) => onlySchemaErrors(read, mutate(base, path, replacement, remove)),
      ),
      { numRuns: 500 },
    );
  });

  it('mutated bytes of metrics.json never throw anything but the named error', () => {
    const text = JSON.stringify(metricsV1());
    fc.assert(
      fc.property(fc.nat(text.length - 1), fc.string({ minLength: 0, maxLength: 3 }), (at, insert) =>
        onlySchemaErrors(readRunMetrics, text.slice(0, at) + insert + text.slice(at + 1)),
      ),
      { numRuns: 500 },
    );
  });

  it('__proto__ keys do not pollute prototypes', () => {
    const text = JSON.stringify(metricsV1()).replace('"net1"', '"__proto__"');
    onlySchemaErrors(readRunMetrics, text);
    expect(({} as Record<string, unknown>).modelPath).toBeUndefined();
  });
});
