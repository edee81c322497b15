import { readGalleryIndex, readModelMetadata, readRunMetrics, RUN_FORMAT_VERSION, RunFormatError } from '../src';
import { galleryV1, metricsV1 } from './fixtures';

function errorOf(fn: () => unknown): RunFormatError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RunFormatError) return err;
    throw err;
  }
  throw new Error('expected a RunFormatError');
}

describe('metrics.json', () => {
  it('migrates version 1 to the current version', () => {
    const m = readRunMetrics(JSON.stringify(metricsV1()));
    expect(m.version).toBe(RUN_FORMAT_VERSION);
    expect(m.nets.net1.testAccuracy).toBe(0.5);
    expect(m.settings.composite).toEqual({ name: 'auto' });
  });

  it('fills what version 1 could leave out', () => {
    const v1 = metricsV1();
    const net = (v1.nets as Record<string, Record<string, unknown>>).net1;
    delete net.curve;
    delete net.confusion;
    delete v1.skipped;
    const m = readRunMetrics(v1);
    expect(m.nets.net1.curve).toEqual([]);
    expect(m.nets.net1.confusion).toEqual([]);
    expect(m.skipped).toEqual({});
  });

  it('names the file, the field and what was expected', () => {
    const v1 = metricsV1();
    (v1.nets as Record<string, Record<string, unknown>>).net1.testAccuracy = 'x';
    const err = errorOf(() => readRunMetrics(v1, 'runs/a/metrics.json'));
    expect(err.message).toMatch(/^runs\/a\/metrics\.json: nets\.net1\.testAccuracy: expected number, got "x"/);
    expect(err.field).toBe('nets.net1.testAccuracy');
  });

  it('gives the schema error for {"version":1}', () => {
    expect(() => readRunMetrics('{"version":1}')).toThrow(
      /^metrics\.json: createdAt: expected string, got nothing \(the field is missing\)/,
    );
  });

  it('refuses unknown versions and says which it reads', () => {
    expect(errorOf(() => readRunMetrics({ ...metricsV1(), version: 7 })).message).toMatch(
      /metrics\.json: version: expected 1 or 2 .*got 7 — the run was written by a newer lrpjs/,
    );
    expect(errorOf(() => readRunMetrics({ ...metricsV1(), version: '2' })).field).toBe('version');
  });

  it('checks the confusion matrix against the class names', () => {
    const v1 = metricsV1();
    (v1.nets as Record<string, Record<string, unknown>>).net1.confusion = [[1, 0, 0]];
    expect(errorOf(() => readRunMetrics(v1)).message).toMatch(/nets\.net1\.confusion: expected a 2×2 matrix/);
  });

  it('keeps model paths inside the run folder', () => {
    for (const bad of ['../../etc', '/etc/passwd', 'models/../../x', 'http://evil/x']) {
      const v1 = metricsV1();
      (v1.nets as Record<string, Record<string, unknown>>).net1.modelPath = bad;
      expect(errorOf(() => readRunMetrics(v1)).field).toBe('nets.net1.modelPath');
    }
  });

  it('names broken JSON as such', () => {
    expect(errorOf(() => readRunMetrics('{"version":', 'm.json')).message).toMatch(/^m\.json: expected JSON, got text/);
  });
});

describe('gallery.json', () => {
  it('migrates the unversioned gallery', () => {
    expect(readGalleryIndex(galleryV1()).version).toBe(RUN_FORMAT_VERSION);
  });

  it('checks every list against count', () => {
    const g = { ...galleryV1(), predictions: { net1: [0] } };
    expect(errorOf(() => readGalleryIndex(g)).message).toMatch(
      /^gallery\/gallery\.json: predictions\.net1: expected 2 entries \(count\), got 1/,
    );
  });
});

describe('model metadata', () => {
  const meta = { architecture: 'net1', classNames: ['a', 'b'], inputShape: [64, 64, 3] };

  it('accepts unversioned metadata and keeps extra fields', () => {
    expect(readModelMetadata({ ...meta, dataset: { name: 'lfw' } }).dataset).toEqual({ name: 'lfw' });
  });

  it('rejects non-numeric normalization, naming the field', () => {
    expect(() =>
      readModelMetadata({ ...meta, normalization: { scale: 'three', offset: -1.5 } }, 'm/model.json'),
    ).toThrow(/^m\/model\.json: userDefinedMetadata\.lrpjs\.normalization\.scale: expected number, got "three"/);
  });

  it('rejects unknown versions', () => {
    expect(() => readModelMetadata({ ...meta, version: 9 })).toThrow(
      /userDefinedMetadata\.lrpjs\.version: expected 1, got 9/,
    );
  });
});
