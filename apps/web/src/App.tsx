import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CompositeSpec, TargetSpec } from './engine/protocol';
import { filesRunSource, urlRunSource } from './run/source';
import { filesFromZip } from './open/zip';
import { clampCrop, cropPixels, defaultCrop, type SquareCrop } from './photo/crop';
import { useEngine } from './hooks/useEngine';
import { useRun } from './hooks/useRun';
import { useInputs } from './hooks/useInputs';
import { useExplanations, type NetRequest } from './hooks/useExplanations';
import { usePageDrop } from './hooks/usePageDrop';
import { useFlipping } from './hooks/useFlipping';
import { decodeView, encodeView } from './state/share';
import type { Settings } from './state/settings';
import { subjectKey, type PhotoSubject, type Subject } from './state/subject';
import { BackendPicker } from './components/BackendPicker';
import { Controls, compositeOf } from './components/Controls';
import { Explorer } from './components/Explorer';
import { Gallery } from './components/Gallery';
import { PhotoInput } from './components/PhotoInput';
import { RunOpener } from './components/RunOpener';
import { RunOverview } from './components/RunOverview';
import { ShareLink } from './components/ShareLink';
import { ConceptsPanel } from './components/ConceptsPanel';

const initialView = decodeView(new URLSearchParams(window.location.search));

function targetOf(settings: Settings, trueClass: number | undefined): TargetSpec {
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
}

export function App() {
  const { engine, ready, backend, backendError, switching, setBackend } = useEngine();
  const { run, status, error, infos, modelErrors, openRun, extraNets, addModel } = useRun(engine, ready);
  const [runUrl, setRunUrl] = useState<string | undefined>();
  const [settings, setSettings] = useState<Settings>(initialView.settings);
  const [subject, setSubject] = useState<Subject | null>(null);
  const explorerRef = useRef<HTMLElement>(null);

  const open = useCallback(
    async (source: Parameters<typeof openRun>[0], url?: string) => {
      const loaded = await openRun(source);
      if (!loaded) return;
      setRunUrl(url);
      const shared = initialView.gallery;
      setSubject(
        shared !== undefined && loaded.gallery && shared < loaded.gallery.count
          ? { kind: 'gallery', index: shared }
          : null,
      );
    },
    [openRun],
  );

  // A run served next to the page (the dev server's /run/, or ?run=<url>) opens by itself.
  useEffect(() => {
    const base = new URLSearchParams(window.location.search).get('run') ?? 'run/';
    let cancelled = false;
    fetch(new URL('metrics.json', new URL(base.endsWith('/') ? base : `${base}/`, window.location.href)))
      .then((res) => {
        // A server that answers every path with index.html (200, text/html) serves no run.
        const json = (res.headers.get('content-type') ?? '').includes('json');
        if (!cancelled && res.ok && json) void open(urlRunSource(base), base);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [open]);

  const openFiles = useCallback(
    (files: Promise<File[]> | File[]) => void open(async () => filesRunSource(await files)),
    [open],
  );
  usePageDrop(openFiles);

  const loadedNets = useMemo(
    () => (run ? [...run.nets, ...extraNets.filter((n) => !run.nets.includes(n))].filter((n) => infos[n]) : []),
    [run, infos, extraNets],
  );
  const nets = useMemo(() => loadedNets.filter((n) => !settings.hidden.includes(n)), [loadedNets, settings.hidden]);
  const inputs = useInputs(run, subject, nets, infos);
  const trueClass = subject?.kind === 'gallery' ? run?.gallery?.targets[subject.index] : undefined;
  // The concepts view needs its net's input even when that net is hidden from the cards.
  const conceptNets = useMemo(() => (run ? loadedNets.filter((n) => run.concepts[n]) : []), [run, loadedNets]);
  const conceptInputs = useInputs(run, subject, conceptNets, infos);
  const target = useMemo(() => targetOf(settings, trueClass), [settings, trueClass]);
  const composites = useMemo(() => {
    const out: Record<string, CompositeSpec> = {};
    for (const net of loadedNets) out[net] = compositeOf(settings, infos[net]);
    return out;
  }, [settings, loadedNets, infos]);
  const requests = useMemo(() => {
    const out: Record<string, NetRequest> = {};
    for (const net of nets)
      out[net] = {
        pixels: inputs[net]?.pixels,
        size: inputs[net]?.size,
        composite: composites[net],
        method: settings.method,
      };
    return out;
  }, [nets, inputs, composites, settings.method]);
  const { states, computing } = useExplanations(
    engine,
    nets,
    requests,
    run && subject ? target : undefined,
    `${subjectKey(subject)}|${backend?.backend ?? ''}`,
  );

  const { flips, flipping } = useFlipping(engine, settings.flipping, nets, states, inputs, computing);

  // For tests and scripts: the explanations as shown (relevance values, totals), beside lrpjsDebug.memory().
  useEffect(() => {
    (window as unknown as { lrpjsDebug: { explanations?: unknown } }).lrpjsDebug.explanations = states;
  }, [states]);
  useEffect(() => {
    (window as unknown as { lrpjsDebug: { flips?: unknown } }).lrpjsDebug.flips = flips;
  }, [flips]);

  const selectGallery = useCallback((index: number) => {
    setSubject({ kind: 'gallery', index });
    explorerRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, []);

  const sizes = useMemo(() => [...new Set(loadedNets.map((n) => infos[n].inputSize))], [loadedNets, infos]);
  const withCrop = useCallback(
    (photo: Omit<PhotoSubject, 'crops' | 'crop'>, crop: SquareCrop): PhotoSubject => {
      const crops: Record<number, Float32Array> = {};
      for (const size of sizes) crops[size] = cropPixels(photo.image, crop, size);
      return { ...photo, crop, crops };
    },
    [sizes],
  );

  const onPhoto = useCallback(
    async (file: File): Promise<void> => {
      if (loadedNets.length === 0)
        throw new Error('Open a run first: your photo is classified and explained by the run’s models.');
      if (file.type && !file.type.startsWith('image/')) {
        throw new Error(`“${file.name}” is not an image (${file.type}). Choose a photo: JPEG, PNG or WebP.`);
      }
      let image: ImageBitmap;
      let forDetector: ImageBitmap;
      try {
        image = await createImageBitmap(file);
        forDetector = await createImageBitmap(file);
      } catch {
        throw new Error(`“${file.name}” could not be read as an image. Choose a photo: JPEG, PNG or WebP.`);
      }
      const found = await engine.face(forDetector);
      const face = 'noFace' in found ? undefined : found;
      const crop = face ? face.crop : defaultCrop(image.width, image.height);
      const photo = {
        kind: 'photo' as const,
        name: file.name,
        url: URL.createObjectURL(file),
        image,
        face,
        manual: !face,
      };
      setSubject((prev) => {
        if (prev?.kind === 'photo') {
          URL.revokeObjectURL(prev.url);
          prev.image.close();
        }
        return withCrop(photo, crop);
      });
      explorerRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    },
    [engine, loadedNets, withCrop],
  );

  const onCrop = useCallback(
    (crop: SquareCrop) =>
      setSubject((prev) =>
        prev?.kind === 'photo'
          ? withCrop({ ...prev, manual: true }, clampCrop(crop, prev.image.width, prev.image.height))
          : prev,
      ),
    [withCrop],
  );

  const shareHref = useMemo(() => {
    const q = encodeView({
      settings,
      gallery: subject?.kind === 'gallery' ? subject.index : undefined,
      backend: backend?.chosen === 'requested' ? backend.backend : undefined,
    });
    if (runUrl && runUrl !== 'run/') q.set('run', runUrl);
    const url = new URL(window.location.href);
    url.search = q.toString();
    return url.href;
  }, [settings, subject, backend, runUrl]);

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
        <RunOpener
          onFolder={(files) => openFiles(Array.from(files))}
          onZip={(file) => openFiles(filesFromZip(file))}
          onModel={(files) => void addModel(Array.from(files))}
          canAddModel={!!run}
          status={status || (run ? '' : 'No run is open yet: open a run folder or a zip of one.')}
          error={error}
        />
      </header>
      <main className="layout">
        <aside className="controls" aria-label="Explanation controls">
          <Controls
            settings={settings}
            onChange={setSettings}
            classNames={classNames}
            hasTrueClass={trueClass !== undefined}
            nets={loadedNets}
            infos={infos}
          >
            <BackendPicker state={backend} error={backendError} switching={switching} onChange={setBackend} />
            <ShareLink href={shareHref} />
          </Controls>
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
            states={states}
            composites={composites}
            computing={computing}
            flips={flips}
            flipping={flipping}
            settings={settings}
            trueClass={trueClass}
            classNames={classNames}
            onCrop={onCrop}
          />
          {run && (
            <ConceptsPanel
              run={run}
              engine={engine}
              inputs={subject ? conceptInputs : {}}
              target={trueClass ?? 'predicted'}
              classNames={classNames}
              colormap={settings.colormap}
            />
          )}
          <PhotoInput onPhoto={onPhoto} disabled={loadedNets.length === 0} />
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
