/**
 * Measures where the tutorial's LFW crop (rows and columns 68..197 of the 250×250 frame) lies relative to the box
 * face-api's SSD detector draws on the same images, to set LFW_CROP in src/engine/faceCrop.ts.
 *
 *   pnpm --filter @lrpjs/web exec tsx --conditions=source scripts/calibrate-crop.ts [--per-person 8]
 *
 * Reads /work/shared/data/lfw_home/lfw_deepfunneled (or env LRPJS_SHARED_DIR/data/...); runs the detector in the
 * built page in headless Chromium (the page's own worker, so the same code as for users' photos).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSite, launchChromium, serveSite, WEB_ROOT } from '../test/server';

const shared = process.env.LRPJS_SHARED_DIR ?? path.resolve(WEB_ROOT, '../../../shared');
const lfw = path.join(shared, 'data', 'lfw_home', 'lfw_deepfunneled');
const perPerson = Number(process.argv[process.argv.indexOf('--per-person') + 1]) || 8;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const quartiles = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return [s[Math.floor(s.length * 0.25)], s[Math.floor(s.length * 0.75)]];
};

async function main(): Promise<void> {
  if (!existsSync(lfw)) throw new Error(`No LFW images at ${lfw}; set LRPJS_SHARED_DIR.`);
  const files = readdirSync(lfw)
    .sort()
    .flatMap((person) =>
      readdirSync(path.join(lfw, person))
        .sort()
        .slice(0, perPerson)
        .map((f) => path.join(lfw, person, f)),
    );
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lrpjs-calibrate-'));
  buildSite(path.join(tmp, 'site'));
  const served = await serveSite(path.join(tmp, 'site'));
  const context = await launchChromium(path.join(tmp, 'profile'));
  const page = await context.newPage();
  await page.goto(`${served.url}?backend=${process.env.LRPJS_BACKEND ?? 'wasm'}`);
  const t0 = Date.now();
  const side: number[] = [];
  const dx: number[] = [];
  const dy: number[] = [];
  const aspect: number[] = [];
  let missed = 0;
  for (const file of files) {
    const box = await page.evaluate(async (b64) => {
      const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/jpeg' });
      try {
        const r = await (
          window as unknown as {
            lrpjsDebug: { face(b: Blob): Promise<{ box: { x: number; y: number; width: number; height: number } }> };
          }
        ).lrpjsDebug.face(blob);
        return r.box;
      } catch {
        return null;
      }
    }, readFileSync(file).toString('base64'));
    if (!box) {
      missed++;
      continue;
    }
    // The tutorial's crop: pixels 68..196 → centre 132.5, side 129 (continuous coordinates).
    side.push(129 / box.height);
    dx.push((132.5 - (box.x + box.width / 2)) / box.height);
    dy.push((132.5 - (box.y + box.height / 2)) / box.height);
    aspect.push(box.width / box.height);
  }
  await context.close();
  served.stop();
  console.log(
    `${files.length} LFW images (${perPerson} per person), ${missed} without a detected face, ${((Date.now() - t0) / files.length).toFixed(0)} ms per image`,
  );
  console.log(
    `sidePerBox: median ${median(side).toFixed(3)}  IQR [${quartiles(side)
      .map((v) => v.toFixed(3))
      .join(', ')}]`,
  );
  console.log(
    `dx:         median ${median(dx).toFixed(3)}  IQR [${quartiles(dx)
      .map((v) => v.toFixed(3))
      .join(', ')}]`,
  );
  console.log(
    `dy:         median ${median(dy).toFixed(3)}  IQR [${quartiles(dy)
      .map((v) => v.toFixed(3))
      .join(', ')}]`,
  );
  console.log(`box width/height: median ${median(aspect).toFixed(3)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
