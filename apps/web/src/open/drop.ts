import { relativeFile } from './relativeFile';
import { filesFromZip, isZip } from './zip';

type Entry = FileSystemEntry;

function readAll(dir: FileSystemDirectoryEntry): Promise<Entry[]> {
  const reader = dir.createReader();
  const out: Entry[] = [];
  // readEntries returns at most 100 entries per call: read until it returns none.
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(out);
        out.push(...batch);
        next();
      }, reject);
    next();
  });
}

async function walk(entry: Entry, prefix: string, out: File[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push(relativeFile(path, file, file.type));
  } else if (entry.isDirectory) {
    for (const child of await readAll(entry as FileSystemDirectoryEntry)) await walk(child, path, out);
  }
}

/**
 * The files of whatever was dropped on the page: a run folder (read recursively), a zip of one, or loose files.
 * The entries must be taken during the drop event, so call this synchronously from the handler.
 */
export function filesFromDrop(data: DataTransfer): Promise<File[]> {
  const entries = Array.from(data.items)
    .filter((i) => i.kind === 'file')
    .map((i) => i.webkitGetAsEntry?.())
    .filter((e): e is Entry => !!e);
  const loose = Array.from(data.files);
  return (async () => {
    if (entries.some((e) => e.isDirectory)) {
      const out: File[] = [];
      for (const e of entries) await walk(e, '', out);
      return out;
    }
    const zip = loose.find(isZip);
    return zip ? filesFromZip(zip) : loose;
  })();
}
