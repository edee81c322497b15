#!/usr/bin/env node
// `pnpm --filter web dev [RUN_DIR] [--port N]`: the Vite dev server, serving RUN_DIR (or env LRPJS_RUN_DIR) at
// /run/ so the page opens it on load. RUN_DIR may be one run or a folder of runs (the newest is served).
import { createServer } from 'vite';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2).filter((a) => a !== '--');
let port;
const rest = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--port') port = Number(args[++i]);
  else rest.push(args[i]);
}
if (rest[0]) process.env.LRPJS_RUN_DIR = path.resolve(process.env.INIT_CWD ?? process.cwd(), rest[0]);

const server = await createServer({ root, configFile: path.join(root, 'vite.config.ts'), server: { port } });
await server.listen();
server.printUrls();
server.bindCLIShortcuts({ print: true });
