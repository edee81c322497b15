import { useCallback, useEffect, useState } from 'react';
import { Engine } from '../engine/client';
import { BACKEND_NAMES, type BackendChoice, type BackendName, type BackendState } from '../engine/protocol';

function backendFromQuery(): BackendChoice {
  const b = new URLSearchParams(window.location.search).get('backend');
  return (BACKEND_NAMES as readonly string[]).includes(b ?? '') ? (b as BackendName) : 'auto';
}

// One engine (worker + tfjs) per page, outside React so StrictMode's double renders don't start two.
let engineSingleton: { engine: Engine; ready: Promise<BackendState> } | undefined;
export function getEngine() {
  if (!engineSingleton) {
    const engine = new Engine();
    engineSingleton = { engine, ready: engine.init(backendFromQuery()) };
    // For tests, measurements and scripts/calibrate-crop.ts: the worker's tensor count and the face detector.
    (window as unknown as { lrpjsDebug: object }).lrpjsDebug = {
      memory: () => engine.memory(),
      face: async (blob: Blob) => engine.face(await createImageBitmap(blob)),
    };
  }
  return engineSingleton;
}

/** The engine, its backend (measured at start, changeable) and a counter that moves when the backend changes. */
export function useEngine() {
  const { engine, ready } = getEngine();
  const [backend, setBackendState] = useState<BackendState | null>(null);
  const [backendError, setBackendError] = useState('');
  const [switching, setSwitching] = useState(false);

  useEffect(() => {
    ready.then(
      (state) => {
        setBackendState(state);
        // Fetch the face detector's weights while the user looks around: the page then works offline.
        window.setTimeout(() => engine.prepareFace().catch(() => undefined), 1500);
      },
      (e: Error) => setBackendError(e.message),
    );
  }, [engine, ready]);

  const setBackend = useCallback(
    async (name: BackendName) => {
      setSwitching(true);
      setBackendError('');
      try {
        setBackendState(await engine.setBackend(name));
      } catch (e) {
        setBackendError(`Could not switch to ${name}: ${(e as Error).message}`);
      } finally {
        setSwitching(false);
      }
    },
    [engine],
  );

  return { engine, ready, backend, backendError, switching, setBackend };
}
