/**
 * From a detected face box to the region the tutorial's networks saw.
 *
 * LFW images are 250×250 frames around a face; the tutorial keeps rows and columns 68..197 (129 px), then resizes.
 * We map a face-api detection box onto that framing with constants measured on LFW itself (scripts/calibrate-crop.mjs
 * runs the same detector on 8 deep-funneled LFW images per person — 140 of 152 had a face at confidence 0.5 —
 * and takes the median position of the 129-px crop relative to the box):
 * side = SIDE_PER_BOX × box height, centre = box centre + (DX, DY) × box height.
 */
export const LFW_CROP = {
  /** Crop side over the detection box height: median 1.094 (IQR 1.019–1.188) on 140 LFW images. */
  sidePerBox: 1.094,
  /** Horizontal offset of the crop centre from the box centre, in box heights: median 0.063 (IQR −0.012–0.122). */
  dx: 0.063,
  /** Vertical offset of the crop centre from the box centre, in box heights (positive = down): median 0.038. */
  dy: 0.038,
};

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The square LFW-like crop (may extend past the image; the outside reads as black) for a detection box. */
export function lfwCropFromBox(box: Box, k = LFW_CROP): { x: number; y: number; side: number } {
  if (!(box.width > 0 && box.height > 0))
    throw new Error(`A face box needs a positive size; got ${box.width}×${box.height}.`);
  const side = k.sidePerBox * box.height;
  const cx = box.x + box.width / 2 + k.dx * box.height;
  const cy = box.y + box.height / 2 + k.dy * box.height;
  return { x: cx - side / 2, y: cy - side / 2, side };
}
