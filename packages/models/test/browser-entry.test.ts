import * as path from 'node:path';
import { nodeBuiltinsReachedFrom, stopBundler } from '../../../scripts/testing/browser-bundle';

// A browser bundle of each browser entry (esbuild, platform 'browser') must reach no Node built-in.
const BROWSER_ENTRIES: [file: string, name: string][] = [['src/index.ts', '@lrpjs/models']];

afterAll(() => stopBundler());

test.each(BROWSER_ENTRIES)('%s (%s) bundles for the browser without Node built-ins', async (file) => {
  expect(await nodeBuiltinsReachedFrom(path.join(__dirname, '..', file))).toEqual([]);
});

test('the check sees the Node built-ins of @lrpjs/models/node (which is not a browser entry)', async () => {
  const reached = await nodeBuiltinsReachedFrom(path.join(__dirname, '..', 'src/node.ts'));
  expect(reached).toContainEqual(expect.stringMatching(/transfer\/download\.ts → node:crypto$/));
});
