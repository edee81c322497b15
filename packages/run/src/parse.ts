import type { z } from 'zod';
import { describeValue, RunFormatError } from './errors';

/** Files larger than this are refused before parsing: no run-folder JSON comes near it. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

/** JSON.parse with the file named in the error. */
export function parseJsonText(text: string, file: string, fix = 'rewrite it with the lrpjs CLI'): unknown {
  if (text.length > MAX_JSON_BYTES) {
    throw new RunFormatError(file, '', `at most ${MAX_JSON_BYTES} bytes of JSON`, `${text.length} characters`, fix);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new RunFormatError(file, '', 'JSON', `text that does not parse (${(err as Error).message})`, fix);
  }
}

/** Validates `value` with `schema`; the first problem becomes a {@link RunFormatError}. */
export function parseWithSchema<S extends z.ZodType>(
  schema: S,
  value: unknown,
  file: string,
  options: { fieldPrefix?: string; fix?: string } = {},
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.map(String);
  const field = [options.fieldPrefix, ...path].filter(Boolean).join('.');
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problems)` : '';
  const got = issue.code === 'custom' ? (issue.params?.got as string | undefined) : undefined;
  throw new RunFormatError(
    file,
    field,
    expectedOf(issue),
    (got ?? describeValue(valueAt(value, issue.path))) + more,
    options.fix,
  );
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v == null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

type Issue = z.core.$ZodIssue;

function expectedOf(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'an integer' : String(issue.expected);
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'string'
        ? `${issue.origin === 'array' ? 'at least' : 'a length of at least'} ${String(issue.minimum)}${issue.origin === 'array' ? ' entries' : ''}`
        : `a number ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'string'
        ? `at most ${String(issue.maximum)} ${issue.origin === 'array' ? 'entries' : 'characters'}`
        : `a number ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
    case 'invalid_value':
      return issue.values.map((v) => JSON.stringify(v)).join(' or ');
    case 'invalid_format':
      return issue.message || `a string in ${issue.format} format`;
    case 'unrecognized_keys':
      return `no field ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return issue.message || 'one of the allowed forms';
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}
