/**
 * Times one heatmap recomputation per model in headless Chromium and takes screenshots of the page.
 *
 *   pnpm --filter @lrpjs/web measure [RUN_DIR] [--backend wasm|webgl|auto] [--repeats 5] [--out DIR]
 *
 * RUN_DIR defaults to the newest run under <repo>/runs or <repo>/apps/cli/runs; without one, a small run is
 * written with the CLI (test/cliRun.ts) from the shared LFW data.
 * The time is what the page shows for each model: forward pass + LRP + reading the relevance back, in the engine
 * worker, measured with performance.now(). Nothing here is a test; it prints figures.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { lfwDataHome, writeCliRun } from '../test/cliRun';
import { buildSite, launchChromium, serveSite, WEB_ROOT } from '../test/server';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

function newestRun(): string | undefined {
  const repo = path.resolve(WEB_ROOT, '../..');
  const found: string[] = [];
  for (const base of [path.join(repo, 'runs'), path.join(repo, 'apps/cli/runs')]) {
    if (!existsSync(base)) continue;
    for (const d of readdirSync(base))
      if (existsSync(path.join(base, d, 'metrics.json'))) found.push(path.join(base, d));
  }
  return found.sort((a, b) => path.basename(a).localeCompare(path.basename(b))).pop();
}

async function idle(page: Page): Promise<void> {
  await page.waitForSelector('#explorer[data-computing="false"]', { timeout: 600_000 });
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function main(): Promise<void> {
  const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  const backend = arg('backend', 'wasm');
  const repeats = Number(arg('repeats', '5'));
  const out = path.resolve(arg('out', path.join(WEB_ROOT, 'measure-out')));
  mkdirSync(out, { recursive: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lrpjs-web-measure-'));
  let runDir = positional[0] ? path.resolve(positional[0]) : newestRun();
  if (!runDir) {
    const home = lfwDataHome(process.env.LRPJS_SHARED_DIR ?? path.resolve(WEB_ROOT, '../../../shared'));
    if (!home) throw new Error('No run given and no LFW data to make one: pass RUN_DIR (a folder `lrpjs run` wrote).');
    runDir = writeCliRun(home, path.join(tmp, 'run')).dir;
    console.log('No run found; measuring a small CLI run.');
  }
  console.log(`run: ${runDir}`);
  buildSite(path.join(tmp, 'site'));
  const served = await serveSite(path.join(tmp, 'site'), runDir);
  const context = await launchChromium(path.join(tmp, 'profile'));
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && !m.text().includes('404') && errors.push(m.text()));
    const t0 = Date.now();
    await page.goto(`${served.url}?backend=${backend}`);
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="run-status"]')?.textContent?.includes('Opened') ||
        document.querySelector('[data-testid="run-error"]'),
      undefined,
      { timeout: 300_000 },
    );
    if (await page.$('[data-testid="run-error"]'))
      throw new Error(`The page could not open the run: ${await page.textContent('[data-testid="run-error"]')}`);
    console.log(
      `page + run + models loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s; backend ${await page.inputValue('#backend')}`,
    );
    await page.click('.gallery .thumb[data-index="0"]');
    await idle(page);
    const nets = await page.$$eval('figure.card[data-net]', (els) => els.map((e) => e.getAttribute('data-net')!));
    const first: Record<string, string> = {};
    for (const n of nets) first[n] = (await page.textContent(`[data-testid="ms-${n}"]`)) ?? '?';
    // A rule change recomputes only the model it concerns: each model's own first rule slider is moved in turn.
    console.log(`\nbackend ${backend}: each model's first rule slider moved ${repeats} times`);
    // Per model: its own first rule slider moved, wall time from the move to its heatmap redrawn in the page.
    const perNet: Record<string, number[]> = {};
    const worker: Record<string, number[]> = {};
    for (const n of nets) {
      await page.selectOption('#edit-net', n);
      const slider = page.locator('.rules input[type="range"]').first();
      const [min, max] = await slider.evaluate((e) => [
        Number((e as HTMLInputElement).min),
        Number((e as HTMLInputElement).max),
      ]);
      perNet[n] = [];
      for (let r = 0; r < repeats; r++) {
        const before = Number(await page.getAttribute(`canvas.heatmap[data-net="${n}"]`, 'data-renders'));
        const v = min + ((max - min) * (0.3 + 0.1 * (r % 5))) / 1;
        const w0 = Date.now();
        await slider.fill(String(v));
        await page.waitForFunction(
          ([net, b]) =>
            Number(document.querySelector(`canvas.heatmap[data-net="${net}"]`)?.getAttribute('data-renders')) > b,
          [n, before] as const,
          { timeout: 600_000 },
        );
        perNet[n].push(Date.now() - w0);
        await idle(page);
        worker[n] = [...(worker[n] ?? []), Number(await page.textContent(`[data-testid="ms-${n}"]`))];
      }
      console.log(
        `  ${n}: slider → heatmap redrawn in the page, median ${median(perNet[n])} ms [${perNet[n].join(', ')}]; ` +
          `in the worker (forward + LRP + read-back) median ${median(worker[n])} ms; first explanation ${first[n]} ms`,
      );
    }
    // Same settings, other images: the composite's modified weights are cached, only forward + LRP remain.
    const perImage: Record<string, number[]> = Object.fromEntries(nets.map((n) => [n, []]));
    for (let k = 1; k <= repeats; k++) {
      await page.click(`.gallery .thumb[data-index="${k}"]`);
      await page.waitForFunction(
        (n) => document.querySelectorAll('canvas.heatmap[data-net]').length === n,
        nets.length,
        { timeout: 600_000 },
      );
      await idle(page);
      for (const n of nets) perImage[n].push(Number(await page.textContent(`[data-testid="ms-${n}"]`)));
    }
    console.log(`one heatmap per model for ${repeats} other images, settings unchanged (cached composite):`);
    for (const n of nets) console.log(`  ${n}: median ${median(perImage[n])} ms  [${perImage[n].join(', ')}]`);
    await page.click('.gallery .thumb[data-index="0"]');
    await page.waitForFunction((n) => document.querySelectorAll('canvas.heatmap[data-net]').length === n, nets.length, {
      timeout: 600_000,
    });
    await idle(page);
    const memory = await page.evaluate(() =>
      (window as unknown as { lrpjsDebug: { memory(): Promise<{ numTensors: number }> } }).lrpjsDebug.memory(),
    );
    console.log(`  tensors held by the engine: ${memory.numTensors}`);
    // Screenshots with the tutorial's settings.
    await page.selectOption('#edit-net', 'net1');
    await page.locator('#gamma').fill('0.25');
    await page.waitForTimeout(300);
    await idle(page);
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.locator('#explorer').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(out, 'explorer-1440.png') });
    await page.screenshot({ path: path.join(out, 'explorer-1280-full.png'), fullPage: true });
    const photo = process.argv.includes('--photo') ? arg('photo', '') : '';
    if (photo) {
      const p0 = Date.now();
      await page.setInputFiles('#photo-file', path.resolve(photo));
      await page.waitForFunction(
        () =>
          document.querySelector('#explorer')?.textContent?.includes('Your photo') ||
          document.querySelector('[data-testid="photo-error"]'),
        undefined,
        { timeout: 120_000 },
      );
      await page.waitForTimeout(300);
      await idle(page);
      const err = await page.$('[data-testid="photo-error"]');
      console.log(
        err
          ? `photo: ${await err.textContent()}`
          : `photo: face found, cropped, classified and explained by every model in ${Date.now() - p0} ms`,
      );
      await page.locator('#explorer').screenshot({ path: path.join(out, 'explorer-photo.png') });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(out, 'explorer-390-full.png'), fullPage: true });
    await page.locator('#explorer').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(out, 'explorer-390.png') });
    console.log(`screenshots in ${out}`);
    if (errors.length) console.log(`page errors:\n  ${errors.join('\n  ')}`);
  } finally {
    await context.close();
    served.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
