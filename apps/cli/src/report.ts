/**
 * report.html, built only from the files of a run folder, so that `lrpjs report` rebuilds exactly
 * what the run wrote (after an edit of metrics.json or a newer lrpjs).
 */
import { renderReportHtml, type ReportData, type ReportNet, type ReportSection, type ReportValue } from '@lrpjs/viz';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compositeInfo, isCompositeName, recommendCompositeFor } from '@lrpjs/lrp/catalog';
import { conceptSections } from './commands/concepts-report';
import { readMetrics, type RunMetrics } from './metrics';
import { NET_DESCRIPTIONS } from './net-names';
import { faithfulnessSections } from './faithfulness-report';
import { curvesSvg, shortName } from './render';
import { writeFileAtomic } from '@lrpjs/run/node';

/** Nets in the tutorial's order first, then any others by name. */
export function orderNets(names: Iterable<string>): string[] {
  const rank = (n: string) => {
    const m = /^net(\d+)$/.exec(n);
    return m ? Number(m[1]) : 1000;
  };
  return [...new Set(names)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function readIfExists(file: string): Buffer | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
}

/** The report's content, from metrics.json and the pictures beside it. */
export function reportDataFromRun(dir: string, metrics: RunMetrics = readMetrics(dir)): ReportData {
  const names = orderNets([...Object.keys(metrics.nets), ...Object.keys(metrics.skipped ?? {})]);
  const nets: ReportNet[] = names.map((name) => {
    const net = metrics.nets[name];
    if (!net)
      return {
        name,
        description: (NET_DESCRIPTIONS as Record<string, string>)[name],
        notes: `skipped: ${metrics.skipped[name]}`,
      };
    const heatmap = readIfExists(path.join(dir, net.heatmap?.file ?? `heatmaps-${name}.png`));
    const confusion = readIfExists(path.join(dir, `confusion-${name}.svg`));
    return {
      name,
      description: net.description,
      trainAccuracy: net.trainAccuracy,
      testAccuracy: net.testAccuracy,
      heatmapRowPng: heatmap ? new Uint8Array(heatmap) : undefined,
      heatmapLimit: net.heatmap?.limit,
      curveSvg: net.curve.length > 1 ? curvesSvg({ [name]: net.curve }) : undefined,
      confusionSvg: confusion?.toString('utf8'),
      notes: net.curve.length > 1 ? undefined : 'no training curve (pretrained features + fitted head)',
    };
  });

  const imageRow = readIfExists(path.join(dir, 'images.png'));
  // the heatmaps explain the true class, so their targets name the people in the image row
  const targets = Object.values(metrics.nets).find((n) => n.heatmap)?.heatmap?.targets;
  const imageLabels = targets?.map((t) => shortName(metrics.classNames[t] ?? '?'));

  const sections: ReportSection[] = [];
  const measured = names.filter((n) => metrics.nets[n]?.perClassAccuracy?.length);
  if (measured.length) {
    const testCounts = metrics.classNames.map(
      (_, c) => metrics.nets[measured[0]].confusion[c]?.reduce((a, b) => a + b, 0) ?? 0,
    );
    sections.push({
      title: 'Test accuracy per person',
      text: 'Fraction of each person’s test images classified correctly (the tutorial’s odd-indexed images).',
      table: {
        columns: ['Person', 'test images', ...measured],
        rows: metrics.classNames.map((name, c) => [
          name,
          testCounts[c],
          ...measured.map((n) => Number((metrics.nets[n].perClassAccuracy[c] ?? NaN).toFixed(3))),
        ]),
      },
    });
  }
  const allCurves = Object.fromEntries(
    names.filter((n) => (metrics.nets[n]?.curve.length ?? 0) > 1).map((n) => [n, metrics.nets[n].curve]),
  );
  if (Object.keys(allCurves).length > 1) {
    sections.push({
      title: 'Training curves together',
      figures: [
        {
          svg: curvesSvg(allCurves),
          alt: 'Train (dashed) and test (solid) accuracy of every trained net over the SGD iterations.',
        },
      ],
    });
  }

  sections.push(...faithfulnessSections(dir));
  sections.push(...conceptSections(dir));

  const s = metrics.settings;
  return {
    title: 'LRP explanations of face classifiers (LFW)',
    subtitle:
      `${metrics.classNames.length} people of Labeled Faces in the Wild (${String(s.variant)}), ` +
      `the tutorial's split; nets trained ${s.iterations} SGD iterations; heatmaps by LRP with ${compositeLabel(s.composite)}.`,
    createdAt: metrics.createdAt,
    imageRowPng: imageRow ? new Uint8Array(imageRow) : undefined,
    imageLabels,
    nets,
    settings: s as Record<string, ReportValue>,
    environment: {
      backend: metrics.backend,
      lrpjs: metrics.versions.lrpjs,
      tfjs: metrics.versions.tfjs,
      node: metrics.versions.node,
      ...(typeof s.host === 'string' ? { host: s.host } : { cpus: os.cpus().length }),
    },
    timings: metrics.seconds,
    sections,
    footer: `Run folder ${path.basename(dir)} · written by lrpjs ${metrics.versions.lrpjs}. Rebuild this page with \`lrpjs report ${path.basename(dir)}\`.`,
  };
}

/** Renders report.html into `dir` (atomically) and returns its path. */
export function writeReport(dir: string, metrics?: RunMetrics): string {
  const file = path.join(dir, 'report.html');
  writeFileAtomic(file, renderReportHtml(reportDataFromRun(dir, metrics)));
  return file;
}

/** How the report names the composite of a run (settings.composite is `{ name, ...parameters }`). */
function compositeLabel(composite: unknown): string {
  const name = (composite as { name?: string } | undefined)?.name ?? 'tutorial';
  if (name === 'auto') {
    // The registry's choice per kind of net, named as the catalogue names it.
    const plain = compositeInfo(recommendCompositeFor({ residual: false }).name).label;
    const residual = compositeInfo(recommendCompositeFor({ residual: true }).name).label;
    return `${plain} (${residual} on residual nets: the face backbone, net4)`;
  }
  return isCompositeName(name) ? compositeInfo(name).label : `the ${name} composite`;
}
