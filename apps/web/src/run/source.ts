import type { ModelSource } from './types';

/** Read access to a run folder, wherever it lives. Paths are relative to the run folder, '/'-separated. */
export interface RunSource {
  /** Shown in the page (URL or folder name). */
  label: string;
  /** The file's bytes, or undefined when the run has no such file. */
  bytes(path: string): Promise<Uint8Array | undefined>;
  /** Where tfjs loads the model saved in folder `dir` (e.g. 'models/net1') from. */
  modelSource(dir: string): Promise<ModelSource>;
}

/** A run served over HTTP (the dev server's /run/, or a run copied next to the static site). */
export function urlRunSource(base: string): RunSource {
  const root = new URL(base.endsWith('/') ? base : `${base}/`, window.location.href);
  return {
    label: root.pathname,
    async bytes(path) {
      const res = await fetch(new URL(path, root));
      if (res.status === 404) return undefined;
      if (!res.ok) throw new Error(`Fetching ${path} from the run at ${root.href} failed: HTTP ${res.status}.`);
      return new Uint8Array(await res.arrayBuffer());
    },
    async modelSource(dir) {
      return { kind: 'url', url: new URL(`${dir}/model.json`, root).href };
    },
  };
}

/**
 * A run picked in the page with `<input type=file webkitdirectory>`: the folder's files, nothing uploaded.
 * The user may pick the run itself or a folder of runs; the newest run (by folder name) is opened.
 */
export function filesRunSource(list: FileList | File[]): RunSource {
  const files = Array.from(list);
  const rel = (f: File) => (f.webkitRelativePath || f.name).replace(/\\/g, '/');
  const metrics = files
    .map(rel)
    .filter((p) => p === 'metrics.json' || p.endsWith('/metrics.json'))
    .sort((a, b) => a.split('/').length - b.split('/').length || b.localeCompare(a));
  if (metrics.length === 0) {
    throw new Error(
      'The picked folder holds no metrics.json. Pick a run folder written by the lrpjs CLI (runs/<date-time>/).',
    );
  }
  // Shallowest metrics.json; among runs at the same depth the newest name (runs are named by date-time).
  const prefix = metrics[0].slice(0, -'metrics.json'.length);
  const byPath = new Map<string, File>();
  for (const f of files) {
    const p = rel(f);
    if (p.startsWith(prefix)) byPath.set(p.slice(prefix.length), f);
  }
  const label = prefix.replace(/\/$/, '') || 'picked folder';
  return {
    label,
    async bytes(path) {
      const f = byPath.get(path);
      return f ? new Uint8Array(await f.arrayBuffer()) : undefined;
    },
    async modelSource(dir) {
      const json = byPath.get(`${dir}/model.json`);
      if (!json) throw new Error(`The run has no ${dir}/model.json; was the folder picked whole?`);
      const manifest = JSON.parse(await json.text()) as { weightsManifest?: { paths: string[] }[] };
      const weights = (manifest.weightsManifest ?? []).flatMap((g) =>
        g.paths.map((p) => {
          // The CLI writes './weights.bin': drop './' segments so the key matches the picked file's path.
          const f = byPath.get(`${dir}/${p}`.replace(/(^|\/)(\.\/)+/g, '$1'));
          if (!f) throw new Error(`The run is missing ${dir}/${p}, the weights of ${dir}/model.json.`);
          return f;
        }),
      );
      return { kind: 'files', files: [json, ...weights] };
    },
  };
}
