import { FileButton } from './FileButton';

/** Where a run comes from: a folder, a zip of one, or a drop anywhere on the page; with status and errors. */
export function RunOpener(props: {
  onFolder: (files: FileList) => void;
  onZip: (file: File) => void;
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
      </div>
      <p className="hint">or drop a run folder or its zip anywhere on the page.</p>
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
