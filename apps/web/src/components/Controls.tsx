import type { ColormapName } from '@lrpjs/viz';
import { COMPOSITES, TUTORIAL_PARAMS } from '../engine/composites';
import type { CompositeName, CompositeParams } from '../engine/protocol';
import { shortName } from '../run/pixels';
import type { LimitsChoice } from './Heatmap';

export type TargetMode = 'predicted' | 'true' | 'class' | 'contrast';

export interface Settings {
  targetMode: TargetMode;
  /** The class of "why <class>?" and "why not <class>?". */
  classIndex: number;
  composite: CompositeName;
  params: CompositeParams;
  colormap: ColormapName;
  limits: LimitsChoice;
}

const COLORMAPS: { name: ColormapName; label: string }[] = [
  { name: 'seismic-dark', label: 'seismic ×0.85 (tutorial)' },
  { name: 'seismic', label: 'seismic' },
  { name: 'bwr', label: 'blue–white–red' },
  { name: 'coldnhot', label: 'cold and hot' },
];

function formatEpsilon(e: number): string {
  return e >= 0.01 ? e.toFixed(2) : e.toExponential(0);
}

export function Controls(props: {
  settings: Settings;
  onChange: (s: Settings) => void;
  classNames: string[];
  hasTrueClass: boolean;
}) {
  const { settings: s, onChange, classNames } = props;
  const set = (patch: Partial<Settings>) => onChange({ ...s, ...patch });
  const setParam = (patch: Partial<CompositeParams>) => onChange({ ...s, params: { ...s.params, ...patch } });
  const info = COMPOSITES.find((c) => c.name === s.composite);
  const uses = (p: keyof CompositeParams) => info?.uses.includes(p) ?? false;
  const cls = classNames[s.classIndex] ?? `class ${s.classIndex}`;

  return (
    <form className="control-form" onSubmit={(e) => e.preventDefault()}>
      <h2>Explain</h2>
      <fieldset>
        <legend>Target</legend>
        <label>
          <input
            type="radio"
            name="target"
            checked={s.targetMode === 'predicted'}
            onChange={() => set({ targetMode: 'predicted' })}
          />
          Each model’s prediction
        </label>
        <label>
          <input
            type="radio"
            name="target"
            checked={s.targetMode === 'true'}
            disabled={!props.hasTrueClass}
            onChange={() => set({ targetMode: 'true' })}
          />
          The true person{props.hasTrueClass ? '' : ' (gallery images only)'}
        </label>
        <label>
          <input
            type="radio"
            name="target"
            checked={s.targetMode === 'class'}
            onChange={() => set({ targetMode: 'class' })}
          />
          Why {shortName(cls)}?
        </label>
        <label>
          <input
            type="radio"
            name="target"
            checked={s.targetMode === 'contrast'}
            onChange={() => set({ targetMode: 'contrast' })}
          />
          Why not {shortName(cls)}?
        </label>
        <label className="stacked" htmlFor="target-class">
          Person for “why / why not”
        </label>
        <select
          id="target-class"
          value={s.classIndex}
          disabled={classNames.length === 0}
          onChange={(e) =>
            set({
              classIndex: Number(e.currentTarget.value),
              targetMode: s.targetMode === 'contrast' ? 'contrast' : 'class',
            })
          }
        >
          {classNames.map((name, i) => (
            <option key={name} value={i}>
              {name}
            </option>
          ))}
        </select>
        <p className="hint" id="target-hint">
          {s.targetMode === 'contrast'
            ? `Why not ${cls}: relevance of (predicted − ${shortName(cls)}) logits. Red = evidence for the prediction over ${shortName(cls)}, blue = evidence for ${shortName(cls)}.`
            : s.targetMode === 'class'
              ? `Why ${cls}: relevance of the ${shortName(cls)} logit, whatever the model predicts.`
              : 'Relevance of the explained logit: red speaks for it, blue against.'}
        </p>
      </fieldset>

      <fieldset>
        <legend>Rules</legend>
        <label className="stacked" htmlFor="composite">
          Composite
        </label>
        <select
          id="composite"
          value={s.composite}
          onChange={(e) => set({ composite: e.currentTarget.value as CompositeName })}
        >
          {COMPOSITES.map((c) => (
            <option key={c.name} value={c.name}>
              {c.label}
            </option>
          ))}
        </select>
        {info && <p className="hint">{info.description}</p>}

        <Slider
          id="gamma"
          label="γ (LRP-γ)"
          min={0}
          max={2}
          step={0.05}
          value={s.params.gamma}
          display={s.params.gamma.toFixed(2)}
          disabled={!uses('gamma')}
          onChange={(v) => setParam({ gamma: v })}
        />
        <Slider
          id="epsilon"
          label="ε (log₁₀)"
          min={-9}
          max={0}
          step={0.25}
          value={Math.log10(s.params.epsilon)}
          display={formatEpsilon(s.params.epsilon)}
          disabled={!uses('epsilon')}
          onChange={(v) => setParam({ epsilon: 10 ** v })}
        />
        <Slider
          id="low"
          label="Lower bound (z^B, input units)"
          min={-3}
          max={0}
          step={0.05}
          value={s.params.low}
          display={s.params.low.toFixed(2)}
          disabled={!uses('low')}
          onChange={(v) => setParam({ low: v })}
        />
        <Slider
          id="high"
          label="Upper bound (z^B, input units)"
          min={0}
          max={3}
          step={0.05}
          value={s.params.high}
          display={s.params.high.toFixed(2)}
          disabled={!uses('high')}
          onChange={(v) => setParam({ high: v })}
        />
        <button type="button" className="button secondary" onClick={() => set({ params: TUTORIAL_PARAMS })}>
          Reset to the tutorial’s values
        </button>
      </fieldset>

      <fieldset>
        <legend>Display</legend>
        <label className="stacked" htmlFor="colormap">
          Colormap
        </label>
        <select
          id="colormap"
          value={s.colormap}
          onChange={(e) => set({ colormap: e.currentTarget.value as ColormapName })}
        >
          {COLORMAPS.map((c) => (
            <option key={c.name} value={c.name}>
              {c.label}
            </option>
          ))}
        </select>
        <label className="stacked" htmlFor="limits">
          Colour limits
        </label>
        <select id="limits" value={s.limits} onChange={(e) => set({ limits: e.currentTarget.value as LimitsChoice })}>
          <option value="symmetric">± max Σ|R| (tutorial)</option>
          <option value="p99">± 99th percentile (more contrast)</option>
        </select>
      </fieldset>
    </form>
  );
}

function Slider(props: {
  id: string;
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
  display: string;
  disabled: boolean;
  onChange: (v: number) => void;
}) {
  return (
    <div className={`slider${props.disabled ? ' is-disabled' : ''}`}>
      <label htmlFor={props.id}>
        {props.label} <output htmlFor={props.id}>{props.display}</output>
        {props.disabled && <span className="muted"> (not used by this composite)</span>}
      </label>
      <input
        id={props.id}
        type="range"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(Number(e.currentTarget.value))}
      />
    </div>
  );
}
