import { useEffect, useRef, useState } from 'react';
import { relevanceLimits, relevanceToRgba, type ColormapName, type Limits } from '@lrpjs/viz';
import type { LimitsChoice, ViewMode } from '../state/settings';

export function limitsOf(relevance: Float32Array, size: number, choice: LimitsChoice): Limits {
  return relevanceLimits(relevance, [size, size], choice === 'p99' ? { percentile: 99 } : 'symmetric');
}

/**
 * A relevance map drawn at its own resolution (CSS scales it up with crisp pixels), alone or over the input image;
 * hovering reads one pixel's relevance.
 */
export function Heatmap(props: {
  relevance: Float32Array;
  size: number;
  colormap: ColormapName;
  limits: Limits;
  label: string;
  net: string;
  view: ViewMode;
  opacity: number;
  input?: Float32Array;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const renders = useRef(0);
  const [hover, setHover] = useState<{ x: number; y: number } | null>(null);
  const { size, relevance } = props;
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const img = relevanceToRgba(relevance, [size, size], { colormap: props.colormap, limits: props.limits });
    canvas.width = img.width;
    canvas.height = img.height;
    canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(img.data), img.width, img.height), 0, 0);
    renders.current += 1;
    canvas.dataset.renders = String(renders.current);
  }, [relevance, size, props.colormap, props.limits]);
  const overlay = props.view === 'overlay' && props.input;
  const value = hover ? relevance[hover.y * size + hover.x] : undefined;
  return (
    <div className="heatmap-wrap">
      <div
        className="heatmap-stack"
        onPointerMove={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const x = Math.floor(((e.clientX - r.left) / r.width) * size);
          const y = Math.floor(((e.clientY - r.top) / r.height) * size);
          setHover(x >= 0 && y >= 0 && x < size && y < size ? { x, y } : null);
        }}
        onPointerLeave={() => setHover(null)}
      >
        {overlay && <PixelsCanvas pixels={props.input!} size={size} label="" />}
        <canvas
          ref={ref}
          className="heatmap"
          role="img"
          aria-label={props.label}
          data-net={props.net}
          style={overlay ? { opacity: props.opacity } : undefined}
        />
      </div>
      <p className="readout muted" data-testid={`readout-${props.net}`}>
        {hover && value !== undefined
          ? `pixel (${hover.x}, ${hover.y}): R = ${value.toExponential(2)}`
          : 'Point at the heatmap to read a pixel’s relevance.'}
      </p>
    </div>
  );
}

/** An input image (size×size×3 in [0, 1]) on a canvas. */
export function PixelsCanvas(props: { pixels: Float32Array; size: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { size, pixels } = props;
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const data = new Uint8ClampedArray(size * size * 4);
    for (let p = 0, q = 0; q < pixels.length; p += 4, q += 3) {
      data[p] = pixels[q] * 255;
      data[p + 1] = pixels[q + 1] * 255;
      data[p + 2] = pixels[q + 2] * 255;
      data[p + 3] = 255;
    }
    canvas.width = size;
    canvas.height = size;
    canvas.getContext('2d')!.putImageData(new ImageData(data, size, size), 0, 0);
  }, [pixels, size]);
  return (
    <canvas
      ref={ref}
      className="heatmap input-image"
      role={props.label ? 'img' : undefined}
      aria-label={props.label || undefined}
      aria-hidden={props.label ? undefined : true}
    />
  );
}

/** Saves a heatmap canvas as PNG, scaled up so it is not a postage stamp (nearest neighbour keeps the pixels). */
export function downloadHeatmap(net: string, name: string): void {
  const src = document.querySelector<HTMLCanvasElement>(`canvas.heatmap[data-net="${net}"]`);
  if (!src) return;
  const k = Math.max(1, Math.floor(512 / src.width));
  const out = document.createElement('canvas');
  out.width = src.width * k;
  out.height = src.height * k;
  const ctx = out.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(src, 0, 0, out.width, out.height);
  out.toBlob((blob) => {
    if (!blob) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.click();
    window.setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }, 'image/png');
}
