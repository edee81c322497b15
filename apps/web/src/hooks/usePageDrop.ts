import { useEffect } from 'react';
import { filesFromDrop } from '../open/drop';

/** A run folder or zip dropped anywhere on the page (the photo drop zone handles its own drops). */
export function usePageDrop(onFiles: (files: Promise<File[]>) => void): void {
  useEffect(() => {
    const over = (e: DragEvent) => e.preventDefault();
    const drop = (e: DragEvent) => {
      e.preventDefault();
      if (e.dataTransfer) onFiles(filesFromDrop(e.dataTransfer));
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [onFiles]);
}
