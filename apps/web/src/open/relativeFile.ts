/**
 * A File that carries its path inside a run folder, as `<input webkitdirectory>` gives it. tfjs matches weight
 * files by their base name, so `name` stays the base name and the path goes into `webkitRelativePath`.
 */
export function relativeFile(path: string, data: BlobPart, type = ''): File {
  const clean = path.replace(/\\/g, '/').replace(/^\/+/, '');
  const file = new File([data], clean.split('/').pop() || clean, { type });
  Object.defineProperty(file, 'webkitRelativePath', { value: clean });
  return file;
}
