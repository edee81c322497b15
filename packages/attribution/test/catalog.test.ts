/** `@lrpjs/attribution/catalog` lists the baselines without pulling tfjs into a page's main bundle. */
import * as path from 'node:path';
import { build, stop } from 'esbuild';
import { BASELINE_CATALOG, BASELINE_NAMES, isBaselineName } from '../src/catalog';
import * as main from '../src';

afterAll(() => stop());

test('the catalog entry reaches no tfjs module', async () => {
  const result = await build({
    entryPoints: [path.join(__dirname, '../src/catalog.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    conditions: ['source'],
    external: ['@tensorflow/*'],
    metafile: true,
    logLevel: 'silent',
  });
  const imports = Object.values(result.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
  expect(imports.filter((p) => p.includes('@tensorflow'))).toEqual([]);
});

test('the catalog is the one the main entry runs', () => {
  expect(main.BASELINE_NAMES).toBe(BASELINE_NAMES);
  expect(Object.keys(BASELINE_CATALOG)).toEqual([...BASELINE_NAMES]);
  expect(isBaselineName('smoothgrad')).toBe(true);
  expect(isBaselineName('lrp')).toBe(false);
});
