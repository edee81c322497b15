import { unzip } from 'fflate';
import { relativeFile } from './relativeFile';

/** True for a file that looks like a zip archive (by name or by type). */
export function isZip(file: File): boolean {
  return /\.zip$/i.test(file.name) || file.type === 'application/zip' || file.type === 'application/x-zip-compressed';
}

/**
 * The files of a zipped run folder, with their paths inside the archive (a zip of `runs/2025…/` keeps that
 * prefix; the run is then found by its metrics.json as for a picked folder).
 */
export async function filesFromZip(zip: File): Promise<File[]> {
  const bytes = new Uint8Array(await zip.arrayBuffer());
  const entries = await new Promise<Record<string, Uint8Array>>((resolve, reject) =>
    unzip(bytes, (err, data) => (err ? reject(err) : resolve(data))),
  ).catch((e: Error) => {
    throw new Error(`“${zip.name}” is not a readable zip archive (${e.message}); zip the run folder again.`);
  });
  return Object.entries(entries)
    .filter(([path]) => !path.endsWith('/') && !path.startsWith('__MACOSX/'))
    .map(([path, data]) => relativeFile(path, data as BlobPart));
}
