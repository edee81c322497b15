// Test helper shared by the packages: bundles an entry for the browser and lists the Node built-ins it reaches.
import { builtinModules } from 'node:module';
import { build, stop, type Plugin } from 'esbuild';

/** Ends esbuild's service process (call in afterAll, so a test run leaves no child behind). */
export const stopBundler = stop;

/**
 * `importer → specifier` for every Node built-in (`fs`, `node:crypto`, …) reachable from `entry`. tfjs (a peer
 * dependency, browser-ready by design: its Node paths are chosen at run time) stays outside the bundle; our code
 * and our own dependencies are bundled and checked.
 */
export async function nodeBuiltinsReachedFrom(
  entry: string,
  external: string[] = ['@tensorflow/*'],
): Promise<string[]> {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const found: string[] = [];
  const spot: Plugin = {
    name: 'spot-node-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (!builtins.has(args.path) && !args.path.startsWith('node:')) return undefined;
        found.push(`${args.importer.replace(/^.*\/node_modules\//, '')} → ${args.path}`);
        return { path: args.path, external: true };
      });
    },
  };
  await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    // Workspace packages as the web app sees them: their TypeScript sources.
    conditions: ['source'],
    external,
    logLevel: 'silent',
    plugins: [spot],
  });
  return [...new Set(found)].sort();
}
