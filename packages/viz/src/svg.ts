/**
 * Self-contained SVG charts (no scripts, no external fonts or styles): accuracy curves, confusion matrices and
 * grouped bars. Every string that reaches the markup is escaped.
 */
import { escapeXml } from './encoding';

/** Okabe–Ito colours (distinguishable with colour-vision deficiencies), darkest first; yellow left out. */
export const SERIES_COLORS: readonly string[] = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
];

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const INK = '#111827';
const MUTED = '#4b5563';
const GRID = '#e5e7eb';
const AXIS = '#9ca3af';

/** How tick and cell values are written: `'percent'` shows 0.875 as "87.5%". */
export type ValueFormat = 'number' | 'percent';

/** One line of a {@link lineChartSvg}. */
export interface LineSeries {
  name: string;
  /** [x, y] points in drawing order; non-finite y breaks the line. */
  points: readonly (readonly [number, number])[];
  /** CSS colour. Default: the next of {@link SERIES_COLORS}. */
  color?: string;
  /** Dashed stroke (e.g. for training curves next to solid test curves). Default false. */
  dashed?: boolean;
}

/** Options of {@link lineChartSvg}. */
export interface LineChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Default 640. */
  width?: number;
  /** Default 360. */
  height?: number;
  /** Y range. Default: the data's range, widened to round ticks ([0, 1] when yFormat is percent and it fits). */
  yDomain?: readonly [number, number];
  /** X range. Default: the data's range. */
  xDomain?: readonly [number, number];
  /** Y tick format. Default `'number'`. */
  yFormat?: ValueFormat;
  /** Dots on the points. Default: when no series has more than 40 points. */
  markers?: boolean;
  /**
   * X ticks to draw instead of the automatic round numbers, e.g. one per step named after it
   * (`[{ value: 0, label: 'original' }, { value: 1, label: 'conv4' }]`). Default: automatic.
   */
  xTicks?: readonly { value: number; label: string }[];
}

/**
 * A line chart, e.g. train and test accuracy over iterations.
 *
 * @example
 * lineChartSvg([{ name: 'test', points: [[0, 0.2], [100, 0.6]] }], { yDomain: [0, 1], yFormat: 'percent' });
 */
export function lineChartSvg(series: readonly LineSeries[], options: LineChartOptions = {}): string {
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  checkSize(width, height, 'lineChartSvg');
  const percent = options.yFormat === 'percent';
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series) {
    if (!s || !Array.isArray(s.points)) throw new Error('lineChartSvg: each series needs { name, points: [x, y][] }.');
    for (const [x, y] of s.points) {
      if (Number.isFinite(x) && Number.isFinite(y)) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  const xDomain = options.xDomain ?? extent(xs, [0, 1]);
  let yDomain = options.yDomain;
  if (!yDomain) {
    const [lo, hi] = extent(ys, [0, 1]);
    yDomain = percent && lo >= 0 && hi <= 1 ? [0, 1] : niceDomain(lo, hi);
  }
  checkDomain(xDomain, 'xDomain');
  checkDomain(yDomain, 'yDomain');

  const legend = layoutLegend(
    series.map((s) => s.name),
    width - 24,
  );
  const top = (options.title ? 34 : 12) + legend.height + (legend.height ? 6 : 0);
  const yTicks = ticks(yDomain[0], yDomain[1], Math.max(2, Math.round((height - top) / 60)));
  const yTickLabels = yTicks.map((v) => formatValue(v, tickStep(yTicks), percent));
  const left = 14 + (options.yLabel ? 20 : 0) + Math.max(...yTickLabels.map((t) => textWidth(t, 11)));
  const bottom = 30 + (options.xLabel ? 22 : 0);
  const right = 20;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  if (plotW < 40 || plotH < 40) throw new Error(`lineChartSvg: ${width}×${height} is too small; use at least 240×200.`);
  const sx = (x: number): number => left + ((x - xDomain[0]) / (xDomain[1] - xDomain[0] || 1)) * plotW;
  const sy = (y: number): number => top + plotH - ((y - yDomain[0]) / (yDomain[1] - yDomain[0] || 1)) * plotH;
  const autoTicks = ticks(xDomain[0], xDomain[1], Math.max(2, Math.round(plotW / 90)));
  const xTicks =
    options.xTicks?.filter((t) => t.value >= xDomain[0] && t.value <= xDomain[1]) ??
    autoTicks.map((v) => ({ value: v, label: formatValue(v, tickStep(autoTicks), false) }));

  const out: string[] = [];
  out.push(open(width, height, options.title ?? 'Line chart', describeSeries(series)));
  if (options.title) out.push(text(width / 2, 22, options.title, { size: 15, weight: 600, anchor: 'middle' }));
  out.push(
    legend.render(
      12,
      options.title ? 34 : 12,
      series.map((s, k) => seriesStyle(s, k)),
    ),
  );
  // Grid and axes.
  for (let k = 0; k < yTicks.length; k++) {
    const y = round(sy(yTicks[k]));
    out.push(`<line x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="${GRID}" stroke-width="1"/>`);
    out.push(text(left - 6, y + 4, yTickLabels[k], { size: 11, anchor: 'end', color: MUTED }));
  }
  for (const t of xTicks) {
    const x = round(sx(t.value));
    out.push(
      `<line x1="${x}" y1="${top + plotH}" x2="${x}" y2="${top + plotH + 4}" stroke="${AXIS}" stroke-width="1"/>`,
    );
    // A label that would run past the chart's edge ends (or starts) at its tick instead of centring on it.
    const half = textWidth(t.label, 11) / 2;
    const anchor = x + half > width - 2 ? 'end' : x - half < 2 ? 'start' : 'middle';
    out.push(text(x, top + plotH + 17, t.label, { size: 11, anchor, color: MUTED }));
  }
  out.push(
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="${AXIS}" stroke-width="1"/>`,
  );
  if (options.xLabel) out.push(text(left + plotW / 2, height - 8, options.xLabel, { size: 12, anchor: 'middle' }));
  if (options.yLabel) {
    const cy = top + plotH / 2;
    out.push(text(14, cy, options.yLabel, { size: 12, anchor: 'middle', rotate: -90 }));
  }
  // Lines, clipped by hand to the plot's y range so no clipPath ids are needed (ids clash when inlined twice).
  const clampY = (y: number): number => Math.min(top + plotH, Math.max(top, sy(y)));
  const markers = options.markers ?? series.every((s) => s.points.length <= 40);
  series.forEach((s, k) => {
    const style = seriesStyle(s, k);
    let d = '';
    let pen = false;
    for (const [x, y] of s.points) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${round(sx(x))} ${round(clampY(y))}`;
      pen = true;
    }
    if (d) {
      out.push(
        `<path d="${d}" fill="none" stroke="${escapeXml(style.color)}" stroke-width="2" stroke-linejoin="round" ` +
          `stroke-linecap="round"${style.dashed ? ' stroke-dasharray="6 4"' : ''}><title>${escapeXml(s.name)}</title></path>`,
      );
    }
    if (markers) {
      for (const [x, y] of s.points) {
        if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
        out.push(
          `<circle cx="${round(sx(x))}" cy="${round(clampY(y))}" r="2.5" fill="${escapeXml(style.color)}">` +
            `<title>${escapeXml(`${s.name}: x=${formatValue(x, 0, false)}, y=${formatValue(y, 0, percent)}`)}</title></circle>`,
        );
      }
    }
  });
  out.push('</svg>');
  return out.join('\n');
}

/** Options of {@link confusionMatrixSvg}. */
export interface ConfusionMatrixOptions {
  title?: string;
  /**
   * Show and colour each row as fractions of its true class (recall per class), so rare classes read as well
   * as frequent ones. Default true; false shows counts, coloured relative to the largest count.
   */
  normalize?: boolean;
  /** Cell size in pixels. Default: 540 / classes, clamped to 18..48. */
  cellSize?: number;
  /** Default 'Predicted'. */
  xLabel?: string;
  /** Default 'True'. */
  yLabel?: string;
}

/**
 * A confusion matrix: `matrix[i][j]` = number of examples of true class i predicted as class j (rows true,
 * columns predicted, as scikit-learn).
 */
export function confusionMatrixSvg(
  matrix: readonly (readonly number[])[],
  labels: readonly string[],
  options: ConfusionMatrixOptions = {},
): string {
  const n = labels.length;
  if (n === 0) throw new Error('confusionMatrixSvg: no class labels given; pass one label per class.');
  if (matrix.length !== n || matrix.some((row) => !Array.isArray(row) || row.length !== n)) {
    throw new Error(
      `confusionMatrixSvg: matrix must be ${n}×${n} to match ${n} labels (rows true, columns predicted).`,
    );
  }
  if (matrix.some((row) => row.some((v) => !Number.isFinite(v) || v < 0))) {
    throw new Error('confusionMatrixSvg: counts must be finite and non-negative.');
  }
  const normalize = options.normalize ?? true;
  const cell = options.cellSize ?? Math.min(48, Math.max(18, Math.floor(540 / n)));
  const labelSize = 11;
  const maxLabel = Math.max(...labels.map((l) => textWidth(l, labelSize)));
  const title = options.title;
  const top = title ? 38 : 12;
  const left = 10 + 20 + maxLabel + 8;
  const gridSize = n * cell;
  // Column labels are rotated by -45°, so their height is their length / √2.
  const bottom = 8 + maxLabel * Math.SQRT1_2 + 12 + 24;
  // Column labels hang down-left from their column, inside the room the row labels already take.
  const width = Math.ceil(Math.max(left + gridSize + 16, title ? textWidth(title, 15) + 24 : 0));
  const height = Math.ceil(top + gridSize + bottom);

  const rowSums = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const maxCount = Math.max(1, ...matrix.flat());
  const total = rowSums.reduce((a, b) => a + b, 0);
  const correct = matrix.reduce((a, row, i) => a + row[i], 0);
  const accuracy = total > 0 ? correct / total : NaN;

  const out: string[] = [];
  out.push(
    open(
      width,
      height,
      title ?? 'Confusion matrix',
      `Confusion matrix of ${n} classes, rows true class, columns predicted class` +
        (Number.isFinite(accuracy) ? `; accuracy ${formatValue(accuracy, 0.001, true)}.` : '.'),
    ),
  );
  if (title) out.push(text(left + gridSize / 2, 24, title, { size: 15, weight: 600, anchor: 'middle' }));
  const cellFont = Math.max(8, Math.min(13, Math.round(cell * 0.38)));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const count = matrix[i][j];
      const frac = rowSums[i] > 0 ? count / rowSums[i] : 0;
      const v = normalize ? frac : count / maxCount;
      const [r, g, b] = blues(v);
      const x = left + j * cell;
      const y = top + i * cell;
      const tip =
        `true ${labels[i]}, predicted ${labels[j]}: ${count}` +
        (rowSums[i] > 0 ? ` (${formatValue(frac, 0.001, true)} of the row)` : '');
      out.push(
        `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="rgb(${r},${g},${b})"` +
          `${i === j ? ` stroke="${INK}" stroke-opacity="0.35"` : ''}><title>${escapeXml(tip)}</title></rect>`,
      );
      if (cell >= 18 && (count > 0 || n <= 12)) {
        const pct = Math.round(frac * 100);
        const label = normalize ? (pct === 0 && count > 0 ? '<1' : String(pct)) : String(count);
        // White text wins on contrast below luminance ≈ 0.2 (WCAG contrast against #111827 vs #fff).
        const color = luminance(r, g, b) < 0.2 ? '#ffffff' : INK;
        out.push(
          text(x + cell / 2, y + cell / 2 + cellFont * 0.36, label, { size: cellFont, anchor: 'middle', color }),
        );
      }
    }
  }
  out.push(
    `<rect x="${left}" y="${top}" width="${gridSize}" height="${gridSize}" fill="none" stroke="${AXIS}" stroke-width="1"/>`,
  );
  for (let i = 0; i < n; i++) {
    out.push(text(left - 6, top + i * cell + cell / 2 + 4, labels[i], { size: labelSize, anchor: 'end' }));
    const cx = left + i * cell + cell / 2 + 3;
    const cy = top + gridSize + 8;
    out.push(text(cx, cy, labels[i], { size: labelSize, anchor: 'end', rotate: -45, origin: [cx, cy] }));
  }
  out.push(
    text(left + gridSize / 2, height - 10, options.xLabel ?? 'Predicted', { size: 12, weight: 600, anchor: 'middle' }),
  );
  out.push(
    text(16, top + gridSize / 2, options.yLabel ?? 'True', { size: 12, weight: 600, anchor: 'middle', rotate: -90 }),
  );
  if (normalize) {
    out.push(text(left + gridSize, height - 10, '% of true class', { size: 10, anchor: 'end', color: MUTED }));
  }
  out.push('</svg>');
  return out.join('\n');
}

/** One group of a {@link barChartSvg}: a value per category. */
export interface BarSeries {
  name: string;
  values: readonly number[];
  color?: string;
}

/** Options of {@link barChartSvg}. */
export interface BarChartOptions {
  title?: string;
  yLabel?: string;
  /** Default: enough for the categories (28 px per bar group, at least 480). */
  width?: number;
  /** Default 360. */
  height?: number;
  /** Default [0, 1] for percent, else [0, nice maximum]. */
  yDomain?: readonly [number, number];
  /** Default `'percent'` (per-class accuracy). */
  yFormat?: ValueFormat;
}

/**
 * Grouped vertical bars: one group per category (e.g. class), one bar per series (e.g. net). Non-finite values
 * leave a gap.
 */
export function barChartSvg(
  categories: readonly string[],
  series: readonly BarSeries[],
  options: BarChartOptions = {},
): string {
  if (categories.length === 0 || series.length === 0) {
    throw new Error('barChartSvg: pass at least one category and one series.');
  }
  series.forEach((s) => {
    if (!s || !Array.isArray(s.values) || s.values.length !== categories.length) {
      throw new Error(`barChartSvg: series "${s?.name}" needs one value per category (${categories.length}).`);
    }
  });
  const percent = (options.yFormat ?? 'percent') === 'percent';
  const values = series.flatMap((s) => s.values.filter(Number.isFinite));
  const yDomain =
    options.yDomain ??
    (percent && values.every((v) => v >= 0 && v <= 1)
      ? [0, 1]
      : niceDomain(Math.min(0, ...values), Math.max(0, ...values)));
  checkDomain(yDomain, 'yDomain');
  const groupW = Math.max(14, Math.min(48, 8 + 8 * series.length));
  const maxLabel = Math.max(...categories.map((c) => textWidth(c, 11)));
  const legend = layoutLegend(
    series.map((s) => s.name),
    10000,
  );
  const height = options.height ?? 360;
  const top = (options.title ? 34 : 12) + (series.length > 1 ? legend.height + 6 : 0);
  const yTicks = ticks(yDomain[0], yDomain[1], 5);
  const yTickLabels = yTicks.map((v) => formatValue(v, tickStep(yTicks), percent));
  const left = 14 + (options.yLabel ? 20 : 0) + Math.max(...yTickLabels.map((t) => textWidth(t, 11)));
  const bottom = 10 + maxLabel * Math.SQRT1_2 + 12;
  const width = options.width ?? Math.max(480, Math.ceil(left + categories.length * groupW + 24 + maxLabel * 0.3));
  checkSize(width, height, 'barChartSvg');
  const plotW = width - left - 16;
  const plotH = height - top - bottom;
  if (plotW < 40 || plotH < 40)
    throw new Error(`barChartSvg: ${width}×${height} is too small for the labels; enlarge it.`);
  const slot = plotW / categories.length;
  const barW = Math.max(1, (slot * 0.8) / series.length);
  const sy = (v: number): number =>
    top + plotH - ((Math.min(yDomain[1], Math.max(yDomain[0], v)) - yDomain[0]) / (yDomain[1] - yDomain[0])) * plotH;

  const out: string[] = [];
  out.push(
    open(
      width,
      height,
      options.title ?? 'Bar chart',
      `Bars for ${categories.length} categories and ${series.length} series.`,
    ),
  );
  if (options.title) out.push(text(width / 2, 22, options.title, { size: 15, weight: 600, anchor: 'middle' }));
  if (series.length > 1)
    out.push(
      legend.render(
        left,
        options.title ? 34 : 12,
        series.map((s, k) => ({ color: s.color ?? SERIES_COLORS[k % SERIES_COLORS.length], dashed: false })),
      ),
    );
  for (let k = 0; k < yTicks.length; k++) {
    const y = round(sy(yTicks[k]));
    out.push(`<line x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="${GRID}" stroke-width="1"/>`);
    out.push(text(left - 6, y + 4, yTickLabels[k], { size: 11, anchor: 'end', color: MUTED }));
  }
  const zero = sy(Math.max(yDomain[0], Math.min(yDomain[1], 0)));
  categories.forEach((cat, c) => {
    series.forEach((s, k) => {
      const v = s.values[c];
      if (!Number.isFinite(v)) return;
      const x = left + c * slot + slot * 0.1 + k * barW;
      const y = sy(v);
      const color = s.color ?? SERIES_COLORS[k % SERIES_COLORS.length];
      out.push(
        `<rect x="${round(x)}" y="${round(Math.min(y, zero))}" width="${round(Math.max(1, barW - 1))}" ` +
          `height="${round(Math.abs(zero - y))}" fill="${escapeXml(color)}">` +
          `<title>${escapeXml(`${s.name}, ${cat}: ${formatValue(v, 0.001, percent)}`)}</title></rect>`,
      );
    });
    const cx = left + c * slot + slot / 2 + 3;
    const cy = top + plotH + 8;
    out.push(text(cx, cy, cat, { size: 11, anchor: 'end', rotate: -45, origin: [cx, cy] }));
  });
  out.push(
    `<line x1="${left}" y1="${round(zero)}" x2="${left + plotW}" y2="${round(zero)}" stroke="${AXIS}" stroke-width="1"/>`,
  );
  if (options.yLabel) out.push(text(14, top + plotH / 2, options.yLabel, { size: 12, anchor: 'middle', rotate: -90 }));
  out.push('</svg>');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// Helpers.

/** Round tick values: about `count` of them covering [lo, hi], at steps of 1, 2 or 5 × 10^k. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const step = niceStep((hi - lo) / Math.max(1, count));
  const first = Math.ceil(lo / step - 1e-9) * step;
  const out: number[] = [];
  for (let v = first; v <= hi + step * 1e-9; v += step) out.push(Number((Math.round(v / step) * step).toPrecision(12)));
  return out;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  // Nearest of 1, 2, 5, 10 in log space (d3's thresholds √2, √10, √50), so the count lands near the request.
  return (f >= Math.sqrt(50) ? 10 : f >= Math.sqrt(10) ? 5 : f >= Math.SQRT2 ? 2 : 1) * power;
}

function niceDomain(lo: number, hi: number): [number, number] {
  if (!(hi > lo)) return [lo - 1, hi + 1];
  const step = niceStep((hi - lo) / 5);
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

function tickStep(values: number[]): number {
  return values.length > 1 ? values[1] - values[0] : 0;
}

function formatValue(v: number, step: number, percent: boolean): string {
  const x = percent ? v * 100 : v;
  const s = percent ? step * 100 : step;
  let decimals: number;
  if (s > 0) decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(s) + 1e-9)));
  else decimals = Number.isInteger(x) ? 0 : Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 1 ? 2 : 3;
  return `${x.toFixed(decimals)}${percent ? '%' : ''}`;
}

function extent(values: number[], fallback: [number, number]): [number, number] {
  if (values.length === 0) return fallback;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

function checkDomain(d: readonly [number, number], name: string): void {
  if (!Array.isArray(d) || d.length !== 2 || !Number.isFinite(d[0]) || !Number.isFinite(d[1]) || !(d[1] > d[0])) {
    throw new Error(`${name} must be [min, max] with finite min < max; got ${JSON.stringify(d)}.`);
  }
}

function checkSize(width: number, height: number, fn: string): void {
  if (!Number.isFinite(width) || !Number.isFinite(height) || width <= 0 || height <= 0) {
    throw new Error(`${fn}: width and height must be positive numbers; got ${width}×${height}.`);
  }
}

/** Rough width of text in the sans-serif stack (no font metrics here; errs wide). */
function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s)
    w += /[ilIj.,:;'!|1]/.test(ch) ? 0.32 : /[mwMW@]/.test(ch) ? 0.9 : /[A-Z0-9%]/.test(ch) ? 0.66 : 0.56;
  return Math.ceil(w * size);
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

function open(width: number, height: number, title: string, desc: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" ` +
    `viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" role="img" font-family="${FONT}">\n` +
    `<title>${escapeXml(title)}</title>\n<desc>${escapeXml(desc)}</desc>\n` +
    `<rect width="100%" height="100%" fill="#ffffff"/>`
  );
}

interface TextOptions {
  size?: number;
  weight?: number;
  anchor?: 'start' | 'middle' | 'end';
  color?: string;
  rotate?: number;
  origin?: [number, number];
}

function text(x: number, y: number, content: string, o: TextOptions = {}): string {
  const [ox, oy] = o.origin ?? [x, y];
  const transform = o.rotate ? ` transform="rotate(${o.rotate} ${round(ox)} ${round(oy)})"` : '';
  return (
    `<text x="${round(x)}" y="${round(y)}" font-size="${o.size ?? 12}"` +
    `${o.weight ? ` font-weight="${o.weight}"` : ''}${o.anchor && o.anchor !== 'start' ? ` text-anchor="${o.anchor}"` : ''}` +
    ` fill="${escapeXml(o.color ?? INK)}"${transform}>${escapeXml(content)}</text>`
  );
}

function seriesStyle(s: LineSeries, k: number): { color: string; dashed: boolean } {
  return { color: s.color ?? SERIES_COLORS[k % SERIES_COLORS.length], dashed: !!s.dashed };
}

function describeSeries(series: readonly LineSeries[]): string {
  return series
    .map((s) => {
      const last = [...s.points].reverse().find(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
      return last ? `${s.name}: last point (${last[0]}, ${last[1]})` : `${s.name}: no points`;
    })
    .join('; ');
}

function layoutLegend(names: readonly string[], maxWidth: number) {
  const items = names.map((name) => ({ name, w: 22 + textWidth(name, 12) + 16 }));
  const rows: { name: string; w: number; x: number }[][] = [[]];
  let x = 0;
  for (const item of items) {
    if (x > 0 && x + item.w > maxWidth) {
      rows.push([]);
      x = 0;
    }
    rows[rows.length - 1].push({ ...item, x });
    x += item.w;
  }
  const height = names.length ? rows.length * 18 : 0;
  return {
    height,
    render(left: number, top: number, styles: { color: string; dashed: boolean }[]): string {
      let k = 0;
      const parts: string[] = [];
      rows.forEach((row, r) => {
        for (const item of row) {
          const { color, dashed } = styles[k++];
          const y = top + r * 18 + 9;
          parts.push(
            `<line x1="${left + item.x}" y1="${y}" x2="${left + item.x + 18}" y2="${y}" stroke="${escapeXml(color)}" ` +
              `stroke-width="3"${dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
          );
          parts.push(text(left + item.x + 22, y + 4, item.name, { size: 12 }));
        }
      });
      return parts.join('\n');
    },
  };
}

/** White → light blue → dark navy (matplotlib's Blues end points), v in [0, 1]. */
function blues(v: number): [number, number, number] {
  const stops: [number, [number, number, number]][] = [
    [0, [247, 251, 255]],
    [0.5, [107, 174, 214]],
    [1, [8, 48, 107]],
  ];
  const t = Math.min(1, Math.max(0, v));
  const k = t <= 0.5 ? 0 : 1;
  const [t0, c0] = stops[k];
  const [t1, c1] = stops[k + 1];
  const f = (t - t0) / (t1 - t0);
  return [0, 1, 2].map((c) => Math.round(c0[c] + f * (c1[c] - c0[c]))) as [number, number, number];
}

/** Relative luminance (WCAG) of an sRGB colour. */
function luminance(r: number, g: number, b: number): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
