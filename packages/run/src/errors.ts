/**
 * The one error every reader of a run folder throws for a file it cannot use. It names the file, the
 * field and what was expected, because "Cannot convert undefined or null to object" tells the user
 * nothing about which of a run's dozen files is damaged.
 */
export class RunFormatError extends Error {
  override name = 'RunFormatError';
  /** The file as the caller named it, e.g. `runs/x/metrics.json`. */
  readonly file: string;
  /** Dotted path of the offending field (`nets.net1.testAccuracy`); empty for the whole file. */
  readonly field: string;
  readonly expected: string;
  /** A short description of what was found. */
  readonly got: string;

  constructor(file: string, field: string, expected: string, got: string, fix?: string) {
    const where = field ? `${file}: ${field}` : file;
    super(`${where}: expected ${expected}, got ${got}${fix ? ` — ${fix}` : ''}`);
    this.file = file;
    this.field = field;
    this.expected = expected;
    this.got = got;
  }
}

/** How a found value is named in an error: short, never the whole value (it may be huge or hostile). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}
