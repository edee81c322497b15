/** Builds the site and serves it with `vite preview` on a free loopback port, for the browser tests and scripts. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

// Jest runs this as CommonJS (__dirname); scripts run through tsx from apps/web.
export const WEB_ROOT = typeof __dirname === 'string' ? path.resolve(__dirname, '..') : process.cwd();
const VITE = path.join(WEB_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

export const CHROMIUM = process.env.LRPJS_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Chromium flags for a quiet, offline, sandbox-free headless run (never a downloaded browser). No GPU is used:
 * WebGL renders with SwiftShader, and WebGPU gets SwiftShader's adapter (a software fallback adapter) through
 * --enable-unsafe-webgpu --use-webgpu-adapter=swiftshader (Chromium 156; WebGPU also needs a secure context,
 * which http://127.0.0.1 is). Enough to check that the three backends compute the same relevance.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium with a fresh profile in userDataDir (playwright passes it as --user-data-dir). */
export function launchChromium(userDataDir: string, viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** `vite build` into outDir (seconds on 2 cores; the tfjs chunks dominate). */
export function buildSite(outDir: string): void {
  const r = spawnSync(process.execPath, [VITE, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: WEB_ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0 || !existsSync(path.join(outDir, 'index.html'))) {
    throw new Error(`vite build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

export interface Served {
  url: string;
  stop(): void;
}

/** `vite preview` of outDir; with runDir, also the run at /run/ (as the dev server does). */
export async function serveSite(outDir: string, runDir?: string): Promise<Served> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    // --bypass-lock: tests serve the same build twice (with and without a run) at once.
    [
      VITE,
      'preview',
      '--outDir',
      outDir,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--strictPort',
      '--bypass-lock',
    ],
    { cwd: WEB_ROOT, env: { ...process.env, LRPJS_RUN_DIR: runDir ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`vite preview did not start on ${url}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}
