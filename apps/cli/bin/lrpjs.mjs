#!/usr/bin/env node
// `lrpjs` from the workspace: runs src/main.ts through tsx with the "source" export condition, so the
// workspace packages are used from their sources (no build needed), exactly as `pnpm --filter cli start`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');
const result = spawnSync(process.execPath, ['--conditions=source', '--import', tsx, main, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
