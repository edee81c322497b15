import { useEffect, useRef } from 'react';
import { getColormap, type ColormapName } from '@lrpjs/viz';

const fmt = (v: number) =>
  v === 0 ? '0' : Math.abs(v) >= 0.01 && Math.abs(v) < 1000 ? v.toFixed(3) : v.toExponential(1);

/** The colormap from the lower to the upper colour limit, with both limits written out. */
export function ColorBar(props: { colormap: ColormapName; vmin: number; vmax: number; net: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const { lut8: lut } = getColormap(props.colormap);
    const n = lut.length / 4;
    canvas.width = n;
    canvas.height = 1;
    canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(lut), n, 1), 0, 0);
  }, [props.colormap]);
  return (
    <div className="colorbar" data-testid={`colorbar-${props.net}`}>
      <canvas ref={ref} aria-hidden="true" />
      <div className="colorbar-labels">
        <span>{fmt(props.vmin)}</span>
        <span>0</span>
        <span>{fmt(props.vmax)}</span>
      </div>
      <span className="visually-hidden">
        Colour scale from {fmt(props.vmin)} (blue, against) to {fmt(props.vmax)} (red, for)
      </span>
    </div>
  );
}
