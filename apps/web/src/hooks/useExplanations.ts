import { useEffect, useMemo, useRef, useState } from 'react';
import type { Engine } from '../engine/client';
import type { CompositeSpec, ExplainResult, MethodName, TargetSpec } from '../engine/protocol';

export interface NetState {
  result?: ExplainResult;
  error?: string;
  /** The shown result no longer matches the settings: a newer one is being computed. */
  stale: boolean;
  /** What the shown result was computed for (subject, target, composite, backend). */
  key: string;
}

export interface NetRequest {
  pixels?: Float32Array;
  size: number;
  composite: CompositeSpec;
  method: MethodName;
}

/** Debounce of slider moves: one recomputation per pause, not per pixel of drag. */
const DEBOUNCE_MS = 80;

/**
 * Keeps one explanation per shown net up to date. Only nets whose inputs changed are recomputed, in order, each
 * result shown as soon as it arrives; until then the old one is marked stale. A newer change cancels the nets an
 * older one has not reached yet (the engine finishes the one in flight, whose result is dropped).
 */
export function useExplanations(
  engine: Engine,
  nets: string[],
  requests: Record<string, NetRequest>,
  target: TargetSpec | undefined,
  context: string,
): { states: Record<string, NetState>; computing: boolean } {
  const [states, setStates] = useState<Record<string, NetState>>({});
  const generation = useRef(0);
  const keys = useMemo(() => {
    const out: Record<string, string> = {};
    if (!target) return out;
    for (const net of nets) {
      const r = requests[net];
      // A baseline ignores the composite: changing the rules then recomputes nothing.
      if (r) out[net] = JSON.stringify([context, target, r.method === 'lrp' ? r.composite : null, r.method, r.size]);
    }
    return out;
  }, [nets, requests, target, context]);

  useEffect(() => {
    if (!target) return;
    // Stale ones too: a change undone before its debounce fired left them marked, with no loop to clear them.
    const todo = nets.filter((n) => keys[n] && (states[n]?.key !== keys[n] || states[n]?.stale));
    if (todo.length === 0) return;
    const gen = ++generation.current;
    setStates((prev) => {
      const next = { ...prev };
      for (const n of todo) next[n] = { ...(prev[n] ?? { key: '' }), stale: true };
      return next;
    });
    const timer = window.setTimeout(async () => {
      for (const net of todo) {
        if (gen !== generation.current) return;
        const r = requests[net];
        const key = keys[net];
        if (!r.pixels) {
          setStates((prev) => ({
            ...prev,
            [net]: { key, stale: false, error: 'No input image at this model’s size.' },
          }));
          continue;
        }
        try {
          const result = await engine.explain(net, r.pixels, r.size, target, r.composite, r.method);
          if (gen !== generation.current) return;
          setStates((prev) => ({ ...prev, [net]: { key, stale: false, result } }));
        } catch (e) {
          if (gen !== generation.current) return;
          setStates((prev) => ({ ...prev, [net]: { key, stale: false, error: (e as Error).message } }));
        }
      }
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
    // states is read only to find what changed; its own updates must not restart the loop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, keys, nets, requests, target]);

  const computing = nets.some((n) => keys[n] && (states[n]?.stale || states[n]?.key !== keys[n]));
  return { states, computing };
}
