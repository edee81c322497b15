/** Stores the first `rem` (1–4) lanes of v at p: the last vector of a row whose channel count is not a multiple of 4. */
// @ts-ignore: decorator
@inline export function storeTail(p: usize, v: v128, rem: i32): void {
  if (rem == 4) v128.store(p, v);
  else if (rem == 2) v128.store64_lane(p, v, 0);
  else if (rem == 3) {
    v128.store64_lane(p, v, 0);
    v128.store32_lane(p, v, 2, 8);
  } else v128.store32_lane(p, v, 0);
}
