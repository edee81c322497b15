import { useRef, type ReactNode } from 'react';

/** A real, focusable button that opens a hidden file input (labels of file inputs are not keyboard-reachable). */
export function FileButton(props: {
  id: string;
  children: ReactNode;
  accept?: string;
  directory?: boolean;
  disabled?: boolean;
  onFiles: (files: FileList) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const directory = props.directory ? { webkitdirectory: '', directory: '' } : {};
  return (
    <>
      <button type="button" className="button" disabled={props.disabled} onClick={() => input.current?.click()}>
        {props.children}
      </button>
      <input
        ref={input}
        id={props.id}
        type="file"
        hidden
        multiple={props.directory}
        accept={props.accept}
        {...directory}
        onChange={(e) => {
          const files = e.currentTarget.files;
          if (files && files.length > 0) props.onFiles(files);
          e.currentTarget.value = '';
        }}
      />
    </>
  );
}
