// Figures drawn with @lrpjs/viz from metrics.json when the run has no curves.svg / confusion-<net>.svg.
import { confusionMatrixSvg, lineChartSvg, type LineSeries } from '@lrpjs/viz';
import { shortName } from '../run/pixels';
import type { LoadedRun } from '../run/types';

export function curvesSvg(run: LoadedRun): string | undefined {
  const series: LineSeries[] = [];
  for (const net of run.nets) {
    const curve = run.metrics.nets[net].curve;
    if (!curve || curve.length === 0) continue;
    series.push({ name: `${net} test`, points: curve.map((p) => [p.iteration, p.testAccuracy] as const) });
    series.push({
      name: `${net} train`,
      points: curve.map((p) => [p.iteration, p.trainAccuracy] as const),
      dashed: true,
    });
  }
  if (series.length === 0) return undefined;
  return lineChartSvg(series, { xLabel: 'iteration', yLabel: 'accuracy', yFormat: 'percent', yDomain: [0, 1] });
}

export function confusionSvg(run: LoadedRun, net: string): string | undefined {
  const confusion = run.metrics.nets[net].confusion;
  if (!confusion || confusion.length === 0) return undefined;
  return confusionMatrixSvg(confusion, run.metrics.classNames.map(shortName), { title: net });
}
