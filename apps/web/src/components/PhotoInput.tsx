import { useState } from 'react';
import { FileButton } from './FileButton';

/** Drop or pick a photo; errors (not an image, no face) are shown here, in words. */
export function PhotoInput(props: { onPhoto: (file: File) => Promise<void>; disabled: boolean }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);

  const handle = async (file: File | undefined) => {
    if (!file) return;
    setError('');
    setBusy(true);
    try {
      await props.onPhoto(file);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="photo-title">
      <h2 id="photo-title">Your own photo</h2>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          // The page-level drop (run folders and zips) must not see the photo too.
          e.stopPropagation();
          setOver(false);
          if (props.disabled) return setError('Open a run first: your photo is explained by the run’s models.');
          void handle(e.dataTransfer.files[0]);
        }}
      >
        <p>
          Drop a photo here or{' '}
          <FileButton
            id="photo-file"
            accept="image/*"
            disabled={props.disabled}
            onFiles={(files) => void handle(files[0])}
          >
            choose a photo…
          </FileButton>
        </p>
        <p className="hint">
          The face is found with face-api’s SSD detector, cropped as LFW is cropped (or by hand, when no face is found
          or you move the square), and classified and explained by each model
          {props.disabled ? ' (open a run first)' : ''}. The photo stays in this browser.
        </p>
      </div>
      <p className="status" role="status" aria-live="polite">
        {busy ? 'Looking for a face…' : ''}
      </p>
      {error && (
        <p className="error" role="alert" data-testid="photo-error">
          {error}
        </p>
      )}
    </section>
  );
}
