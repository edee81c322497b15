/**
 * End to end in real Chromium: build the site, open a tiny run through the folder picker, explain a gallery image,
 * move γ, and upload a file that is not an image.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { encodePng } from '@lrpjs/viz';
import { writeTinyRun, TINY_CLASSES, type TinyRun } from './fixture';
import { buildSite, CHROMIUM, launchChromium, serveSite, type Served } from './server';

const SHARED = process.env.LRPJS_SHARED_DIR ?? path.resolve(__dirname, '../../../../shared');
const LFW_FACE = path.join(SHARED, 'data/lfw_home/lfw_deepfunneled/Colin_Powell/Colin_Powell_0001.jpg');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`SKIPPED apps/web e2e: no Chromium at ${CHROMIUM} (apt-get install chromium, or set LRPJS_CHROMIUM).`);
}
const maybe = hasChromium ? describe : describe.skip;
/** How long the page may take to react: a hang guard for a busy 2-core machine, not a performance bound. */
const PAGE_WAIT_MS = 10 * 60_000;

/** Mean and variance of the heatmap canvas' RGB values, and its pixels for comparison. */
async function canvasStats(page: Page, net: string): Promise<{ variance: number; pixels: number[]; renders: number }> {
  return page.$eval(`canvas.heatmap[data-net="${net}"]`, (el) => {
    const c = el as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const v: number[] = [];
    for (let i = 0; i < d.length; i += 4) v.push(d[i], d[i + 1], d[i + 2]);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
    return { variance, pixels: v, renders: Number(c.dataset.renders ?? 0) };
  });
}

async function idle(page: Page): Promise<void> {
  await page.waitForSelector('#explorer[data-computing="false"]', { timeout: PAGE_WAIT_MS });
}

/** Moves the γ slider and waits until every model's heatmap has been redrawn. */
async function setGamma(page: Page, gamma: number): Promise<void> {
  const renders = await page.$$eval('canvas.heatmap[data-net]', (els) =>
    els.map((e) => Number(e.getAttribute('data-renders'))),
  );
  await page.locator('#gamma').fill(String(gamma));
  await page.waitForFunction(
    (before) =>
      Array.from(document.querySelectorAll('canvas.heatmap[data-net]')).every(
        (e, i) => Number(e.getAttribute('data-renders')) > before[i],
      ),
    renders,
    { timeout: PAGE_WAIT_MS },
  );
  await idle(page);
}

function tensorCount(page: Page): Promise<number> {
  return page.evaluate(
    async () =>
      (await (window as unknown as { lrpjsDebug: { memory(): Promise<{ numTensors: number }> } }).lrpjsDebug.memory())
        .numTensors,
  );
}

maybe('explorer in Chromium', () => {
  let tmp: string;
  let run: TinyRun;
  let served: Served;
  let browser: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'lrpjs-web-e2e-'));
    run = await writeTinyRun(path.join(tmp, 'runs', '20240101-000000'));
    const t0 = Date.now();
    buildSite(path.join(tmp, 'site'));
    console.log(`apps/web e2e: vite build took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    served = await serveSite(path.join(tmp, 'site'));
    browser = await launchChromium(path.join(tmp, 'profile'));
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(served.url);
  });

  afterAll(async () => {
    await browser?.close();
    served?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('starts a TensorFlow.js backend in the page', async () => {
    await page.waitForFunction(
      () => !document.querySelector('[data-testid="backend"]')?.textContent?.includes('starting'),
    );
    const backend = await page.textContent('[data-testid="backend"]');
    console.log(`apps/web e2e: backend ${backend}`);
    expect(['webgl', 'wasm', 'cpu']).toContain(backend);
  });

  test('opens a run folder picked in the page and lists its models and gallery', async () => {
    await page.setInputFiles('#pick-run', run.dir);
    await page.waitForSelector('text=Opened', { timeout: PAGE_WAIT_MS });
    expect(await page.locator('table.models tbody tr').count()).toBe(2);
    expect(await page.locator('.gallery .thumb').count()).toBe(6);
    // Both models loaded, net2 with @lrpjs/models' SpatialDropout2D layer (a production bundle must keep it).
    expect(await page.locator('#explorer .error').allTextContents()).toEqual([]);
  });

  test('explains a selected image with a non-trivial heatmap and the prediction computed in Node', async () => {
    await page.click('.gallery .thumb[data-index="1"]');
    await page.waitForSelector('canvas.heatmap[data-net="net1"]');
    await page.waitForSelector('canvas.heatmap[data-net="net2"]');
    await idle(page);
    const stats = await canvasStats(page, 'net1');
    expect(stats.pixels.length).toBe(64 * 64 * 3);
    expect(stats.variance).toBeGreaterThan(50);
    // The page decoded the atlas and normalized it as the fixture did in Node: same predicted class.
    const caption = await page.textContent('figure[data-net="net1"] figcaption');
    const expected = TINY_CLASSES[run.predictions.net1[1]].split(' ').pop()!;
    expect(caption).toContain(`predicts ${expected}`);
  });

  test('moving the γ slider recomputes a different heatmap', async () => {
    const before = await canvasStats(page, 'net1');
    await setGamma(page, 2);
    const after = await canvasStats(page, 'net1');
    const changed = after.pixels.filter((v, i) => v !== before.pixels[i]).length;
    expect(changed).toBeGreaterThan(after.pixels.length * 0.05);
    expect(await page.textContent('output[for="gamma"]')).toBe('2.00');
  });

  test('recomputing does not accumulate tensors in the engine', async () => {
    // lrp caches modified weights for the last few composites per model: fill that cache, then check that
    // further composites leave the engine's tensor count where it was.
    for (const g of [0.5, 0.75, 1, 1.25]) await setGamma(page, g);
    const steady = await tensorCount(page);
    for (const g of [1.5, 1.75, 0.25]) await setGamma(page, g);
    expect(await tensorCount(page)).toBe(steady);
  });

  test('controls work from the keyboard, with a visible focus ring', async () => {
    await page.focus('.gallery .thumb[data-index="4"]');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('.gallery .thumb[data-index="4"]', 'aria-pressed')).toBe('true');
    await page.focus('#gamma');
    const outline = await page.$eval('#gamma', (el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
    const before = Number(await page.textContent('output[for="gamma"]'));
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(Number(await page.textContent('output[for="gamma"]'))).toBeCloseTo(before - 0.1, 6);
    await page.waitForTimeout(200);
    await idle(page);
  });

  test('a file that is not an image gets a clear message', async () => {
    await page.setInputFiles('#photo-file', {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello'),
    });
    const error = await page.waitForSelector('[data-testid="photo-error"]');
    expect(await error.textContent()).toMatch(/notes\.txt.*not an image/);
    expect(pageErrors).toEqual([]);
  });

  test('explains gallery images and photos on the wasm backend (the fallback without WebGL)', async () => {
    const wasmPage = await browser.newPage();
    try {
      await wasmPage.goto(`${served.url}?backend=wasm`);
      await wasmPage.setInputFiles('#pick-run', run.dir);
      await wasmPage.click('.gallery .thumb[data-index="2"]');
      await wasmPage.waitForSelector('canvas.heatmap[data-net="net2"]', { timeout: PAGE_WAIT_MS });
      await idle(wasmPage);
      expect(await wasmPage.textContent('[data-testid="backend"]')).toBe('wasm');
      expect((await canvasStats(wasmPage, 'net2')).variance).toBeGreaterThan(50);

      // A picture without a face: the detector runs and says so.
      const gray = encodePng({ width: 96, height: 96, data: new Uint8ClampedArray(96 * 96 * 4).fill(128) });
      await wasmPage.setInputFiles('#photo-file', {
        name: 'gray.png',
        mimeType: 'image/png',
        buffer: Buffer.from(gray),
      });
      const error = await wasmPage.waitForSelector('[data-testid="photo-error"]', { timeout: PAGE_WAIT_MS });
      expect(await error.textContent()).toMatch(/No face found/);

      // A real face (when the shared LFW images are here): cropped, classified and explained by every model.
      if (existsSync(LFW_FACE)) {
        await wasmPage.setInputFiles('#photo-file', LFW_FACE);
        await wasmPage.waitForSelector('text=Your photo', { timeout: PAGE_WAIT_MS });
        await wasmPage.waitForFunction(() => document.querySelectorAll('canvas.heatmap[data-net]').length === 2);
        await idle(wasmPage);
        expect((await canvasStats(wasmPage, 'net1')).variance).toBeGreaterThan(50);
        expect(await wasmPage.$('[data-testid="photo-error"]')).toBeNull();
      } else {
        console.warn(`apps/web e2e: no LFW image at ${LFW_FACE}; the face-found case was not run.`);
      }
    } finally {
      await wasmPage.close();
    }
  });
});
