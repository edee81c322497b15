/**
 * The report section "Which explanation is faithful?": per net the pixel-flipping curves of every method,
 * the SRG/AOPC table with its protocol, the randomization check and one image explained by every method.
 * Built only from the files `evaluate-explanations` wrote, so `lrpjs report` rebuilds it.
 */
import {
  composeGrid,
  encodePng,
  imageToRgba,
  lineChartSvg,
  relevanceToRgba,
  SERIES_COLORS,
  type LineSeries,
  type ReportSection,
} from '@lrpjs/viz';
import fs from 'node:fs';
import path from 'node:path';
import type { NetEvaluation } from './faithfulness';

/** Folder of the evaluation inside a run folder. */
export const FAITHFULNESS_DIR = 'faithfulness';

export interface FaithfulnessFile {
  version: 1;
  createdAt: string;
  backend: string;
  nets: Record<string, NetEvaluation>;
}

/** Ten distinct colours (matplotlib's tab10), as the default plots have ten methods; then the viz series colours. */
const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  ...SERIES_COLORS,
];
const color = (k: number) => PALETTE[k % PALETTE.length];

/** MoRF (solid) and LeRF (dashed) curves of the mean target logit, one colour per method. */
export function flippingSvg(e: NetEvaluation): string {
  const series: LineSeries[] = [];
  e.methods.forEach((m, k) => {
    const pf = m.pixelFlipping;
    const points = (ys: number[]) => ys.map((y, i) => [pf.fraction[i], y] as const);
    if (pf.morf) series.push({ name: `${m.label} MoRF`, color: color(k), points: points(pf.morf.logit) });
    if (pf.lerf) series.push({ name: `${m.label} LeRF`, color: color(k), dashed: true, points: points(pf.lerf.logit) });
  });
  const p = e.methods[0]?.pixelFlipping.protocol;
  return lineChartSvg(series, {
    title: `${e.net}: pixel flipping (MoRF solid, LeRF dashed), ${p?.images} test images`,
    xLabel: `fraction of ${p?.regions} regions of ${p?.patch}×${p?.patch} px replaced (${p?.replacement})`,
    yLabel: 'mean target logit',
    width: 760,
    height: 440,
    markers: false,
  });
}

/** Spearman correlation with the original heatmaps as the layers are randomised from the top. */
export function sanitySvg(e: NetEvaluation): string | undefined {
  const withSanity = e.methods.filter((m) => m.sanity);
  if (withSanity.length === 0) return undefined;
  const series: LineSeries[] = e.methods.flatMap((m, k) =>
    m.sanity
      ? [{ name: m.label, color: color(k), points: m.sanity.steps.map((s, i) => [i, s.spearman] as const) }]
      : [],
  );
  const layers = withSanity[0].sanity!.steps.map((s) => s.layer);
  return lineChartSvg(series, {
    title: `${e.net}: cascading randomization (0 = original; then down to ${layers.at(-1)})`,
    xLabel: 'weights re-drawn from the top layer down to',
    yLabel: 'Spearman ρ to the original heatmap',
    yDomain: [-0.2, 1],
    xTicks: layers.map((label, value) => ({ value, label })),
    width: 760,
    height: 400,
  });
}

/** The example image and its heatmap by every method, each with its own symmetric colour limit. */
export function methodsPng(
  pixels: Float32Array,
  shape: [number, number, number],
  maps: readonly Float32Array[],
  labels: readonly string[],
): Uint8Array {
  const [h, w] = shape;
  const scale = Math.max(1, Math.round(128 / h));
  const tiles = [imageToRgba(pixels, shape), ...maps.map((m) => relevanceToRgba(m, [h, w, 1]))];
  return encodePng(composeGrid(tiles, { labels: ['image', ...labels], tileScale: scale }));
}

const fmt = (v: number | undefined, digits = 3) =>
  v === undefined || !Number.isFinite(v) ? null : Number(v.toFixed(digits));

/** The SRG/AOPC table of one net, best SRG first. */
export function faithfulnessTable(e: NetEvaluation): NonNullable<ReportSection['table']> {
  const rows = [...e.methods]
    .sort((a, b) => (b.pixelFlipping.srg?.logit ?? -Infinity) - (a.pixelFlipping.srg?.logit ?? -Infinity))
    .map((m) => {
      const pf = m.pixelFlipping;
      const last = m.sanity?.steps.at(-1);
      return [
        m.label,
        fmt(pf.srg?.logit),
        fmt(pf.srg?.logitStdError),
        fmt(pf.morf?.aucLogit),
        fmt(pf.lerf?.aucLogit),
        fmt(pf.morf?.aopcLogit),
        fmt(pf.lerf?.aopcLogit),
        fmt(pf.srg?.accuracy),
        fmt(m.completenessRatio),
        fmt(last?.spearman),
        Math.round(m.imageStepsPerSecond),
      ];
    });
  return {
    columns: [
      'method',
      'SRG',
      '± s.e.',
      'AUC MoRF',
      'AUC LeRF',
      'AOPC MoRF',
      'AOPC LeRF',
      'SRG accuracy',
      'Σ R / f(x)',
      'ρ all random',
      'images·steps/s',
    ],
    rows,
  };
}

/** One sentence naming the protocol, printed with every table (absolute AUCs only compare under it). */
export function protocolText(e: NetEvaluation): string {
  const p = e.methods[0]?.pixelFlipping.protocol;
  if (!p) return '';
  return (
    `Protocol: ${p.images} test images, target = true class; regions of ${p.patch}×${p.patch} px (${p.regions}), ` +
    `ranked by the sum of the channel-summed heatmap, ties broken at random (seed ${p.seed}); ${p.steps} steps, ` +
    `step s replaces round(s·${p.regions}/${p.steps}) regions by '${p.replacement}'${p.blurSigma ? ` (σ ${p.blurSigma} px)` : ''}; ` +
    `curves of the mean target logit (normalisation: ${p.normalize}); AUC by the trapezoid rule on [0, 1]; ` +
    `AOPC = mean over s of f(x⁰) − f(xˢ); SRG = AUC(LeRF) − AUC(MoRF) (higher is better; ± is the standard ` +
    `error over images). Σ R / f(x): how much of the logit the heatmap accounts for. ρ all random: Spearman ` +
    `correlation with the original heatmap once every layer is randomized (near 0 is what a faithful method shows).`
  );
}

/** The report sections, when the run folder has an evaluation; [] otherwise. */
export function faithfulnessSections(dir: string): ReportSection[] {
  const file = path.join(dir, FAITHFULNESS_DIR, 'faithfulness.json');
  if (!fs.existsSync(file)) return [];
  let data: FaithfulnessFile;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8')) as FaithfulnessFile;
  } catch {
    return [];
  }
  const read = (name: string) => {
    const f = path.join(dir, FAITHFULNESS_DIR, name);
    return fs.existsSync(f) ? fs.readFileSync(f) : undefined;
  };
  const sections: ReportSection[] = [
    {
      title: 'Which explanation is faithful?',
      text:
        'A heatmap is faithful when the pixels it marks are the ones the net relies on. Pixel flipping replaces ' +
        'image regions in the order of the heatmap: most relevant first (MoRF), the target logit should fall ' +
        'fast; least relevant first (LeRF), it should stay. SRG = AUC(LeRF) − AUC(MoRF) rewards both. The ' +
        'randomization check re-draws the weights from the top layer down: a method that explains the model ' +
        'must change with it. Computed by `lrpjs evaluate-explanations` with @lrpjs/attribution.',
    },
  ];
  const rank = (net: string) => Number(/^net(\d+)$/.exec(net)?.[1] ?? 1000);
  const nets = Object.values(data.nets).sort((a, b) => rank(a.net) - rank(b.net) || a.net.localeCompare(b.net));
  for (const e of nets) {
    // the curves are drawn from the JSON (not read from the SVG files) so a rebuilt report uses current code
    const sanity = sanitySvg(e);
    const flips = flippingSvg(e);
    const methods = read(`methods-${e.net}.png`);
    sections.push({
      title: `Which explanation is faithful? — ${e.net}`,
      text: protocolText(e),
      table: faithfulnessTable(e),
      figures: [
        ...(flips
          ? [
              {
                svg: flips,
                alt: `${e.net}: mean target logit while regions are replaced, most relevant first (solid) and least relevant first (dashed), for every method.`,
              },
            ]
          : []),
        ...(sanity
          ? [
              {
                svg: sanity,
                alt: `${e.net}: rank correlation of each method's heatmaps with the original ones as layers are randomized from the top.`,
              },
            ]
          : []),
        ...(methods
          ? [
              {
                png: new Uint8Array(methods),
                alt: `${e.net}: test image ${e.example.testIndex} explained by every method.`,
                caption: `Test image ${e.example.testIndex} (class ${e.example.target}) explained by every method; red: evidence for the class, blue: against; each map has its own symmetric limit.`,
              },
            ]
          : []),
      ],
    });
  }
  return sections;
}
