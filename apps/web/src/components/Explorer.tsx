import { forwardRef } from 'react';
import type { Subject } from '../App';
import type { ExplainResult, ModelInfo } from '../engine/protocol';
import { shortName } from '../run/pixels';
import type { LoadedRun } from '../run/types';
import type { Settings } from './Controls';
import { Heatmap, PixelsCanvas } from './Heatmap';

export interface NetState {
  result?: ExplainResult;
  error?: string;
}

interface Props {
  run: LoadedRun | null;
  subject: Subject | null;
  nets: string[];
  infos: Record<string, ModelInfo>;
  modelErrors: Record<string, string>;
  inputs: Record<string, { pixels: Float32Array; size: number; resizedFrom?: number }>;
  results: Record<string, NetState>;
  computing: boolean;
  settings: Settings;
  trueClass: number | undefined;
  classNames: string[];
}

/** The explained output f(x)·T (the logit, or the logit difference for "why not"). */
function explainedOutput(r: ExplainResult): number {
  return r.explained.reduce((sum, [c, w]) => sum + w * r.logits[c], 0);
}

function explainedLabel(r: ExplainResult, names: string[]): string {
  const parts = r.explained.filter(([, w]) => w !== 0);
  if (parts.length === 0) return `nothing: ${shortName(names[r.predicted])} is already the prediction`;
  return parts.map(([c, w], i) => `${w < 0 ? '− ' : i > 0 ? '+ ' : ''}${shortName(names[c])}`).join(' ');
}

export const Explorer = forwardRef<HTMLElement, Props>(function Explorer(props, ref) {
  const { run, subject, nets, infos, inputs, results, classNames } = props;
  const busy = props.computing;
  const largest = nets.reduce<string | undefined>(
    (a, n) => (!a || infos[n].inputSize > infos[a].inputSize ? n : a),
    undefined,
  );
  const shown = largest ? inputs[largest] : undefined;

  return (
    <section
      id="explorer"
      ref={ref}
      className="panel explorer"
      aria-labelledby="explorer-title"
      aria-busy={busy}
      data-computing={busy}
    >
      <h2 id="explorer-title">Explanations</h2>
      {!run && <p>Open a run folder (top right) to explore its models, or start the dev server with a run.</p>}
      {run && !subject && <p>Select a test image in the gallery below, or drop your own photo.</p>}
      {run &&
        Object.entries(props.modelErrors).map(([net, msg]) => (
          <p key={net} className="error" role="alert">
            {net}: {msg}
          </p>
        ))}
      {run && subject && (
        <div className="figure-row">
          <figure className="card subject">
            {shown ? (
              <PixelsCanvas pixels={shown.pixels} size={shown.size} label="The explained image as the models see it" />
            ) : (
              <div className="heatmap placeholder" />
            )}
            <figcaption>
              {subject.kind === 'gallery' ? (
                <>
                  <strong>Test image {subject.index + 1}</strong>
                  <br />
                  true: {props.trueClass !== undefined ? classNames[props.trueClass] : '?'}
                </>
              ) : (
                <>
                  <strong>Your photo</strong>
                  <br />
                  {subject.name}
                  <br />
                  face found (score {subject.face.box.score.toFixed(2)}
                  {subject.face.facesFound > 1 ? `, largest of ${subject.face.facesFound}` : ''})
                  <PhotoFrame subject={subject} />
                </>
              )}
            </figcaption>
          </figure>
          {nets.map((net) => {
            const state = results[net];
            const r = state?.result;
            const correct = r && props.trueClass !== undefined ? r.predicted === props.trueClass : undefined;
            return (
              <figure key={net} className="card" data-net={net}>
                {r ? (
                  <Heatmap
                    relevance={r.relevance}
                    size={r.size}
                    colormap={props.settings.colormap}
                    limits={props.settings.limits}
                    net={net}
                    label={`${net} relevance heatmap explaining ${explainedLabel(r, classNames)}`}
                  />
                ) : (
                  <div className="heatmap placeholder" aria-hidden="true">
                    {state?.error ? '!' : 'computing…'}
                  </div>
                )}
                <figcaption>
                  <strong>{net}</strong>
                  {r && (
                    <>
                      {' '}
                      predicts{' '}
                      <span className={correct === false ? 'wrong' : correct ? 'right' : ''}>
                        {shortName(classNames[r.predicted])}
                      </span>{' '}
                      ({(r.probabilities[r.predicted] * 100).toFixed(0)}%)
                      {correct === true ? ' ✓' : correct === false ? ' ✗' : ''}
                      <br />
                      explains: {explainedLabel(r, classNames)}
                      <br />
                      <span className="muted">
                        ΣR {r.total.toPrecision(3)} of f(x) {explainedOutput(r).toPrecision(3)} ·{' '}
                        <span data-testid={`ms-${net}`}>{r.ms.toFixed(0)}</span> ms ({r.backend})
                      </span>
                      {Math.abs(r.total) > 10 * Math.abs(explainedOutput(r)) + 1 && (
                        <span className="warning" role="note">
                          <br />
                          Relevance is far from conserved: this composite is unstable on {net}; try EpsilonPlus or a
                          larger ε.
                        </span>
                      )}
                    </>
                  )}
                  {inputs[net]?.resizedFrom && (
                    <span className="muted"> · input resized from {inputs[net].resizedFrom} px</span>
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
          })}
        </div>
      )}
      <p className="status" role="status" aria-live="polite">
        {busy ? 'Computing heatmaps…' : subject && nets.length > 0 ? 'Heatmaps up to date.' : ''}
      </p>
    </section>
  );
});

const pct = (v: number, of: number) => `${(100 * v) / of}%`;

/** The whole photo with the detected face (dashed) and the LFW-like crop the models see (solid). */
function PhotoFrame({ subject }: { subject: Extract<Subject, { kind: 'photo' }> }) {
  const { face } = subject;
  const w = face.imageWidth;
  const h = face.imageHeight;
  return (
    <span className="photo-frame" style={{ aspectRatio: `${w} / ${h}` }}>
      <img src={subject.url} alt="" />
      <span
        className="frame-box face-box"
        title="detected face"
        style={{
          left: pct(face.box.x, w),
          top: pct(face.box.y, h),
          width: pct(face.box.width, w),
          height: pct(face.box.height, h),
        }}
      />
      <span
        className="frame-box crop-box"
        title="LFW-like crop"
        style={{
          left: pct(face.crop.x, w),
          top: pct(face.crop.y, h),
          width: pct(face.crop.side, w),
          height: pct(face.crop.side, h),
        }}
      />
    </span>
  );
}
