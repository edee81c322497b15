import { useEffect, useRef } from 'react';
import { relevanceToRgba, type ColormapName } from '@lrpjs/viz';

export type LimitsChoice = 'symmetric' | 'p99';

/** A relevance map drawn at its own resolution; CSS scales it up with crisp pixels. */
export function Heatmap(props: {
  relevance: Float32Array;
  size: number;
  colormap: ColormapName;
  limits: LimitsChoice;
  label: string;
  net: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const renders = useRef(0);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const img = relevanceToRgba(props.relevance, [props.size, props.size], {
      colormap: props.colormap,
      limits: props.limits === 'p99' ? { percentile: 99 } : 'symmetric',
    });
    canvas.width = img.width;
    canvas.height = img.height;
    canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(img.data), img.width, img.height), 0, 0);
    renders.current += 1;
    canvas.dataset.renders = String(renders.current);
  }, [props.relevance, props.size, props.colormap, props.limits]);
  return <canvas ref={ref} className="heatmap" role="img" aria-label={props.label} data-net={props.net} />;
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
  return <canvas ref={ref} className="heatmap input-image" role="img" aria-label={props.label} />;
}
