import path from 'node:path';

/**
 * The file a worker thread starts from for the module `name` of this folder (e.g. `'explain-thread'`): the
 * module itself when the CLI runs built, or, from its TypeScript sources, a boot file that registers tsx in
 * the thread first (a worker does not inherit the parent's `--import tsx`) and then loads `entry`.
 */
export function threadEntry(name: string): { file: string; entry: string } {
  const entry = path.join(__dirname, `${name}${path.extname(__filename)}`);
  return { file: __filename.endsWith('.ts') ? path.join(__dirname, 'thread-boot.mjs') : entry, entry };
}
