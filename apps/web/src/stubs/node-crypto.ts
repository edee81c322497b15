/**
 * Browser stand-in for `node:crypto`. @lrpjs/models imports `createHash` by name for its Node-only weight
 * downloads; in `vite dev` a named import of a Node builtin throws at module load ("Module node:crypto has been
 * externalized…"), which would kill the engine worker. The page never downloads weights, so this only throws when
 * called. Remove once @lrpjs/models imports node:crypto as a namespace or lazily.
 */
export function createHash(): never {
  throw new Error('node:crypto is not available in the browser (lrpjs downloads weights only under Node.js).');
}
