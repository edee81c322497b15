/** Text escaping and base64, without Node's Buffer or the browser's btoa (neither exists everywhere). */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (RFC 4648, with padding) of bytes. */
export function base64Encode(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  let k = 0;
  for (; k + 2 < bytes.length; k += 3) {
    const n = (bytes[k] << 16) | (bytes[k + 1] << 8) | bytes[k + 2];
    chunk += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
    // Flush now and then: joining a few big strings is cheaper than one ever-growing rope.
    if (chunk.length >= 65536) {
      parts.push(chunk);
      chunk = '';
    }
  }
  const rest = bytes.length - k;
  if (rest === 1) {
    const n = bytes[k] << 16;
    chunk += B64[n >> 18] + B64[(n >> 12) & 63] + '==';
  } else if (rest === 2) {
    const n = (bytes[k] << 16) | (bytes[k + 1] << 8);
    chunk += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + '=';
  }
  parts.push(chunk);
  return parts.join('');
}

/** A `data:` URI of PNG bytes, for `<img src>` in a self-contained page. */
export function pngDataUri(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array) || bytes.length < 8 || bytes[0] !== 0x89 || bytes[1] !== 0x50) {
    throw new Error('pngDataUri: bytes are not a PNG file; pass the output of encodePng.');
  }
  return `data:image/png;base64,${base64Encode(bytes)}`;
}

/** A `data:` URI of an SVG document (UTF-8, base64), for `<img src>`. */
export function svgDataUri(svg: string): string {
  if (!/<svg[\s>]/.test(svg)) throw new Error('svgDataUri: text is not an SVG document; pass an <svg>…</svg> string.');
  return `data:image/svg+xml;base64,${base64Encode(new TextEncoder().encode(svg))}`;
}

/** Escape text for HTML and XML content and attribute values. */
export function escapeXml(text: unknown): string {
  return (
    String(text)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;')
      // Control characters are not allowed in XML 1.0; drop them rather than emit an unreadable document.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}
