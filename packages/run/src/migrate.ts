import { describeValue, RunFormatError } from './errors';
import { RUN_FORMAT_VERSION } from './schemas/metrics';

/**
 * Older run folders, brought to the current format before validation.
 *
 * - metrics.json version 1 (lrpjs 0.1): `description`, `curve`, `perClassAccuracy`, `confusion`, `seconds`
 *   and `skipped` could be absent (readers guessed); version 2 always has them.
 * - gallery.json had no version (lrpjs 0.1); it is version 2 from then on, same fields.
 *
 * Migrations are pure (value in, value out) so a reader in the browser can use them too.
 */
export function migrateMetrics(json: unknown, file: string): unknown {
  if (json == null || typeof json !== 'object' || Array.isArray(json)) return json; // the schema names it
  const m = json as Record<string, unknown>;
  const version = m.version;
  if (version === RUN_FORMAT_VERSION) return json;
  if (version === 1) {
    const nets = m.nets && typeof m.nets === 'object' && !Array.isArray(m.nets) ? m.nets : undefined;
    return {
      ...m,
      version: RUN_FORMAT_VERSION,
      seconds: m.seconds ?? {},
      skipped: m.skipped ?? {},
      nets: nets
        ? Object.fromEntries(
            Object.entries(nets).map(([name, net]) => [
              name,
              net && typeof net === 'object' && !Array.isArray(net)
                ? { description: '', curve: [], perClassAccuracy: [], confusion: [], ...net }
                : net,
            ]),
          )
        : m.nets,
    };
  }
  throw unknownVersion(file, version);
}

export function migrateGallery(json: unknown, file: string): unknown {
  if (json == null || typeof json !== 'object' || Array.isArray(json)) return json;
  const g = json as Record<string, unknown>;
  if (g.version === undefined) return { ...g, version: RUN_FORMAT_VERSION };
  if (g.version === RUN_FORMAT_VERSION) return json;
  throw unknownVersion(file, g.version);
}

function unknownVersion(file: string, version: unknown): RunFormatError {
  const newer = typeof version === 'number' && version > RUN_FORMAT_VERSION;
  return new RunFormatError(
    file,
    'version',
    `1 or ${RUN_FORMAT_VERSION} (the run-folder versions this lrpjs reads)`,
    describeValue(version),
    newer ? 'the run was written by a newer lrpjs: update lrpjs' : 'rewrite the run with the lrpjs CLI',
  );
}
