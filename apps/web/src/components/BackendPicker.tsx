import type { BackendName, BackendState } from '../engine/protocol';

/** The backend in use, how it was chosen (the probe's timings) and a way to change it. */
export function BackendPicker(props: {
  state: BackendState | null;
  error: string;
  switching: boolean;
  onChange: (name: BackendName) => void;
}) {
  const { state } = props;
  return (
    <fieldset>
      <legend>Compute</legend>
      <label className="stacked" htmlFor="backend">
        TensorFlow.js backend
      </label>
      <select
        id="backend"
        value={state?.backend ?? ''}
        disabled={!state || props.switching}
        onChange={(e) => props.onChange(e.currentTarget.value as BackendName)}
      >
        {!state && <option value="">starting…</option>}
        {state?.probes.map((p) => (
          <option key={p.name} value={p.name} disabled={!p.available}>
            {p.name}
            {p.ms !== undefined ? ` — probe ${p.ms.toFixed(0)} ms` : ''}
            {p.software ? ' (software)' : ''}
            {!p.available ? ' (unavailable)' : ''}
          </option>
        ))}
      </select>
      <p className="hint" data-testid="backend-why">
        {!state
          ? 'Measuring which backend explains fastest on this device…'
          : state.chosen === 'measured'
            ? `${state.backend} explained the probe fastest on this device.`
            : `${state.backend}, as asked.`}
        {state?.probes
          .filter((p) => p.note && (p.software || !p.available) && p.name !== 'cpu')
          .map((p) => ` ${p.name}: ${p.note}.`)
          .join('')}
      </p>
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}
