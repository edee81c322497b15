/**
 * One self-contained HTML page for a run: the tutorial's final figure (the test images over one heatmap row per
 * net), accuracies, curves, confusion matrices, settings and timings. No scripts, no external files: images
 * are data: URIs, styles inline; it opens offline and prints.
 */
import { getColormap, type Colormap, type ColormapName } from './colormap';
import { escapeXml as esc, pngDataUri, svgDataUri } from './encoding';
import { colorbar } from './grid';
import { encodePng } from './png';

/** A value shown in the settings or environment tables (objects are shown as JSON). */
export type ReportValue = string | number | boolean | null | undefined | readonly unknown[] | Record<string, unknown>;

/** One network of the report. */
export interface ReportNet {
  /** Short name, e.g. "net1". */
  name: string;
  /** One line, e.g. "4 conv layers, trained from scratch". */
  description?: string;
  /** Fraction in [0, 1]; null or absent when not measured (e.g. the net was skipped). */
  trainAccuracy?: number | null;
  testAccuracy?: number | null;
  /** The net's heatmap row (PNG bytes), drawn under the image row; same tile layout as `imageRowPng`. */
  heatmapRowPng?: Uint8Array;
  /** The symmetric limit (Rsmax) the row was drawn with, shown in the row's caption. */
  heatmapLimit?: number;
  /** Accuracy curves (an SVG document, e.g. from lineChartSvg). */
  curveSvg?: string;
  /** Confusion matrix (an SVG document, e.g. from confusionMatrixSvg). */
  confusionSvg?: string;
  /** Plain text shown with the net, e.g. why it was skipped and how to get its weights. */
  notes?: string;
}

/** A picture in a custom section: PNG bytes or an SVG document. */
export interface ReportFigure {
  png?: Uint8Array;
  svg?: string;
  /** Alternative text (required: the page must read without the picture). */
  alt: string;
  caption?: string;
}

/** An extra section (e.g. per-class accuracy, data samples). All text is escaped. */
export interface ReportSection {
  title: string;
  /** Paragraphs, separated by blank lines. */
  text?: string;
  figures?: readonly ReportFigure[];
  table?: { columns: readonly string[]; rows: readonly (readonly (string | number | null)[])[] };
}

/** Everything the report page shows; the CLI fills it from a run folder. */
export interface ReportData {
  title: string;
  subtitle?: string;
  /** When the run was made (ISO string or Date). */
  createdAt: string | Date;
  /** The image row (PNG bytes): test images with the person's name under each, as the tutorial's images(0). */
  imageRowPng?: Uint8Array;
  /** Names under the images, used for alternative text. */
  imageLabels?: readonly string[];
  /** Caption of the explanation figure. Default explains colours and limits. */
  figureCaption?: string;
  /** Colormap of the heatmaps, for the legend. Default 'seismic-dark'. */
  colormap?: ColormapName | Colormap;
  nets: readonly ReportNet[];
  /** Run settings (iterations, seed, composite, …). */
  settings?: Record<string, ReportValue>;
  /** Backend, versions, machine. */
  environment?: Record<string, ReportValue>;
  /** Seconds per stage, in the order run. */
  timings?: Record<string, number>;
  sections?: readonly ReportSection[];
  /** Plain text at the bottom. */
  footer?: string;
}

/**
 * Render the report page.
 *
 * @example
 * const html = renderReportHtml({ title: 'LRP on LFW', createdAt: new Date(), nets, imageRowPng });
 */
export function renderReportHtml(report: ReportData): string {
  if (!report || typeof report.title !== 'string') throw new Error('renderReportHtml: report.title is required.');
  if (!Array.isArray(report.nets)) throw new Error('renderReportHtml: report.nets must be an array (it may be empty).');
  const created = report.createdAt instanceof Date ? report.createdAt : new Date(report.createdAt);
  const createdText = Number.isNaN(created.getTime())
    ? String(report.createdAt)
    : created
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
  const nets = report.nets;
  const measured = nets.filter((n) => isFraction(n.testAccuracy));
  const best = measured.length ? Math.max(...measured.map((n) => n.testAccuracy as number)) : NaN;

  const body: string[] = [];
  body.push(`<header class="page-head">
<p class="eyebrow">lrpjs report</p>
<h1>${esc(report.title)}</h1>
${report.subtitle ? `<p class="lede">${esc(report.subtitle)}</p>` : ''}
<p class="meta">Created <time datetime="${esc(Number.isNaN(created.getTime()) ? '' : created.toISOString())}">${esc(createdText)}</time>${
    report.environment?.backend !== undefined
      ? ` · backend <code>${esc(formatValue(report.environment.backend))}</code>`
      : ''
  }</p>
</header>`);

  if (nets.length) {
    body.push(
      `<section class="summary" aria-labelledby="s-summary"><h2 id="s-summary" class="visually-hidden">Summary</h2><ul class="cards">${nets
        .map((n) => {
          const isBest = isFraction(n.testAccuracy) && n.testAccuracy === best && measured.length > 1;
          return `<li class="card${isBest ? ' best' : ''}${isFraction(n.testAccuracy) ? '' : ' muted'}">
<span class="card-name">${esc(n.name)}${isBest ? ' <span class="badge">best</span>' : ''}</span>
<span class="card-value">${fmtPct(n.testAccuracy)}</span>
<span class="card-label">test accuracy${isFraction(n.trainAccuracy) ? ` · train ${fmtPct(n.trainAccuracy)}` : ''}</span>
${n.description ? `<span class="card-desc">${esc(n.description)}</span>` : ''}
</li>`;
        })
        .join('\n')}</ul></section>`,
    );
  }

  body.push(explanationFigure(report));

  if (nets.length) {
    body.push(`<section aria-labelledby="s-acc"><h2 id="s-acc">Accuracy</h2>
<div class="table-wrap"><table>
<thead><tr><th scope="col">Net</th><th scope="col">Description</th><th scope="col" class="num">Train</th><th scope="col" class="num">Test</th><th scope="col">Notes</th></tr></thead>
<tbody>
${nets
  .map(
    (n) =>
      `<tr${isFraction(n.testAccuracy) && n.testAccuracy === best ? ' class="best-row"' : ''}><th scope="row">${esc(n.name)}</th><td>${esc(n.description ?? '')}</td><td class="num">${fmtPct(n.trainAccuracy)}</td><td class="num">${fmtPct(n.testAccuracy)}</td><td class="notes">${esc(n.notes ?? '')}</td></tr>`,
  )
  .join('\n')}
</tbody></table></div>
</section>`);
  }

  const trained = nets.filter((n) => n.curveSvg || n.confusionSvg);
  if (trained.length) {
    body.push(`<section aria-labelledby="s-train"><h2 id="s-train">Training and evaluation</h2>
${trained
  .map(
    (n) => `<article class="net-block" aria-label="${esc(n.name)}">
<h3>${esc(n.name)}${n.description ? ` <span class="sub">${esc(n.description)}</span>` : ''}</h3>
<div class="plots">
${n.curveSvg ? figure(svgDataUri(n.curveSvg), `Accuracy curves of ${n.name}: train and test accuracy over training.`, '') : ''}
${n.confusionSvg ? figure(svgDataUri(n.confusionSvg), `Confusion matrix of ${n.name} on the test set: rows true class, columns predicted class.`, '') : ''}
</div>
</article>`,
  )
  .join('\n')}
</section>`);
  }

  for (const [k, section] of (report.sections ?? []).entries()) body.push(customSection(section, k));

  const tables: string[] = [];
  if (report.settings && Object.keys(report.settings).length) tables.push(keyValueTable('Settings', report.settings));
  if (report.environment && Object.keys(report.environment).length)
    tables.push(keyValueTable('Environment', report.environment));
  if (report.timings && Object.keys(report.timings).length) tables.push(timingsTable(report.timings));
  if (tables.length) {
    body.push(
      `<section aria-labelledby="s-run"><h2 id="s-run">Run</h2><div class="run-grid">${tables.join('\n')}</div></section>`,
    );
  }

  body.push(
    `<footer>${report.footer ? `<p>${esc(report.footer)}</p>` : ''}<p>Made with <strong>lrpjs</strong> · relevance by Layer-wise Relevance Propagation (Bach et al. 2015; Montavon et al. 2019).</p></footer>`,
  );

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@lrpjs/viz">
<title>${esc(report.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body.filter(Boolean).join('\n')}
</main>
</body>
</html>
`;
}

function explanationFigure(report: ReportData): string {
  const rows = report.nets.filter((n) => n.heatmapRowPng);
  if (!report.imageRowPng && !rows.length) return '';
  const names = report.imageLabels?.length ? report.imageLabels.join(', ') : '';
  const cmap = getColormap(report.colormap ?? 'seismic-dark');
  const legend = pngDataUri(encodePng(colorbar(cmap, { width: 256, height: 10 })));
  const caption =
    report.figureCaption ??
    'Relevance of each pixel for the true class, summed over colour channels. Red pixels speak for the class, ' +
      'blue pixels against it, white ones are neutral. Each row uses one symmetric scale, ± the largest ' +
      'per-pixel sum of |relevance| over channels among its images (the number next to the net), so colours ' +
      'compare within a row, not between rows.';
  const rowHtml: string[] = [];
  if (report.imageRowPng) {
    rowHtml.push(`<div class="xrow"><div class="xlabel"><span class="xname">Input</span><span class="xsub">test images</span></div>
<img src="${pngDataUri(report.imageRowPng)}" alt="${esc(names ? `Test images: ${names}.` : 'Test images.')}"></div>`);
  }
  for (const n of rows) {
    const limit = Number.isFinite(n.heatmapLimit) ? ` · ±${formatNumber(n.heatmapLimit as number)}` : '';
    rowHtml.push(`<div class="xrow"><div class="xlabel"><span class="xname">${esc(n.name)}</span><span class="xsub">${
      isFraction(n.testAccuracy) ? `test ${fmtPct(n.testAccuracy)}` : 'not evaluated'
    }${esc(limit)}</span></div>
<img src="${pngDataUri(n.heatmapRowPng as Uint8Array)}" alt="${esc(
      `LRP heatmaps of ${n.name} for the ${report.imageRowPng ? 'test images above' : 'test images'}${names ? ` (${names})` : ''}; red: evidence for the class, blue: against.`,
    )}"></div>`);
  }
  return `<section aria-labelledby="s-expl"><h2 id="s-expl">Explanations</h2>
<figure class="explain">
${rowHtml.join('\n')}
<figcaption>
<div class="legend" aria-hidden="true"><span>against</span><img src="${legend}" alt=""><span>for</span></div>
<p>${esc(caption)}</p>
</figcaption>
</figure>
</section>`;
}

function figure(src: string, alt: string, caption: string): string {
  return `<figure class="plot"><img src="${src}" alt="${esc(alt)}" loading="lazy">${caption ? `<figcaption>${esc(caption)}</figcaption>` : ''}</figure>`;
}

function customSection(section: ReportSection, k: number): string {
  const id = `s-extra-${k}`;
  const paragraphs = (section.text ?? '')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${esc(p)}</p>`)
    .join('\n');
  const figures = (section.figures ?? [])
    .map((f) => {
      if (!f.png && !f.svg)
        throw new Error(`renderReportHtml: a figure of section "${section.title}" needs png or svg.`);
      return figure(f.png ? pngDataUri(f.png) : svgDataUri(f.svg as string), f.alt, f.caption ?? '');
    })
    .join('\n');
  const table = section.table
    ? `<div class="table-wrap"><table><thead><tr>${section.table.columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead><tbody>${section.table.rows
        .map(
          (r) =>
            `<tr>${r.map((v) => `<td${typeof v === 'number' ? ' class="num"' : ''}>${esc(v ?? '—')}</td>`).join('')}</tr>`,
        )
        .join('\n')}</tbody></table></div>`
    : '';
  return `<section aria-labelledby="${id}"><h2 id="${id}">${esc(section.title)}</h2>
${paragraphs}
${figures ? `<div class="plots">${figures}</div>` : ''}
${table}
</section>`;
}

function keyValueTable(title: string, values: Record<string, ReportValue>): string {
  return `<div class="kv"><h3>${esc(title)}</h3><table class="kv-table"><tbody>
${Object.entries(values)
  .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td><code>${esc(formatValue(v))}</code></td></tr>`)
  .join('\n')}
</tbody></table></div>`;
}

function timingsTable(timings: Record<string, number>): string {
  const entries = Object.entries(timings).filter(([, v]) => Number.isFinite(v));
  const max = Math.max(1e-9, ...entries.map(([, v]) => v));
  const total = entries.reduce((a, [, v]) => a + v, 0);
  return `<div class="kv"><h3>Timings</h3><table class="kv-table timings"><tbody>
${entries
  .map(
    ([k, v]) =>
      `<tr><th scope="row">${esc(k)}</th><td class="num">${esc(formatSeconds(v))}</td><td class="bar-cell" aria-hidden="true"><span class="bar" style="width:${((v / max) * 100).toFixed(1)}%"></span></td></tr>`,
  )
  .join('\n')}
<tr class="total"><th scope="row">total</th><td class="num">${esc(formatSeconds(total))}</td><td></td></tr>
</tbody></table></div>`;
}

function isFraction(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function fmtPct(v: number | null | undefined): string {
  return isFraction(v) ? `${(v * 100).toFixed(1)}%` : '—';
}

function formatNumber(v: number): string {
  return Math.abs(v) >= 0.01 && Math.abs(v) < 1e4 ? v.toPrecision(3) : v.toExponential(2);
}

function formatSeconds(s: number): string {
  if (s < 1) return `${(s * 1000).toFixed(0)} ms`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

function formatValue(v: ReportValue): string {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v))
    return v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x))).join(', ');
  if (typeof v === 'object') {
    // "name: tutorial, gamma: 0.25" reads (and wraps) better than JSON in a table cell.
    return Object.entries(v)
      .map(([k, x]) => `${k}: ${typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x)}`)
      .join(', ');
  }
  return String(v);
}

const CSS = `
:root{--ink:#111827;--muted:#4b5563;--line:#e5e7eb;--bg:#f6f7f9;--card:#fff;--accent:#b91c1c;--accent-soft:#fef2f2;--blue:#1d4ed8}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1240px;margin:0 auto;padding:2rem 1.25rem 3rem}
h1{font-size:clamp(1.6rem,3vw,2.2rem);line-height:1.2;margin:.2rem 0 .4rem;letter-spacing:-.01em}
h2{font-size:1.3rem;margin:0 0 1rem;letter-spacing:-.005em}
h3{font-size:1.05rem;margin:0 0 .75rem}
h3 .sub{font-weight:400;color:var(--muted);font-size:.95rem}
p{margin:.4rem 0}
code{font:.9em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-word}
.eyebrow{text-transform:uppercase;letter-spacing:.08em;font-size:.78rem;color:var(--accent);font-weight:600;margin:0}
.lede{font-size:1.1rem;color:var(--muted);max-width:60rem}
.meta{color:var(--muted);font-size:.9rem}
.page-head{margin-bottom:1.5rem}
section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.4rem 1.5rem;margin:0 0 1.25rem;box-shadow:0 1px 2px rgba(17,24,39,.04)}
section.summary{background:none;border:0;box-shadow:none;padding:0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.cards{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:.85rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:.9rem 1rem;display:flex;flex-direction:column;gap:.1rem}
.card.best{border-color:var(--accent);box-shadow:0 0 0 1px var(--accent) inset}
.card.muted .card-value{color:var(--muted)}
.card-name{font-weight:600}
.card-value{font-size:1.9rem;font-weight:700;font-variant-numeric:tabular-nums;line-height:1.2}
.card-label{color:var(--muted);font-size:.85rem}
.card-desc{color:var(--muted);font-size:.85rem;margin-top:.3rem}
.badge{display:inline-block;background:var(--accent-soft);color:var(--accent);border-radius:999px;font-size:.7rem;padding:.05rem .5rem;vertical-align:2px;font-weight:600}
figure{margin:0}
.explain{display:flex;flex-direction:column;gap:.6rem}
.xrow{display:grid;grid-template-columns:8.5rem minmax(0,1fr);gap:1rem;align-items:center}
.xrow img{display:block;width:100%;height:auto;border-radius:4px}
.xlabel{display:flex;flex-direction:column;text-align:right}
.xname{font-weight:600}
.xsub{color:var(--muted);font-size:.82rem;font-variant-numeric:tabular-nums}
.explain figcaption{margin-left:9.5rem;color:var(--muted);font-size:.9rem;max-width:62rem}
.legend{display:flex;align-items:center;gap:.5rem;font-size:.8rem;margin:.3rem 0 .4rem}
.legend img{width:220px;height:10px;border-radius:2px;border:1px solid var(--line)}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.5rem .75rem;border-bottom:1px solid var(--line);vertical-align:top}
thead th{font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.best-row td.num:nth-of-type(3){font-weight:700;color:var(--accent)}
td.notes{color:var(--muted);font-size:.9rem}
.net-block{border-top:1px solid var(--line);padding-top:1rem;margin-top:1rem}
.net-block:first-of-type{border-top:0;padding-top:0;margin-top:0}
.plots{display:flex;flex-wrap:wrap;gap:1rem 1.25rem;align-items:flex-start;justify-content:space-around}
.plot{flex:0 1 auto;min-width:0;max-width:100%}
.plot img{display:block;max-width:100%;height:auto;margin:0 auto}
.plot figcaption{color:var(--muted);font-size:.88rem;margin-top:.35rem;text-align:center}
.run-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:1.25rem}
.kv-table th{font-weight:500;color:var(--muted);width:45%}
.kv-table td{word-break:break-word}
.timings .bar-cell{width:35%}
.bar{display:block;height:.55rem;margin-top:.45rem;background:#93c5fd;border-radius:3px}
.timings .total th,.timings .total td{font-weight:700;border-bottom:0}
footer{color:var(--muted);font-size:.85rem;text-align:center;margin-top:2rem}
@media (max-width:640px){
 main{padding:1.25rem .75rem 2rem}
 section{padding:1rem}
 .xrow{grid-template-columns:1fr;gap:.25rem}
 .xlabel{flex-direction:row;gap:.5rem;text-align:left;align-items:baseline}
 .explain figcaption{margin-left:0}
}
@media print{body{background:#fff}section{box-shadow:none;break-inside:avoid}}
`;
