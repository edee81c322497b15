import { createImage, decodePng, encodePng } from '../src';

function randomImage(width: number, height: number, seed = 1) {
  const img = createImage(width, height);
  let s = seed;
  for (let k = 0; k < img.data.length; k++) {
    s = (s * 1103515245 + 12345) >>> 0; // LCG: deterministic noise, worst case for compression
    img.data[k] = s >>> 24;
  }
  return img;
}

const fromBase64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

describe('encodePng', () => {
  test('round trip: decode(encode(x)) equals x, alpha included', () => {
    for (const [w, h] of [
      [1, 1],
      [7, 3],
      [64, 64],
      [131, 17],
    ]) {
      const img = randomImage(w, h, w * 31 + h);
      const back = decodePng(encodePng(img));
      expect([back.width, back.height]).toEqual([w, h]);
      expect(back.data).toEqual(img.data);
    }
  });

  test('raw-bytes signature and the PNG header fields (spec: signature, IHDR 8-bit RGBA)', () => {
    const img = randomImage(300, 2);
    const png = encodePng(img.data, 300, 2, { text: { Software: 'lrpjs' } });
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
    const view = new DataView(png.buffer, png.byteOffset);
    expect(view.getUint32(16)).toBe(300); // width, big-endian
    expect(view.getUint32(20)).toBe(2); // height
    expect(png[24]).toBe(8); // bit depth
    expect(png[25]).toBe(6); // colour type 6 = RGBA
    expect(Buffer.from(png).includes(Buffer.from('Software\0lrpjs'))).toBe(true);
    expect(decodePng(png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength)).data).toEqual(img.data);
  });

  test('compression level trades size, not content', () => {
    const img = createImage(200, 100, [10, 20, 30, 255]);
    const small = encodePng(img, { compressionLevel: 9 });
    const stored = encodePng(img, { compressionLevel: 0 });
    expect(small.length).toBeLessThan(stored.length);
    expect(decodePng(stored).data).toEqual(decodePng(small).data);
  });

  test('bad input names the problem', () => {
    expect(() => encodePng(new Uint8Array(10), 2, 2)).toThrow(/10 bytes but 2×2 RGBA needs 16/);
    expect(() => encodePng(new Uint8Array(4) as never)).toThrow(/width and height are required/);
    expect(() => decodePng(new Uint8Array([1, 2, 3]))).toThrow(/not a readable PNG/);
  });
});

describe('decodePng reads files from another encoder (Pillow 9.4) as RGBA', () => {
  test('RGB 3×2', () => {
    const img = decodePng(
      fromBase64(
        'iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAGElEQVR4nGP4z8DAAMFcInInUoz+//8PADwZB5XvwsbYAAAAAElFTkSuQmCC',
      ),
    );
    expect(Array.from(img.data)).toEqual([
      255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 255, 200, 100, 50, 255, 255, 255, 255, 255,
    ]);
  });

  test('gray 8-bit, gray+alpha, 16-bit gray (high byte), 1-bit gray', () => {
    const gray = decodePng(
      fromBase64('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADklEQVR4nGNgcGBo+A8AAwUBwE4zW+kAAAAASUVORK5CYII='),
    );
    expect(Array.from(gray.data)).toEqual([0, 0, 0, 255, 64, 64, 64, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
    const la = decodePng(
      fromBase64('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAQAAABeK7cBAAAADUlEQVR4nGPgEjnxHwAC+AHmXJDsqwAAAABJRU5ErkJggg=='),
    );
    expect(Array.from(la.data)).toEqual([10, 10, 10, 20, 200, 200, 200, 255]);
    const g16 = decodePng(
      fromBase64('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABEAAAAACB2fwVAAAADUlEQVR4nGMQMvnPAAAC5wFGf/uMQgAAAABJRU5ErkJggg=='),
    );
    expect(Array.from(g16.data)).toEqual([0x12, 0x12, 0x12, 255, 0xff, 0xff, 0xff, 255]);
    const bit = decodePng(
      fromBase64('iVBORw0KGgoAAAANSUhEUgAAAAoAAAABAQAAAADPjgLTAAAAC0lEQVR4nGNcoAAAAWYAwlIfHn4AAAAASUVORK5CYII='),
    );
    expect(Array.from(bit.data).filter((_, k) => k % 4 === 0)).toEqual([255, 0, 255, 0, 0, 0, 0, 0, 255, 255]);
  });

  test('indexed 1-bit with a 2-colour palette', () => {
    const img = decodePng(
      fromBase64(
        'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACAQMAAABIeJ9nAAAABlBMVEX/AAAAAP9sof2OAAAADElEQVR4nGNwYGgAAAFEAME6ehxWAAAAAElFTkSuQmCC',
      ),
    );
    expect(Array.from(img.data)).toEqual([255, 0, 0, 255, 0, 0, 255, 255, 0, 0, 255, 255, 255, 0, 0, 255]);
  });
});
