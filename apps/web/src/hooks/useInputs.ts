import { useMemo } from 'react';
import type { ModelInfo } from '../engine/protocol';
import { resizeInput } from '../photo/crop';
import { atlasTile } from '../run/loadRun';
import type { LoadedRun } from '../run/types';
import type { NetInput } from '../components/Explorer';
import type { Subject } from '../state/subject';

/** The subject's pixels at each model's input size (a missing atlas size is resized bicubically, as in training). */
export function useInputs(
  run: LoadedRun | null,
  subject: Subject | null,
  nets: string[],
  infos: Record<string, ModelInfo>,
): Record<string, NetInput> {
  return useMemo(() => {
    const out: Record<string, NetInput> = {};
    if (!run || !subject) return out;
    for (const net of nets) {
      const size = infos[net].inputSize;
      if (subject.kind === 'photo') {
        out[net] = { pixels: subject.crops[size], size };
        continue;
      }
      const atlas = run.atlases[size];
      if (atlas && run.gallery) {
        out[net] = { pixels: atlasTile(atlas, run.gallery.columns, subject.index), size };
        continue;
      }
      const any = Object.values(run.atlases).sort((a, b) => b.size - a.size)[0];
      if (any && run.gallery) {
        const tile = atlasTile(any, run.gallery.columns, subject.index);
        out[net] = { pixels: resizeInput(tile, any.size, size), size, resizedFrom: any.size };
      } else {
        out[net] = { size };
      }
    }
    return out;
  }, [run, subject, nets, infos]);
}
