import { FileButton } from './FileButton';

/** Where a run comes from: a folder, a zip of one, or a drop anywhere on the page; with status and errors. */
export function RunOpener(props: {
  onFolder: (files: FileList) => void;
  onZip: (file: File) => void;
  /** A TensorFlow.js model folder to explain beside the run's models (needs an open run). */
  onModel: (files: FileList) => void;
  canAddModel: boolean;
  status: string;
  error: string;
}) {
  return (
    <div className="run-open">
      <div className="run-buttons">
        <FileButton id="pick-run" directory onFiles={props.onFolder}>
          Open run folder…
        </FileButton>
        <FileButton id="pick-zip" accept=".zip,application/zip" onFiles={(files) => props.onZip(files[0])}>
          Open zipped run…
        </FileButton>
        <FileButton id="pick-model" directory onFiles={props.onModel} disabled={!props.canAddModel}>
          Add model folder…
        </FileButton>
      </div>
      <p className="hint">
        or drop a run folder or its zip anywhere on the page. A model folder (model.json + shards of a TensorFlow.js
        GraphModel or LayersModel, taking [0, 1] RGB pixels) is explained beside the run’s models.
      </p>
      {props.status && (
        <p className="status" role="status" aria-live="polite" data-testid="run-status">
          {props.status}
        </p>
      )}
      {props.error && (
        <p className="error" role="alert" data-testid="run-error">
          {props.error}
        </p>
      )}
    </div>
  );
}
