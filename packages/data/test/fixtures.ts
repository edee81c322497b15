import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';

/** Fixture people: folder name -> image count. Folder 'AB' vs 'A_B' sorts differently once '_' becomes ' '. */
export const FIXTURE_PEOPLE: Record<string, number> = { AB: 2, A_B: 3, Carol_Diaz: 4, Dan_E: 1, Eve_Fox_Grey: 3 };

/** Folder names in Python's sorted() order (the person index p used in the colours). */
export const FIXTURE_FOLDERS = ['AB', 'A_B', 'Carol_Diaz', 'Dan_E', 'Eve_Fox_Grey'];

/** Flat colour of image i (0-based) of folder p: unique per file, so decoded pixels reveal the order. */
export function fixtureColour(p: number, i: number): [number, number, number] {
  return [20 * p + 10, 20 * i + 10, 128];
}

const made: string[] = [];

/** A fresh temp folder, removed by {@link removeTmpDirs}. */
export function tmpDir(prefix = 'lrpjs-data-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder {@link tmpDir} made (call from afterAll). */
export function removeTmpDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export async function flatJpeg(file: string, rgb: [number, number, number], size = 250): Promise<void> {
  await sharp({ create: { width: size, height: size, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .jpeg({ quality: 95 })
    .toFile(file);
}

/**
 * Writes `<dataHome>/lfw_home/<folderName>/<Person>/<Person>_NNNN.jpg` with flat-colour 250x250 JPEGs plus a
 * stray top-level file (which scikit-learn skips). Returns the image folder.
 */
export async function makeFixtureTree(dataHome: string, folderName = 'lfw_funneled'): Promise<string> {
  const root = path.join(dataHome, 'lfw_home', folderName);
  for (const [p, name] of FIXTURE_FOLDERS.entries()) {
    fs.mkdirSync(path.join(root, name), { recursive: true });
    for (let i = 0; i < FIXTURE_PEOPLE[name]; i++) {
      await flatJpeg(path.join(root, name, `${name}_${String(i + 1).padStart(4, '0')}.jpg`), fixtureColour(p, i));
    }
  }
  fs.writeFileSync(path.join(root, 'notes.txt'), 'not a person\n');
  return root;
}

export function listFilesRecursive(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath ?? (d as unknown as { path: string }).path, d.name)));
}
