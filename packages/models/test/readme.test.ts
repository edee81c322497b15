import * as fs from 'node:fs';
import * as path from 'node:path';
import { readmeBlocks, runReadmeBlock } from '../../../scripts/testing/readme-examples';

// Every ```ts block of the README runs as written (blocks marked `skip` are declarations, not programs).
const PACKAGE_DIR = path.join(__dirname, '..');
const blocks = readmeBlocks(fs.readFileSync(path.join(PACKAGE_DIR, 'README.md'), 'utf8'));
const SHARED_DATA = process.env.LRPJS_SHARED_DIR
  ? path.join(process.env.LRPJS_SHARED_DIR, 'data')
  : path.resolve(PACKAGE_DIR, '../../../shared/data');
const HAVE_LFW = fs.existsSync(path.join(SHARED_DATA, 'lfw_home'));

test('the README has examples', () => {
  expect(blocks.filter((b) => !b.marker?.startsWith('skip')).length).toBeGreaterThan(0);
});

describe.each(blocks.map((b) => [b.line, b] as const))('README block at line %d', (_line, block) => {
  const skip = block.marker?.startsWith('skip') || (block.marker === 'needs-lfw' && !HAVE_LFW && !process.env.CI);
  (skip ? test.skip : test)(
    'runs',
    async () => {
      const run = await runReadmeBlock(PACKAGE_DIR, block, { LRPJS_DATA_HOME: SHARED_DATA });
      if (run.code !== 0) throw new Error(`README block at line ${block.line} failed:\n${run.output}`);
    },
    240_000,
  );
});
