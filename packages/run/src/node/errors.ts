/** A run folder that cannot be written or read as asked; the message says what is wrong and what to do. */
export class RunFolderError extends Error {
  override name = 'RunFolderError';
  readonly code: 'busy' | 'exists' | 'not-writable' | 'interrupted' | 'not-a-run';
  constructor(code: RunFolderError['code'], problem: string, fix: string) {
    super(`${problem} — ${fix}`);
    this.code = code;
  }
}
