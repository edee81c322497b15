import { useEffect, useMemo, useRef, useState } from 'react';
import { relevanceLimits, relevanceToRgba, type ColormapName } from '@lrpjs/viz';
import type { Engine } from '../engine/client';
import type { ConceptScoreOut, ConceptsResult, RegionResult } from '../engine/protocol';
import { shortName } from '../run/pixels';
import type { LoadedConcepts, LoadedRun } from '../run/types';

/** How many concepts a view lists. */
const TOP = 6;
/** A click marks a square of this share of the image side around the pointer. */
const REGION_SIDE = 0.25;

type Region = RegionResult['region'];

/** A relevance map at its own resolution (CSS scales it), each with its own ± max |R| limits. */
function ReliefCanvas(props: {
  relevance: Float32Array;
  size: number;
  colormap: ColormapName;
  label: string;
  className?: string;
  region?: Region;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { relevance, size, colormap, region } = props;
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const limits = relevanceLimits(relevance, [size, size], 'symmetric');
    const img = relevanceToRgba(relevance, [size, size], { colormap, limits });
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d')!;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(img.data), img.width, img.height), 0, 0);
    if (region) {
      ctx.strokeStyle = '#111';
      ctx.lineWidth = Math.max(1, size / 75);
      ctx.strokeRect(region.x0 + 0.5, region.y0 + 0.5, region.x1 - region.x0 - 1, region.y1 - region.y0 - 1);
    }
  }, [relevance, size, colormap, region]);
  return <canvas ref={ref} className={props.className ?? 'concept-heatmap'} role="img" aria-label={props.label} />;
}

/** Reference crop `k` of `channel`: a window on the atlas's sprite (one row per channel, `top` crops a row). */
function Crop(props: { sprite?: string; crop: number; channel: number; k: number; sample?: number; label: string }) {
  const { sprite, crop, channel, k } = props;
  if (!sprite) return null;
  return (
    <span
      className="crop"
      role="img"
      aria-label={props.label}
      title={props.sample !== undefined ? `dataset image ${props.sample}` : undefined}
      style={{
        width: crop,
        height: crop,
        backgroundImage: `url(${sprite})`,
        backgroundPosition: `-${k * crop}px -${channel * crop}px`,
      }}
    />
  );
}

function References(props: { concepts: LoadedConcepts; layer: string; channel: number; count?: number }) {
  const { concepts, layer, channel } = props;
  const atlasLayer = concepts.atlas.layers.find((l) => l.layer === layer);
  const refs = atlasLayer?.relevance[channel] ?? [];
  return (
    <span className="crops">
      {refs.slice(0, props.count ?? refs.length).map((r, k) => (
        <Crop
          key={k}
          sprite={concepts.sprites[layer]?.relevance}
          crop={concepts.atlas.cropSize}
          channel={channel}
          k={k}
          sample={r.sample}
          label={`Reference ${k + 1} of channel ${channel}: where it is most relevant in dataset image ${r.sample}`}
        />
      ))}
    </span>
  );
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/**
 * Concept Relevance Propagation for the selected image: its top concepts (channels of a layer) with their share of
 * the relevance, their conditional heatmaps and the reference crops the CLI's atlas (`lrpjs concepts`) collected
 * from the dataset; a click on the plain heatmap lists the concepts that make that region relevant.
 */
export function ConceptsPanel(props: {
  run: LoadedRun;
  engine: Engine;
  /** Input pixels per net for the selected image (undefined: none selected). */
  inputs: Record<string, { pixels?: Float32Array; size: number }>;
  /** The class to explain: the true person (gallery), else the prediction. */
  target: number | 'predicted';
  classNames: string[];
  colormap: ColormapName;
}) {
  const { run, engine, inputs } = props;
  const nets = Object.keys(run.concepts);
  const [enabled, setEnabled] = useState(false);
  const [net, setNet] = useState(nets[0] ?? '');
  const concepts = run.concepts[net];
  const [layer, setLayer] = useState(concepts?.atlas.layers[0]?.layer ?? '');
  const [result, setResult] = useState<ConceptsResult | undefined>();
  const [region, setRegion] = useState<RegionResult | undefined>();
  const [marked, setMarked] = useState<Region | undefined>();
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  const pixels = inputs[net]?.pixels;
  const size = inputs[net]?.size ?? concepts?.atlas.inputSize ?? 0;
  const layerName = concepts?.atlas.layers.some((l) => l.layer === layer) ? layer : concepts?.atlas.layers[0]?.layer;

  useEffect(() => {
    if (!enabled || !concepts || !pixels || !layerName) return;
    let cancelled = false;
    setBusy('Finding the concepts…');
    setError('');
    setRegion(undefined);
    setMarked(undefined);
    engine
      .concepts(net, pixels, size, props.target, layerName, TOP, concepts.atlas.composite)
      .then((r) => !cancelled && setResult(r))
      .catch((e: Error) => !cancelled && setError(e.message))
      .finally(() => !cancelled && setBusy(''));
    return () => {
      cancelled = true;
    };
  }, [enabled, engine, net, concepts, pixels, size, props.target, layerName]);

  const mark = (r: Region) => {
    if (!concepts || !pixels || !layerName) return;
    setMarked(r);
    setBusy('Finding the concepts of the marked region…');
    setError('');
    engine
      .region(net, pixels, size, result?.target ?? props.target, layerName, 5, concepts.atlas.composite, r)
      .then(setRegion)
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(''));
  };
  const regionAt = (fx: number, fy: number): Region => {
    const side = Math.max(2, Math.round(size * REGION_SIDE));
    const cx = Math.min(size - side, Math.max(0, Math.round(fx * size - side / 2)));
    const cy = Math.min(size - side, Math.max(0, Math.round(fy * size - side / 2)));
    return { y0: cy, x0: cx, y1: cy + side, x1: cx + side };
  };

  // For tests and scripts, as lrpjsDebug.explanations.
  useEffect(() => {
    (window as unknown as { lrpjsDebug: { concepts?: unknown } }).lrpjsDebug.concepts = { result, region };
  }, [result, region]);

  const shown = result && result.layer === layerName && result.net === net ? result : undefined;
  const target = shown ? shortName(props.classNames[shown.target] ?? `class ${shown.target}`) : '';
  const atlasLayer = concepts?.atlas.layers.find((l) => l.layer === layerName);
  const heat = useMemo(
    () =>
      shown
        ? shown.concepts.map((_, i) => shown.heatmaps.subarray(i * shown.size * shown.size, (i + 1) * shown.size ** 2))
        : [],
    [shown],
  );

  if (nets.length === 0 && Object.keys(run.conceptErrors).length === 0) return null;
  return (
    <section className="panel concepts" aria-labelledby="concepts-title" data-busy={!!busy} id="concepts">
      <h2 id="concepts-title">Concepts</h2>
      <p className="hint">
        Concept Relevance Propagation: which channels of a layer (concepts) carry the relevance of the selected image,
        where each one is relevant, and, from the atlas <code>lrpjs concepts</code> wrote into the run, the dataset
        crops where each concept is most relevant.
      </p>
      {Object.entries(run.conceptErrors).map(([n, msg]) => (
        <p key={n} className="error" role="alert">
          {n}: {msg}
        </p>
      ))}
      {concepts && (
        <div className="concept-controls">
          <label>
            <input type="checkbox" id="concepts-on" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
            Show the concepts of the selected image
          </label>
          <label className="inline" htmlFor="concept-net">
            Model
          </label>
          <select id="concept-net" value={net} onChange={(e) => setNet(e.currentTarget.value)}>
            {nets.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          <label className="inline" htmlFor="concept-layer">
            Layer
          </label>
          <select id="concept-layer" value={layerName} onChange={(e) => setLayer(e.currentTarget.value)}>
            {concepts.atlas.layers.map((l) => (
              <option key={l.layer} value={l.layer}>
                {l.layer} ({l.shape[2]} channels)
              </option>
            ))}
          </select>
          <span className="muted small">
            atlas: {concepts.atlas.samples} images, top {concepts.atlas.top} per channel,{' '}
            {concepts.atlas.composite.name}
          </span>
        </div>
      )}
      {enabled && !pixels && <p>Select a test image (or a photo) to see its concepts.</p>}
      <p className="status" role="status" aria-live="polite">
        {busy}
      </p>
      {error && (
        <p className="error" role="alert" data-testid="concepts-error">
          {error}
        </p>
      )}
      {enabled && shown && concepts && atlasLayer && (
        <div className="concept-view" data-testid="concept-view" data-target={shown.target} data-ms={shown.ms}>
          <div className="concept-plain">
            <button
              type="button"
              className="plain-button"
              aria-label={`${net}: mark a region of the heatmap to list the concepts relevant there (Enter marks the centre)`}
              onClick={(e) => {
                const r = e.currentTarget.getBoundingClientRect();
                // A keyboard "click" has no pointer position: the centre.
                const fromPointer = e.detail > 0 && r.width > 0;
                mark(
                  regionAt(
                    fromPointer ? (e.clientX - r.left) / r.width : 0.5,
                    fromPointer ? (e.clientY - r.top) / r.height : 0.5,
                  ),
                );
              }}
            >
              <ReliefCanvas
                relevance={shown.plain}
                size={shown.size}
                colormap={props.colormap}
                region={marked}
                className="concept-plain-heatmap"
                label={`${net} heatmap explaining ${target}`}
              />
            </button>
            <p className="muted small">
              {net} explains <strong>{target}</strong> at {shown.layer}; ΣR at the layer {shown.total.toPrecision(3)} ·{' '}
              {shown.ms.toFixed(0)} ms. Click the heatmap to ask which concepts make a region relevant.
            </p>
            {region && marked && (
              <div data-testid="region-concepts" className="region-concepts">
                <h3>
                  In the marked region (rows {region.region.y0}–{region.region.y1 - 1}, columns {region.region.x0}–
                  {region.region.x1 - 1})
                </h3>
                <ol>
                  {region.concepts.map((c) => (
                    <li key={c.channel} data-channel={c.channel} data-share={c.share}>
                      channel {c.channel}: {percent(c.share)} of the region’s relevance{' '}
                      <References concepts={concepts} layer={shown.layer} channel={c.channel} count={2} />
                    </li>
                  ))}
                </ol>
                <p className="muted small">{region.ms.toFixed(0)} ms</p>
              </div>
            )}
          </div>
          <ol className="concept-list">
            {shown.concepts.map((c: ConceptScoreOut, i) => (
              <li
                key={c.channel}
                className="concept"
                data-testid="concept"
                data-channel={c.channel}
                data-share={c.share}
              >
                <strong>
                  channel {c.channel} · {percent(c.share)}
                </strong>
                <ReliefCanvas
                  relevance={heat[i]}
                  size={shown.size}
                  colormap={props.colormap}
                  label={`${net}: where channel ${c.channel} is relevant for ${target}`}
                />
                <References concepts={concepts} layer={shown.layer} channel={c.channel} />
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
