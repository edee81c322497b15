/** Text on raster images with the embedded bitmap font: no canvas, no font files. */
import { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, LINE_HEIGHT, glyph } from './font';
import { blendPixel, type Color, type RgbaImage } from './image';

/** Options of {@link drawText}. */
export interface DrawTextOptions {
  /** Text colour. Default opaque near-black [17, 17, 17, 255]. */
  color?: Color;
  /** Integer magnification of the 5 × 9 font. Default 2. */
  scale?: number;
}

/**
 * Printable ASCII version of a string: accents stripped (é → e), other characters → '?', so names such as
 * "Schröder" stay legible in the ASCII font.
 */
export function toAscii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');
}

/** Size in pixels of a single line of text at a scale (no spacing after the last glyph). */
export function measureText(text: string, scale = 2): { width: number; height: number } {
  const n = toAscii(text).length;
  return { width: n === 0 ? 0 : (n * GLYPH_ADVANCE - 1) * scale, height: GLYPH_HEIGHT * scale };
}

/** Height of one line including line spacing, at a scale. */
export function lineHeight(scale = 2): number {
  return LINE_HEIGHT * scale;
}

/**
 * The longest prefix of `text` that fits `maxWidth` pixels, ending in ".." when shortened.
 */
export function fitText(text: string, maxWidth: number, scale = 2): string {
  const ascii = toAscii(text);
  if (measureText(ascii, scale).width <= maxWidth) return ascii;
  for (let n = ascii.length - 1; n > 0; n--) {
    const candidate = ascii.slice(0, n).trimEnd() + '..';
    if (measureText(candidate, scale).width <= maxWidth) return candidate;
  }
  return '';
}

/** Draw one line of text with its top-left corner at (x, y); clipped at the image border. */
export function drawText(image: RgbaImage, text: string, x: number, y: number, options: DrawTextOptions = {}): void {
  const scale = options.scale ?? 2;
  if (!Number.isInteger(scale) || scale < 1)
    throw new Error(`drawText: scale must be a positive integer; got ${scale}.`);
  const [r, g, b, a] = options.color ?? [17, 17, 17, 255];
  const ascii = toAscii(text);
  for (let k = 0; k < ascii.length; k++) {
    const bits = glyph(ascii[k]);
    const gx = x + k * GLYPH_ADVANCE * scale;
    for (let row = 0; row < GLYPH_HEIGHT; row++) {
      const line = bits[row];
      if (line === 0) continue;
      for (let col = 0; col < GLYPH_WIDTH; col++) {
        if (!(line & (1 << (GLYPH_WIDTH - 1 - col)))) continue;
        for (let dy = 0; dy < scale; dy++) {
          const py = y + row * scale + dy;
          if (py < 0 || py >= image.height) continue;
          for (let dx = 0; dx < scale; dx++) {
            const px = gx + col * scale + dx;
            if (px < 0 || px >= image.width) continue;
            blendPixel(image.data, (py * image.width + px) * 4, r, g, b, a / 255);
          }
        }
      }
    }
  }
}
