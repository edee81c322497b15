import type { ColormapName } from '@lrpjs/viz';
import { COMPOSITE_CATALOG, compositeInfo, type CompositeName, type CompositeParameter } from '@lrpjs/lrp/catalog';
import { BASELINE_CATALOG, BASELINE_NAMES } from '@lrpjs/attribution/catalog';
import type { CompositeSpec, MethodName, ModelInfo } from '../engine/protocol';
import { shortName } from '../run/pixels';
import type { LimitsChoice, Settings } from '../state/settings';
import { Slider } from './Slider';

const COLORMAPS: { name: ColormapName; label: string }[] = [
  { name: 'seismic-dark', label: 'seismic ×0.85 (tutorial)' },
  { name: 'seismic', label: 'seismic' },
  { name: 'bwr', label: 'blue–white–red' },
  { name: 'coldnhot', label: 'cold and hot' },
];

/** The composite a net uses: the user's choice, else @lrpjs/lrp's recommendation for it. */
export function compositeOf(settings: Settings, info: ModelInfo): CompositeSpec {
  return settings.composites[info.net] ?? { name: info.recommended.name, params: info.recommended.params };
}

/** Slider travel per parameter: the catalogue's range, narrowed to where the tutorial's nets react. */
function sliderRange(p: CompositeParameter): { min: number; max: number; step: number } {
  switch (p.name) {
    case 'gamma':
      return { min: p.min, max: Math.min(p.max, 2), step: 0.05 };
    case 'epsilon':
      return { min: Math.max(-12, Math.log10(p.min)), max: Math.min(1, Math.log10(p.max)), step: 0.25 };
    case 'low':
      return { min: -3, max: 0, step: 0.05 };
    case 'high':
      return { min: 0, max: 3, step: 0.05 };
  }
}

function formatParam(p: CompositeParameter, v: number): string {
  if (p.scale === 'log') return v >= 0.01 ? v.toFixed(2) : v.toExponential(0);
  return v.toFixed(2);
}

export function Controls(props: {
  settings: Settings;
  onChange: (s: Settings) => void;
  classNames: string[];
  hasTrueClass: boolean;
  nets: string[];
  infos: Record<string, ModelInfo>;
  children?: React.ReactNode;
}) {
  const { settings: s, onChange, classNames, nets, infos } = props;
  const set = (patch: Partial<Settings>) => onChange({ ...s, ...patch });
  const cls = classNames[s.classIndex] ?? `class ${s.classIndex}`;
  const editNet = nets.includes(s.editNet) ? s.editNet : nets[0];
  const editInfo = editNet ? infos[editNet] : undefined;
  const spec = editInfo ? compositeOf(s, editInfo) : undefined;
  const catalog = spec ? compositeInfo(spec.name) : undefined;
  const isRecommended =
    !!editInfo &&
    !!spec &&
    spec.name === editInfo.recommended.name &&
    JSON.stringify(spec.params) === JSON.stringify(editInfo.recommended.params);
  const setSpec = (next: CompositeSpec) => set({ composites: { ...s.composites, [editNet]: next } });

  return (
    <form className="control-form" onSubmit={(e) => e.preventDefault()}>
      <h2>Explain</h2>
      <fieldset>
        <legend>Target</legend>
        {(
          [
            ['predicted', 'Each model’s prediction', false],
            ['true', `The true person${props.hasTrueClass ? '' : ' (gallery images only)'}`, !props.hasTrueClass],
            ['class', `Why ${shortName(cls)}?`, false],
            ['contrast', `Why not ${shortName(cls)}?`, false],
          ] as const
        ).map(([mode, label, disabled]) => (
          <label key={mode}>
            <input
              type="radio"
              name="target"
              checked={s.targetMode === mode}
              disabled={disabled}
              onChange={() => set({ targetMode: mode })}
            />
            {label}
          </label>
        ))}
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
        <p className="hint">
          {s.targetMode === 'contrast'
            ? `Why not ${cls}: relevance of (predicted − ${shortName(cls)}) logits. Red = evidence for the prediction over ${shortName(cls)}, blue = evidence for ${shortName(cls)}.`
            : s.targetMode === 'class'
              ? `Why ${cls}: relevance of the ${shortName(cls)} logit, whatever the model predicts.`
              : 'Relevance of the explained logit: red speaks for it, blue against.'}
        </p>
      </fieldset>

      <fieldset>
        <legend>Models shown</legend>
        {nets.length === 0 && <p className="hint">Open a run to list its models.</p>}
        {nets.map((net) => (
          <label key={net}>
            <input
              type="checkbox"
              data-net={net}
              checked={!s.hidden.includes(net)}
              onChange={(e) =>
                set({ hidden: e.currentTarget.checked ? s.hidden.filter((n) => n !== net) : [...s.hidden, net] })
              }
            />
            {net}
          </label>
        ))}
        {nets.length > 0 && <p className="hint">A hidden model is not recomputed: changes are faster.</p>}
      </fieldset>

      <fieldset>
        <legend>Method</legend>
        <label className="stacked" htmlFor="method">
          Heatmaps by
        </label>
        <select id="method" value={s.method} onChange={(e) => set({ method: e.currentTarget.value as MethodName })}>
          <option value="lrp">LRP (the rules below)</option>
          {BASELINE_NAMES.filter((n) => n !== 'random').map((n) => (
            <option key={n} value={n}>
              {BASELINE_CATALOG[n].label}
            </option>
          ))}
          <option value="random">{BASELINE_CATALOG.random.label} (a floor for pixel flipping)</option>
        </select>
        <p className="hint">
          {s.method === 'lrp'
            ? 'Layer-wise Relevance Propagation with each model’s composite.'
            : `${BASELINE_CATALOG[s.method].label}, a baseline from @lrpjs/attribution (settings: ${
                Object.entries(BASELINE_CATALOG[s.method].settings)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(', ') || 'none'
              }), for every model.`}
        </p>
        <label>
          <input
            type="checkbox"
            id="flipping"
            checked={s.flipping}
            onChange={(e) => set({ flipping: e.currentTarget.checked })}
          />
          Pixel-flipping curve of each heatmap
        </label>
        <p className="hint">
          The explained logit as the image’s 8×8 regions are replaced by its mean: most relevant first (MoRF) should
          fall fast, least relevant first (LeRF) should hold. Computed after each heatmap.
        </p>
      </fieldset>

      <fieldset className="rules" disabled={s.method !== 'lrp'}>
        <legend>Rules (composite){s.method !== 'lrp' ? ' — LRP only' : ''}</legend>
        <label className="stacked" htmlFor="edit-net">
          Rules of model
        </label>
        <select
          id="edit-net"
          value={editNet ?? ''}
          disabled={nets.length === 0}
          onChange={(e) => set({ editNet: e.currentTarget.value })}
        >
          {nets.map((net) => (
            <option key={net} value={net}>
              {net}
            </option>
          ))}
        </select>
        <label className="stacked" htmlFor="composite">
          Composite
        </label>
        <select
          id="composite"
          value={spec?.name ?? 'tutorial'}
          disabled={!spec}
          onChange={(e) => {
            const name = e.currentTarget.value as CompositeName;
            const params = Object.fromEntries(compositeInfo(name).parameters.map((p) => [p.name, p.default]));
            setSpec({ name, params: params as CompositeSpec['params'] });
          }}
        >
          {COMPOSITE_CATALOG.map((c) => (
            <option key={c.name} value={c.name}>
              {c.label}
              {editInfo?.recommended.name === c.name ? ' (recommended)' : ''}
            </option>
          ))}
        </select>
        {catalog && <p className="hint">{catalog.description}</p>}
        {editInfo && (
          <p className="hint" data-testid="recommended">
            Recommended for {editNet}: <strong>{compositeInfo(editInfo.recommended.name).label}</strong> —{' '}
            {editInfo.recommended.reason}.
          </p>
        )}
        {catalog &&
          spec &&
          catalog.parameters.map((p) => {
            const r = sliderRange(p);
            const value = spec.params[p.name];
            return (
              <Slider
                key={p.name}
                id={p.name}
                label={`${p.label} (${p.description})${p.scale === 'log' ? ', log₁₀' : ''}`}
                min={r.min}
                max={r.max}
                step={r.step}
                value={p.scale === 'log' ? Math.log10(value) : value}
                display={formatParam(p, value)}
                onChange={(v) => {
                  const next = p.scale === 'log' ? 10 ** v : v;
                  const params = { ...spec.params, [p.name]: Math.min(p.max, Math.max(p.min, next)) };
                  // z^B needs low < high: a slider never pushes one bound past the other.
                  if (params.low !== undefined && params.high !== undefined && !(params.low < params.high)) return;
                  setSpec({ name: spec.name, params });
                }}
              />
            );
          })}
        {editInfo && (
          <button
            type="button"
            className="button secondary"
            disabled={isRecommended}
            onClick={() => {
              const rest = { ...s.composites };
              delete rest[editNet];
              set({ composites: rest });
            }}
          >
            Use the recommended rules
          </button>
        )}
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
          <option value="symmetric">± max |R| (tutorial)</option>
          <option value="p99">± 99th percentile (more contrast)</option>
        </select>
        <label>
          <input
            type="checkbox"
            id="overlay"
            checked={s.view === 'overlay'}
            onChange={(e) => set({ view: e.currentTarget.checked ? 'overlay' : 'heatmap' })}
          />
          Overlay on the image
        </label>
        <Slider
          id="opacity"
          label="Heatmap opacity"
          min={0}
          max={1}
          step={0.05}
          value={s.opacity}
          display={`${Math.round(s.opacity * 100)}%`}
          disabled={s.view !== 'overlay'}
          disabledNote="(overlay only)"
          onChange={(v) => set({ opacity: v })}
        />
      </fieldset>
      {props.children}
    </form>
  );
}
