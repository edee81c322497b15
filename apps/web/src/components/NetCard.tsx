import { memo, useMemo } from 'react';
import { compositeInfo } from '@lrpjs/lrp/catalog';
import { BASELINE_CATALOG } from '@lrpjs/attribution/catalog';
import type { CompositeSpec } from '../engine/protocol';
import type { NetState } from '../hooks/useExplanations';
import type { FlipState } from '../hooks/useFlipping';
import { FlipCurve } from './FlipCurve';
import { shortName } from '../run/pixels';
import type { Settings } from '../state/settings';
import { ColorBar } from './ColorBar';
import { conservation } from './conservation';
import { downloadHeatmap, Heatmap, limitsOf } from './Heatmap';

function explainedLabel(
  explained: [number, number][],
  predicted: number,
  names: string[],
  label: (name: string | undefined) => string,
): string {
  const parts = explained.filter(([, w]) => w !== 0);
  if (parts.length === 0) return `nothing: ${label(names[predicted])} is already the prediction`;
  return parts.map(([c, w], i) => `${w < 0 ? '− ' : i > 0 ? '+ ' : ''}${label(names[c])}`).join(' ');
}

/** The run's people go by their last name; a user's model keeps its output names whole ("output 0"). */
const wholeName = (name: string | undefined) => name ?? '?';

/** One model's explanation: heatmap with colour bar, prediction, conservation in words; dimmed while stale. */
export const NetCard = memo(function NetCard(props: {
  net: string;
  state: NetState | undefined;
  composite: CompositeSpec;
  recommended: boolean;
  settings: Pick<Settings, 'colormap' | 'limits' | 'view' | 'opacity' | 'flipping'>;
  flip?: FlipState;
  input?: Float32Array;
  resizedFrom?: number;
  trueClass?: number;
  classNames: string[];
  /** Class names are people's full names, shown by last name. Default true; false for a user's own model. */
  people?: boolean;
}) {
  const { net, state, classNames } = props;
  const label = props.people === false ? wholeName : shortName;
  const r = state?.result;
  const stale = state?.stale ?? true;
  const limits = useMemo(
    () => (r ? limitsOf(r.relevance, r.size, props.settings.limits) : undefined),
    [r, props.settings.limits],
  );
  const correct = r && props.trueClass !== undefined ? r.predicted === props.trueClass : undefined;
  // Conservation is LRP's property; a baseline's ΣR is shown without it.
  const c = r && r.method === 'lrp' ? conservation(r, props.composite.name) : undefined;
  return (
    <figure className={`card net-card${stale ? ' stale' : ''}`} data-net={net} data-stale={stale} aria-busy={stale}>
      <div className="card-visual">
        {r && limits ? (
          <Heatmap
            relevance={r.relevance}
            size={r.size}
            colormap={props.settings.colormap}
            limits={limits}
            net={net}
            view={props.settings.view}
            opacity={props.settings.opacity}
            input={props.input}
            label={`${net} relevance heatmap explaining ${explainedLabel(r.explained, r.predicted, classNames, label)}`}
          />
        ) : (
          <div className="heatmap placeholder" aria-hidden="true">
            {state?.error ? '!' : ''}
          </div>
        )}
        {stale && (
          <div className="spinner" role="status" aria-label={`${net}: recomputing`}>
            <span className="spinner-dot" aria-hidden="true" />
          </div>
        )}
      </div>
      {r && limits && <ColorBar colormap={props.settings.colormap} vmin={limits.vmin} vmax={limits.vmax} net={net} />}
      <figcaption>
        <strong>{net}</strong>
        {r && (
          <>
            {' '}
            predicts{' '}
            <span className={correct === false ? 'wrong' : correct ? 'right' : ''}>
              {label(classNames[r.predicted])}
            </span>{' '}
            ({(r.probabilities[r.predicted] * 100).toFixed(0)}%)
            {correct === true ? ' ✓' : correct === false ? ' ✗' : ''}
            <br />
            explains: {explainedLabel(r.explained, r.predicted, classNames, label)}
            <br />
            <span className="muted" data-testid={`method-${net}`}>
              {r.method === 'lrp' ? (
                <>
                  rules: {compositeInfo(props.composite.name).label}
                  {props.recommended ? ' (recommended)' : ' (changed)'}
                </>
              ) : (
                <>method: {BASELINE_CATALOG[r.method].label} (a baseline, not LRP)</>
              )}
            </span>
            <br />
            {c && (
              <span
                className={c.diverged ? 'warning' : ''}
                data-testid={`conservation-${net}`}
                role={c.diverged ? 'note' : undefined}
              >
                {c.text}
              </span>
            )}
            <br />
            <span className="muted">
              <span data-testid={`sum-${net}`} data-total={r.total} data-share={c?.share ?? ''}>
                ΣR {r.total.toPrecision(3)}
              </span>{' '}
              · <span data-testid={`ms-${net}`}>{r.ms.toFixed(0)}</span> ms ({r.backend})
            </span>
            <br />
            <button
              type="button"
              className="button secondary small"
              onClick={() => downloadHeatmap(net, `${net}-heatmap.png`)}
            >
              Download {net} heatmap (PNG)
            </button>
          </>
        )}
        {props.resizedFrom && <span className="muted"> · input resized from {props.resizedFrom} px</span>}
        {r && props.settings.flipping && (
          <FlipCurve net={net} flip={props.flip} stale={stale || props.flip?.key !== state?.key} />
        )}
        {state?.error && (
          <span className="error" role="alert">
            <br />
            {state.error}
          </span>
        )}
      </figcaption>
    </figure>
  );
});
