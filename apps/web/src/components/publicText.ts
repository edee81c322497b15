/**
 * A CLI message made fit for the page: absolute local paths become their file name (they say nothing to a
 * visitor and leak the author's disk layout) and checksums are dropped.
 */
export function publicText(text: string): string {
  return text
    .replace(/\s*\(?\b(md5|sha1|sha256)\b[:=\s]*[0-9a-f]{16,}\)?/gi, '')
    .replace(/\b[0-9a-f]{32,64}\b/gi, '')
    .replace(/(?:[A-Za-z]:)?(?:[\\/][^\\/\s'"`,;:()]+){2,}[\\/]([^\\/\s'"`,;:()]+)/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
}
