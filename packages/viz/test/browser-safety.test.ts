import * as fs from 'fs';
import * as path from 'path';

// The package must run in browsers: no Node built-ins, no Node globals, nothing but fast-png from outside.
const SRC = path.resolve(__dirname, '../src');

test('src imports only relative modules and fast-png, and uses no Node globals', () => {
  const files = fs.readdirSync(SRC).filter((f) => f.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(5);
  for (const file of files) {
    const code = fs.readFileSync(path.join(SRC, file), 'utf8');
    const specifiers = [...code.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);
    for (const s of specifiers) {
      if (!(s.startsWith('./') || s === 'fast-png')) throw new Error(`${file} imports '${s}'`);
    }
    for (const global of [/\bBuffer\b/, /\bprocess\./, /\brequire\(/, /__dirname/, /\bdocument\./, /\bwindow\./]) {
      if (global.test(code.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''))) throw new Error(`${file} uses ${global}`);
    }
  }
});
