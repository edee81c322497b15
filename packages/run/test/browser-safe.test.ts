import fs from 'node:fs';
import path from 'node:path';

/** The main entry is read by the web app: nothing outside src/node may need Node built-ins. */
it('the main entry imports no Node built-in', () => {
  const src = path.join(__dirname, '..', 'src');
  const files = fs.readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const offenders = files
    .filter((f) => !f.startsWith(`node${path.sep}`))
    .filter((f) =>
      /from '(node:)?(fs|path|os|crypto|child_process)(\/promises)?'/.test(fs.readFileSync(path.join(src, f), 'utf8')),
    );
  expect(offenders).toEqual([]);
  expect(files.length).toBeGreaterThan(5);
});
