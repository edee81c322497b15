import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Engine } from './engine/client';
import type { BackendChoice, FaceResult, ModelInfo, TargetSpec } from './engine/protocol';
import { TUTORIAL_PARAMS } from './engine/composites';
import { filesRunSource, urlRunSource, type RunSource } from './run/source';
import { atlasTile, loadRun } from './run/loadRun';
import { resizePixels } from './run/pixels';
import type { LoadedRun } from './run/types';
import { Controls, type Settings } from './components/Controls';
import { Explorer, type NetState } from './components/Explorer';
import { Gallery } from './components/Gallery';
import { PhotoInput } from './components/PhotoInput';
import { RunOverview } from './components/RunOverview';
import { FileButton } from './components/FileButton';

/** What is being explained: a test image of the run's gallery, or the user's own photo. */
export type Subject =
  | { kind: 'gallery'; index: number }
  | { kind: 'photo'; name: string; url: string; face: FaceResult; crops: Record<number, Float32Array> };

const DEFAULT_SETTINGS: Settings = {
  targetMode: 'predicted',
  classIndex: 0,
  composite: 'tutorial',
  params: TUTORIAL_PARAMS,
  colormap: 'seismic-dark',
  limits: 'symmetric',
};

function backendFromQuery(): BackendChoice {
  const b = new URLSearchParams(window.location.search).get('backend');
  return b === 'webgl' || b === 'wasm' || b === 'cpu' ? b : 'auto';
}

// One engine (worker + tfjs) per page, outside React so StrictMode's double renders don't start two.
let engineSingleton: { engine: Engine; ready: Promise<{ backend: string }> } | undefined;
function getEngine() {
  if (!engineSingleton) {
    const engine = new Engine();
    engineSingleton = { engine, ready: engine.init(backendFromQuery()) };
    // For tests and measurements: the worker's live tensor count.
    // For tests, measurements and scripts/calibrate-crop.ts: the worker's tensor count and the face detector.
    (window as unknown as { lrpjsDebug: object }).lrpjsDebug = {
      memory: () => engine.memory(),
      face: async (blob: Blob, sizes: number[] = [64]) => engine.face(await createImageBitmap(blob), sizes),
    };
  }
  return engineSingleton;
}

export function App() {
  const { engine, ready } = getEngine();
  const [backend, setBackend] = useState<string>('starting…');
  const [run, setRun] = useState<LoadedRun | null>(null);
  const [runStatus, setRunStatus] = useState<string>('');
  const [runError, setRunError] = useState<string>('');
  const [infos, setInfos] = useState<Record<string, ModelInfo>>({});
  const [modelErrors, setModelErrors] = useState<Record<string, string>>({});
  const [subject, setSubject] = useState<Subject | null>(null);
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [results, setResults] = useState<Record<string, NetState>>({});
  const [computing, setComputing] = useState(false);
  const generation = useRef(0);
  const explorerRef = useRef<HTMLElement>(null);

  useEffect(() => {
    ready.then(
      (r) => {
        setBackend(r.backend);
        // Fetch the face detector's weights while the user looks around: the page then works offline.
        window.setTimeout(() => engine.prepareFace().catch(() => undefined), 1500);
      },
      (e: Error) => setBackend(`unavailable: ${e.message}`),
    );
  }, [engine, ready]);

  const openRun = useCallback(
    async (source: RunSource) => {
      setRunError('');
      setRunStatus(`Opening ${source.label}…`);
      try {
        const loaded = await loadRun(source);
        await ready;
        await engine.unload();
        setRun(loaded);
        setInfos({});
        setModelErrors({});
        setSubject(null);
        setResults({});
        for (const net of loaded.nets) {
          setRunStatus(`Loading model ${net}…`);
          try {
            const info = await engine.load(net, loaded.models[net]);
            setInfos((prev) => ({ ...prev, [net]: info }));
          } catch (e) {
            setModelErrors((prev) => ({ ...prev, [net]: (e as Error).message }));
          }
        }
        setRunStatus(`Opened ${loaded.label}: ${loaded.nets.length} model(s).`);
      } catch (e) {
        setRunStatus('');
        setRunError((e as Error).message);
      }
    },
    [engine, ready],
  );

  // A run served next to the page (the dev server's /run/, or ?run=<url>) opens by itself.
  useEffect(() => {
    const base = new URLSearchParams(window.location.search).get('run') ?? 'run/';
    let cancelled = false;
    fetch(new URL('metrics.json', new URL(base.endsWith('/') ? base : `${base}/`, window.location.href)), {
      method: 'GET',
    })
      .then((res) => {
        if (!cancelled && res.ok) void openRun(urlRunSource(base));
        else if (!cancelled) setRunStatus('No run is served with this page: open a run folder.');
      })
      .catch(() => !cancelled && setRunStatus('No run is served with this page: open a run folder.'));
    return () => {
      cancelled = true;
    };
  }, [openRun]);

  const nets = useMemo(() => (run ? run.nets.filter((n) => infos[n]) : []), [run, infos]);

  /** The subject's pixels at each model's input size. */
  const inputs = useMemo(() => {
    const out: Record<string, { pixels: Float32Array; size: number; resizedFrom?: number }> = {};
    if (!run || !subject) return out;
    for (const net of nets) {
      const size = infos[net].inputSize;
      if (subject.kind === 'photo') {
        out[net] = { pixels: subject.crops[size], size };
        continue;
      }
      const atlas = run.atlases[size];
      if (atlas && run.gallery) {
        out[net] = { pixels: atlasTile(atlas, run.gallery.columns, subject.index), size };
      } else {
        const any = Object.values(run.atlases).sort((a, b) => b.size - a.size)[0];
        if (any && run.gallery) {
          out[net] = {
            pixels: resizePixels(atlasTile(any, run.gallery.columns, subject.index), any.size, size),
            size,
            resizedFrom: any.size,
          };
        }
      }
    }
    return out;
  }, [run, subject, nets, infos]);

  const trueClass = subject?.kind === 'gallery' ? run?.gallery?.targets[subject.index] : undefined;

  const target: TargetSpec = useMemo(() => {
    switch (settings.targetMode) {
      case 'predicted':
        return { kind: 'predicted' };
      case 'true':
        // Photos have no true class: explain the prediction (the radio button says "gallery images only").
        return trueClass === undefined ? { kind: 'predicted' } : { kind: 'class', index: trueClass };
      case 'class':
        return { kind: 'class', index: settings.classIndex };
      case 'contrast':
        return { kind: 'contrast', index: settings.classIndex };
    }
  }, [settings.targetMode, settings.classIndex, trueClass]);

  // A new subject: old heatmaps would describe another image, so drop them at once.
  useEffect(() => setResults({}), [subject]);

  // Recompute every model's heatmap when anything that shapes it changes; a newer request cancels the rest.
  useEffect(() => {
    if (!run || !subject || !target || nets.length === 0) return;
    const gen = ++generation.current;
    setComputing(true);
    const composite = { name: settings.composite, params: settings.params };
    const timer = window.setTimeout(async () => {
      for (const net of nets) {
        if (gen !== generation.current) return;
        const input = inputs[net];
        if (!input?.pixels) {
          setResults((prev) => ({ ...prev, [net]: { error: 'No input image at this model’s size.' } }));
          continue;
        }
        try {
          const result = await engine.explain(net, input.pixels, input.size, target, composite);
          if (gen !== generation.current) return;
          setResults((prev) => ({ ...prev, [net]: { result } }));
        } catch (e) {
          if (gen !== generation.current) return;
          setResults((prev) => ({ ...prev, [net]: { error: (e as Error).message } }));
        }
      }
      if (gen === generation.current) setComputing(false);
    }, 80);
    return () => window.clearTimeout(timer);
  }, [engine, run, subject, target, nets, inputs, settings.composite, settings.params]);

  const selectGallery = useCallback((index: number) => {
    setSubject({ kind: 'gallery', index });
    explorerRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, []);

  const onPhoto = useCallback(
    async (file: File): Promise<void> => {
      if (nets.length === 0)
        throw new Error('Open a run first: your photo is classified and explained by the run’s models.');
      if (file.type && !file.type.startsWith('image/')) {
        throw new Error(`“${file.name}” is not an image (${file.type}). Choose a photo: JPEG, PNG or WebP.`);
      }
      let bitmap: ImageBitmap;
      try {
        bitmap = await createImageBitmap(file);
      } catch {
        throw new Error(`“${file.name}” could not be read as an image. Choose a photo: JPEG, PNG or WebP.`);
      }
      const sizes = [...new Set(nets.map((n) => infos[n].inputSize))];
      const face = await engine.face(bitmap, sizes);
      const crops: Record<number, Float32Array> = {};
      for (const c of face.crops) crops[c.size] = c.pixels;
      setSubject((prev) => {
        if (prev?.kind === 'photo') URL.revokeObjectURL(prev.url);
        return { kind: 'photo', name: file.name, url: URL.createObjectURL(file), face, crops };
      });
      explorerRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    },
    [engine, nets, infos],
  );

  const classNames = run?.metrics.classNames ?? [];

  return (
    <>
      <a className="skip" href="#explorer">
        Skip to the explanations
      </a>
      <header className="top">
        <div className="brand">
          <h1>lrpjs explorer</h1>
          <p className="tagline">Layer-wise Relevance Propagation in your browser: nothing leaves this page.</p>
        </div>
        <div className="run-open">
          <FileButton
            id="pick-run"
            directory
            onFiles={(files) => {
              try {
                void openRun(filesRunSource(files));
              } catch (err) {
                setRunError((err as Error).message);
              }
            }}
          >
            Open run folder…
          </FileButton>
          <p className="status" role="status" aria-live="polite">
            <span>
              Backend: <strong data-testid="backend">{backend}</strong>
            </span>
            {runStatus && <span data-testid="run-status"> · {runStatus}</span>}
          </p>
          {runError && (
            <p className="error" role="alert" data-testid="run-error">
              {runError}
            </p>
          )}
        </div>
      </header>
      <main className="layout">
        <aside className="controls" aria-label="Explanation controls">
          <Controls
            settings={settings}
            onChange={setSettings}
            classNames={classNames}
            hasTrueClass={trueClass !== undefined}
          />
        </aside>
        <div className="content">
          <Explorer
            ref={explorerRef}
            run={run}
            subject={subject}
            nets={nets}
            infos={infos}
            modelErrors={modelErrors}
            inputs={inputs}
            results={results}
            computing={computing}
            settings={settings}
            trueClass={trueClass}
            classNames={classNames}
          />
          <PhotoInput onPhoto={onPhoto} disabled={nets.length === 0} />
          {run && (
            <Gallery run={run} selected={subject?.kind === 'gallery' ? subject.index : -1} onSelect={selectGallery} />
          )}
          {run && <RunOverview run={run} />}
        </div>
      </main>
      <footer className="foot">
        <p>
          Heatmaps: red = evidence for the explained output, blue = against. Computed here with TensorFlow.js; your
          photo and the run’s files are never uploaded.
        </p>
      </footer>
    </>
  );
}
