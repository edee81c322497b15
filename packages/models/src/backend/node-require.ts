/**
 * Node-only helpers, written so that browser bundles never see a static import of a Node builtin:
 * everything goes through `process.getBuiltinModule` / a `require` found at run time.
 */

/** True when running under Node.js (not a browser, not a web worker). */
export function isNode(): boolean {
  return typeof process !== 'undefined' && process.versions != null && typeof process.versions.node === 'string';
}

type Require = ((id: string) => unknown) & { resolve(id: string): string };

/** Node's `module` builtin, or null outside Node. */
function nodeModuleBuiltin(): { createRequire(path: string): Require } | null {
  return nodeBuiltin<{ createRequire(path: string): Require }>('module');
}

/** A Node builtin (`fs`, `os`, `path`, `worker_threads`), or null outside Node. */
export function nodeBuiltin<T>(id: string): T | null {
  if (!isNode()) return null;
  const p = process as unknown as { getBuiltinModule?: (id: string) => unknown };
  if (typeof p.getBuiltinModule === 'function') return p.getBuiltinModule(id) as T;
  // Node < 20.16: CommonJS builds (and Jest, and tsx) still have a module-scoped require. Called with a
  // variable so that browser bundlers do not try to resolve (and warn about) a Node builtin.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the fallback for when getBuiltinModule is missing
  if (typeof require === 'function') return require(id) as T;
  return null;
}

/**
 * `require` functions rooted at the places a package may be installed relative to the running
 * program: this file (when bundled as CommonJS), the main script, and the working directory. pnpm
 * installs optional packages such as `@tensorflow/tfjs-node` next to the app that depends on them
 * (e.g. the CLI), not next to this library, hence the search.
 */
export function nodeRequires(): Require[] {
  const mod = nodeModuleBuiltin();
  if (mod == null) return [];
  const roots: string[] = [];
  if (typeof __filename === 'string') roots.push(__filename);
  if (typeof process.argv[1] === 'string' && process.argv[1].length > 0) roots.push(process.argv[1]);
  roots.push(`${process.cwd()}/noop.js`);
  const out: Require[] = [];
  for (const root of roots) {
    try {
      out.push(mod.createRequire(root));
    } catch {
      // A root that is not a file path (e.g. `node -e`): skip it.
    }
  }
  return out;
}

/** Loads a package with the first `require` that finds it; throws the first error otherwise. */
export function requireFromAnywhere<T>(id: string): T {
  let firstError: unknown = null;
  for (const req of nodeRequires()) {
    try {
      return req(id) as T;
    } catch (e) {
      const notFound =
        (e as { code?: string }).code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes(`'${id}'`);
      if (!notFound) throw e; // found but failed to load (e.g. a missing native binding): report that
      firstError ??= e;
    }
  }
  throw firstError ?? new Error(`Cannot find module '${id}' (not running under Node.js).`);
}

/** Resolves a file of a package the same way as {@link requireFromAnywhere}; null when not found. */
export function resolveFromAnywhere(id: string): string | null {
  for (const req of nodeRequires()) {
    try {
      return req.resolve(id);
    } catch {
      // try the next root
    }
  }
  return null;
}
