import { forwardRef } from 'react';
import type { CompositeSpec, ModelInfo } from '../engine/protocol';
import type { NetState } from '../hooks/useExplanations';
import type { FlipState } from '../hooks/useFlipping';
import type { SquareCrop } from '../photo/crop';
import type { LoadedRun } from '../run/types';
import type { Settings } from '../state/settings';
import type { Subject } from '../state/subject';
import { CropEditor } from './CropEditor';
import { PixelsCanvas } from './Heatmap';
import { NetCard } from './NetCard';

export interface NetInput {
  pixels?: Float32Array;
  size: number;
  resizedFrom?: number;
}

interface Props {
  run: LoadedRun | null;
  subject: Subject | null;
  nets: string[];
  infos: Record<string, ModelInfo>;
  modelErrors: Record<string, string>;
  inputs: Record<string, NetInput>;
  states: Record<string, NetState>;
  composites: Record<string, CompositeSpec>;
  computing: boolean;
  flips: Record<string, FlipState>;
  /** Pixel-flipping curves still being computed. */
  flipping: boolean;
  settings: Settings;
  trueClass: number | undefined;
  classNames: string[];
  onCrop: (crop: SquareCrop) => void;
}

/** The explained image beside one card per shown model. */
export const Explorer = forwardRef<HTMLElement, Props>(function Explorer(props, ref) {
  const { run, subject, nets, infos, inputs, classNames } = props;
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
      aria-busy={props.computing}
      data-computing={props.computing}
      data-flipping={props.flipping}
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
            {subject.kind === 'photo' ? (
              <CropEditor
                url={subject.url}
                width={subject.image.width}
                height={subject.image.height}
                crop={subject.crop}
                face={subject.face?.box}
                onCommit={props.onCrop}
              />
            ) : shown?.pixels ? (
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
                  <strong>Your photo</strong> {subject.name}
                  <br />
                  <span data-testid="face-status">
                    {subject.face
                      ? `Face found, detector confidence ${(subject.face.box.score * 100).toFixed(0)}%${subject.face.facesFound > 1 ? ` (largest of ${subject.face.facesFound})` : ''}.`
                      : 'No face found: drag the square onto the face.'}
                    {subject.manual && subject.face ? ' Crop moved by hand.' : ''}
                  </span>
                  <br />
                  <span className="muted">
                    Dashed: the detected face; solid: the square the models see. Drag it or its corner to crop by hand.
                  </span>
                </>
              )}
            </figcaption>
          </figure>
          {nets.map((net) => {
            const spec = props.composites[net];
            const rec = infos[net].recommended;
            return (
              <NetCard
                key={net}
                net={net}
                state={props.states[net]}
                composite={spec}
                recommended={spec.name === rec.name && JSON.stringify(spec.params) === JSON.stringify(rec.params)}
                settings={props.settings}
                flip={props.flips[net]}
                input={inputs[net]?.pixels}
                resizedFrom={inputs[net]?.resizedFrom}
                trueClass={infos[net].external ? undefined : props.trueClass}
                classNames={infos[net].external?.classNames ?? classNames}
                people={!infos[net].external}
              />
            );
          })}
        </div>
      )}
      <p className="status" role="status" aria-live="polite">
        {props.computing ? 'Computing heatmaps…' : subject && nets.length > 0 ? 'Heatmaps up to date.' : ''}
      </p>
    </section>
  );
});
