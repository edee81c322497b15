// Test helper shared by the packages: runs the ```ts code blocks of a README as written.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ReadmeBlock {
  /** 1-based line of the opening fence (for test names and failures). */
  line: number;
  code: string;
  /**
   * From a `<!-- readme-test: skip (reason) -->` or `<!-- readme-test: needs-lfw -->` comment before the
   * fence: blocks that are declarations rather than programs, or that need the real LFW images.
   */
  marker?: string;
}

const MARKER = /^<!--\s*readme-test:\s*(.+?)\s*-->\s*$/;

/** The ```ts blocks of a Markdown text, with the marker comment right before each, if any. */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`README: the code block at line ${i + 1} is not closed`);
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before--; // Prettier puts a blank line after the comment
    const marker = before >= 0 ? MARKER.exec(lines[before].trim())?.[1] : undefined;
    blocks.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n'), marker });
    i = end;
  }
  return blocks;
}

export interface BlockRun {
  code: number | null;
  output: string;
}

/**
 * Runs a block as an ES module under Node with the workspace's sources (`--conditions=source`, tsx), from a
 * scratch folder inside `packageDir` so that the package's own name and its dependencies resolve as for a user.
 * The scratch folder is removed afterwards.
 */
export async function runReadmeBlock(
  packageDir: string,
  block: ReadmeBlock,
  env: NodeJS.ProcessEnv = {},
): Promise<BlockRun> {
  const dir = fs.mkdtempSync(path.join(packageDir, '.readme-test-'));
  const file = path.join(dir, `readme-line-${block.line}.mts`);
  fs.writeFileSync(file, `${block.code}\n`);
  try {
    return await new Promise<BlockRun>((resolve, reject) => {
      const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', file], {
        cwd: packageDir,
        env: { ...process.env, ...env },
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output }));
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Declares the Jest tests of a package's README: every ```ts block runs as written (blocks marked `skip` are
 * declarations; `needs-lfw` blocks need ../shared's LFW copy and run in CI).
 */
export function describeReadmeExamples(packageDir: string): void {
  const blocks = readmeBlocks(fs.readFileSync(path.join(packageDir, 'README.md'), 'utf8'));
  const sharedData = process.env.LRPJS_SHARED_DIR
    ? path.join(process.env.LRPJS_SHARED_DIR, 'data')
    : path.resolve(packageDir, '../../../shared/data');
  const haveLfw = fs.existsSync(path.join(sharedData, 'lfw_home'));

  test('the README has examples', () => {
    expect(blocks.filter((b) => !b.marker?.startsWith('skip')).length).toBeGreaterThan(0);
  });

  describe.each(blocks.map((b) => [b.line, b] as const))('README block at line %d', (_line, block) => {
    const skip = block.marker?.startsWith('skip') || (block.marker === 'needs-lfw' && !haveLfw && !process.env.CI);
    (skip ? test.skip : test)(
      'runs',
      async () => {
        const run = await runReadmeBlock(packageDir, block, { LRPJS_DATA_HOME: sharedData });
        if (run.code !== 0) throw new Error(`README block at line ${block.line} failed:\n${run.output}`);
      },
      240_000,
    );
  });
}
