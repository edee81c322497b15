/** A labelled range input with its value shown beside the label. */
export function Slider(props: {
  id: string;
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
  display: string;
  disabled?: boolean;
  disabledNote?: string;
  onChange: (v: number) => void;
}) {
  return (
    <div className={`slider${props.disabled ? ' is-disabled' : ''}`}>
      <label htmlFor={props.id}>
        {props.label} <output htmlFor={props.id}>{props.display}</output>
        {props.disabled && props.disabledNote && <span className="muted"> {props.disabledNote}</span>}
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
