import type { FaceResult } from '../engine/protocol';
import type { SquareCrop } from '../photo/crop';

/** A photo the user gave: the decoded image, the detector's verdict and the crop the models see. */
export interface PhotoSubject {
  kind: 'photo';
  name: string;
  url: string;
  image: ImageBitmap;
  /** The detection, when a face was found. */
  face?: FaceResult;
  crop: SquareCrop;
  /** The crop was set by hand (no face found, or the user moved it). */
  manual: boolean;
  /** The crop at each model input size, size×size×3 in [0, 1]. */
  crops: Record<number, Float32Array>;
}

/** What is being explained: a test image of the run's gallery, or the user's own photo. */
export type Subject = { kind: 'gallery'; index: number } | PhotoSubject;

/** Identifies the pixels explained, so results computed for other pixels read as stale. */
export function subjectKey(s: Subject | null): string {
  if (!s) return '';
  if (s.kind === 'gallery') return `gallery:${s.index}`;
  return `photo:${s.url}:${s.crop.x},${s.crop.y},${s.crop.side}`;
}
