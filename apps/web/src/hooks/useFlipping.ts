import { useEffect, useRef, useState } from 'react';
import type { Engine } from '../engine/client';
import type { FlipResult } from '../engine/protocol';
import type { NetState } from './useExplanations';

export interface FlipState {
  /** The explanation key the curve belongs to (NetState.key). */
  key: string;
  result?: FlipResult;
  error?: string;
}

/**
 * The pixel-flipping curve of each shown heatmap, computed after the heatmaps (never before them: the engine is
 * one worker, and the heatmap is what the user waits for). A newer heatmap cancels curves not yet started.
 */
export function useFlipping(
  engine: Engine,
  enabled: boolean,
  nets: string[],
  states: Record<string, NetState>,
  inputs: Record<string, { pixels?: Float32Array; size: number }>,
  computing: boolean,
): { flips: Record<string, FlipState>; flipping: boolean } {
  const [flips, setFlips] = useState<Record<string, FlipState>>({});
  const done = useRef(flips);
  done.current = flips;
  // The job: every fresh heatmap. It changes only when heatmaps do, not as curves arrive.
  const fresh = enabled && !computing ? nets.filter((n) => states[n]?.result && !states[n].stale) : [];
  const jobKey = fresh.map((n) => `${n}:${states[n].key}`).join('|');

  useEffect(() => {
    if (!jobKey) return;
    let cancelled = false;
    void (async () => {
      for (const net of fresh) {
        if (cancelled) return;
        const { key, result } = states[net];
        const pixels = inputs[net]?.pixels;
        if (!result || !pixels || done.current[net]?.key === key) continue;
        try {
          const flip = await engine.flip(net, pixels, result.size, result.relevance, result.explained[0][0]);
          if (cancelled) return;
          setFlips((prev) => ({ ...prev, [net]: { key, result: flip } }));
        } catch (e) {
          if (cancelled) return;
          setFlips((prev) => ({ ...prev, [net]: { key, error: (e as Error).message } }));
        }
      }
    })();
    return () => {
      cancelled = true;
    };
    // jobKey names exactly what is to be done; the objects it comes from change identity more often.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, jobKey]);

  const flipping = fresh.some((n) => flips[n]?.key !== states[n].key);
  return { flips, flipping };
}
