import { useEffect, useRef, useState } from 'react';
import { clampCrop, type SquareCrop } from '../photo/crop';

const pct = (v: number, of: number) => `${(100 * v) / of}%`;

/**
 * A square crop over the photo: drag it to move, drag its corner to resize, or use the keyboard (arrows move,
 * + and − resize; Shift for larger steps). The models explain the crop once the drag ends.
 */
export function CropEditor(props: {
  url: string;
  width: number;
  height: number;
  crop: SquareCrop;
  face?: { x: number; y: number; width: number; height: number };
  onCommit: (crop: SquareCrop) => void;
}) {
  const { width: w, height: h } = props;
  const [draft, setDraft] = useState(props.crop);
  const drag = useRef<{ mode: 'move' | 'resize'; x0: number; y0: number; start: SquareCrop } | null>(null);
  const frame = useRef<HTMLDivElement>(null);
  useEffect(() => setDraft(props.crop), [props.crop]);

  const toPhoto = (dx: number, dy: number) => {
    const r = frame.current!.getBoundingClientRect();
    return { dx: (dx / r.width) * w, dy: (dy / r.height) * h };
  };
  const onPointerDown = (mode: 'move' | 'resize') => (e: React.PointerEvent) => {
    e.preventDefault();
    e.stopPropagation();
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    drag.current = { mode, x0: e.clientX, y0: e.clientY, start: draft };
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const { dx, dy } = toPhoto(e.clientX - d.x0, e.clientY - d.y0);
    const next =
      d.mode === 'move'
        ? { ...d.start, x: d.start.x + dx, y: d.start.y + dy }
        : { ...d.start, side: d.start.side + Math.max(dx, dy) };
    setDraft(clampCrop(next, w, h));
  };
  const onPointerUp = () => {
    if (!drag.current) return;
    drag.current = null;
    props.onCommit(draft);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const step = (e.shiftKey ? 0.1 : 0.02) * Math.min(w, h);
    const moves: Record<string, Partial<SquareCrop>> = {
      ArrowLeft: { x: draft.x - step },
      ArrowRight: { x: draft.x + step },
      ArrowUp: { y: draft.y - step },
      ArrowDown: { y: draft.y + step },
      '+': { side: draft.side + step },
      '=': { side: draft.side + step },
      '-': { side: draft.side - step },
    };
    const patch = moves[e.key];
    if (!patch) return;
    e.preventDefault();
    const next = clampCrop({ ...draft, ...patch }, w, h);
    setDraft(next);
    props.onCommit(next);
  };

  return (
    <div className="crop-editor">
      <div
        ref={frame}
        className="photo-frame"
        style={{ aspectRatio: `${w} / ${h}` }}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
      >
        <img src={props.url} alt="Your photo" draggable={false} />
        {props.face && (
          <span
            className="frame-box face-box"
            title="detected face"
            style={{
              left: pct(props.face.x, w),
              top: pct(props.face.y, h),
              width: pct(props.face.width, w),
              height: pct(props.face.height, h),
            }}
          />
        )}
        <div
          className="frame-box crop-box editable"
          data-testid="crop-box"
          tabIndex={0}
          role="group"
          aria-label={`Crop the models see: ${Math.round(draft.side)} px square at (${Math.round(draft.x)}, ${Math.round(draft.y)}). Arrow keys move it, + and − resize it.`}
          style={{ left: pct(draft.x, w), top: pct(draft.y, h), width: pct(draft.side, w), height: pct(draft.side, h) }}
          onPointerDown={onPointerDown('move')}
          onKeyDown={onKeyDown}
        >
          <span className="crop-handle" data-testid="crop-handle" onPointerDown={onPointerDown('resize')} />
        </div>
      </div>
    </div>
  );
}
