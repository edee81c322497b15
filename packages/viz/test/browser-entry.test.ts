import * as path from 'node:path';
import { nodeBuiltinsReachedFrom, stopBundler } from '../../../scripts/testing/browser-bundle';

// A browser bundle of each browser entry (esbuild, platform 'browser') must reach no Node built-in.
const BROWSER_ENTRIES: [file: string, name: string][] = [['src/index.ts', '@lrpjs/viz']];

afterAll(() => stopBundler());

test.each(BROWSER_ENTRIES)('%s (%s) bundles for the browser without Node built-ins', async (file) => {
  expect(await nodeBuiltinsReachedFrom(path.join(__dirname, '..', file))).toEqual([]);
});
