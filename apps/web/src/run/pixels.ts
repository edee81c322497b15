/** Bilinear resize of size×size×3 pixels (used when the run has no atlas at a model's input size). */
export function resizePixels(pixels: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return pixels;
  const out = new Float32Array(to * to * 3);
  const scale = from / to;
  for (let y = 0; y < to; y++) {
    const sy = Math.min(from - 1, Math.max(0, (y + 0.5) * scale - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(from - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < to; x++) {
      const sx = Math.min(from - 1, Math.max(0, (x + 0.5) * scale - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(from - 1, x0 + 1);
      const fx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const a = pixels[(y0 * from + x0) * 3 + c];
        const b = pixels[(y0 * from + x1) * 3 + c];
        const d = pixels[(y1 * from + x0) * 3 + c];
        const e = pixels[(y1 * from + x1) * 3 + c];
        out[(y * to + x) * 3 + c] = (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
      }
    }
  }
  return out;
}

/** The surname, as the tutorial labels its images ("George W Bush" → "Bush"). */
export function shortName(name: string | undefined): string {
  if (!name) return '?';
  const parts = name.trim().split(/\s+/);
  return parts[parts.length - 1];
}
