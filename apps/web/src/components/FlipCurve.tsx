import { memo, useMemo } from 'react';
import { lineChartSvg, svgDataUri } from '@lrpjs/viz';
import type { FlipState } from '../hooks/useFlipping';

/**
 * The pixel-flipping curves of one heatmap: the explained logit as 8×8 regions of the image are replaced by its
 * mean, most relevant first (MoRF: should fall fast) and least relevant first (LeRF: should hold), with AOPC and
 * SRG in words.
 */
export const FlipCurve = memo(function FlipCurve(props: { net: string; flip: FlipState | undefined; stale: boolean }) {
  const { net, flip, stale } = props;
  const r = flip?.result;
  const svg = useMemo(
    () =>
      r
        ? lineChartSvg(
            [
              { name: 'MoRF (most relevant first)', points: r.fraction.map((f, i) => [f, r.morf[i]] as const) },
              {
                name: 'LeRF (least relevant first)',
                points: r.fraction.map((f, i) => [f, r.lerf[i]] as const),
                dashed: true,
              },
            ],
            { width: 300, height: 190, xLabel: 'share of regions replaced', yLabel: 'logit', markers: false },
          )
        : undefined,
    [r],
  );
  return (
    <div className={`flip${stale ? ' stale' : ''}`} data-testid={`flip-${net}`} data-key={flip?.key ?? ''}>
      {r && svg ? (
        <>
          <img
            src={svgDataUri(svg)}
            width={300}
            height={190}
            alt={`${net} pixel-flipping curves: the logit falls from ${r.morf[0].toFixed(2)} to ${r.morf[r.morf.length - 1].toFixed(2)} when the most relevant regions go first, to ${r.lerf[r.lerf.length - 1].toFixed(2)} when the least relevant go first.`}
          />
          <p className="muted small" data-aopc={r.aopc} data-srg={r.srg}>
            AOPC (MoRF) <strong>{r.aopc.toFixed(2)}</strong> · SRG (LeRF − MoRF area){' '}
            <strong>{r.srg.toFixed(2)}</strong> · {r.steps} steps of {r.patch}×{r.patch} px regions, replaced by the
            image {r.replacement} · {r.ms.toFixed(0)} ms
          </p>
        </>
      ) : flip?.error ? (
        <p className="error" role="alert">
          Pixel flipping: {flip.error}
        </p>
      ) : (
        <p className="muted small">Pixel-flipping curve: computing after the heatmaps…</p>
      )}
    </div>
  );
});
