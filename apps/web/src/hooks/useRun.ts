import { useCallback, useState } from 'react';
import type { Engine } from '../engine/client';
import type { BackendState, ModelInfo } from '../engine/protocol';
import { loadRun } from '../run/loadRun';
import type { RunSource } from '../run/source';
import type { LoadedRun } from '../run/types';

/** Opening a run: its files, then each model in the engine; status and errors in words. */
export function useRun(engine: Engine, ready: Promise<BackendState>) {
  const [run, setRun] = useState<LoadedRun | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [infos, setInfos] = useState<Record<string, ModelInfo>>({});
  const [modelErrors, setModelErrors] = useState<Record<string, string>>({});

  const openRun = useCallback(
    async (source: RunSource | (() => Promise<RunSource>)): Promise<LoadedRun | undefined> => {
      setError('');
      try {
        const src = typeof source === 'function' ? await source() : source;
        setStatus(`Opening ${src.label}…`);
        const loaded = await loadRun(src);
        await ready;
        await engine.unload();
        setRun(loaded);
        setInfos({});
        setModelErrors({});
        for (const net of loaded.nets) {
          setStatus(`Loading model ${net}…`);
          try {
            const info = await engine.load(net, loaded.models[net]);
            setInfos((prev) => ({ ...prev, [net]: info }));
          } catch (e) {
            setModelErrors((prev) => ({ ...prev, [net]: (e as Error).message }));
          }
        }
        setStatus(`Opened ${loaded.label}: ${loaded.nets.length} model(s).`);
        return loaded;
      } catch (e) {
        setStatus('');
        setError((e as Error).message);
        return undefined;
      }
    },
    [engine, ready],
  );

  return { run, status, setStatus, error, setError, infos, modelErrors, openRun };
}
