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
  /** Model folders opened beside the run's models (GraphModels or LayersModels), by name. */
  const [extraNets, setExtraNets] = useState<string[]>([]);

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
        setExtraNets([]);
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

  /** Loads a picked TensorFlow.js model folder into the engine, named after the folder. */
  const addModel = useCallback(
    async (files: File[]) => {
      setError('');
      const folder = (files[0]?.webkitRelativePath || '').split('/')[0] || 'model';
      const name = folder.replace(/[^\w.-]+/g, '-');
      try {
        setStatus(`Loading model folder ${name}…`);
        await ready;
        const info = await engine.loadExternal(name, files);
        setInfos((prev) => ({ ...prev, [name]: info }));
        setExtraNets((prev) => (prev.includes(name) ? prev : [...prev, name]));
        setStatus(
          `Opened model folder ${name} (${info.external?.format}, ${info.inputSize}×${info.inputSize} input, ${info.numClasses} output(s)).`,
        );
      } catch (e) {
        setStatus('');
        setError(`Model folder ${name}: ${(e as Error).message}`);
      }
    },
    [engine, ready],
  );

  return { run, status, setStatus, error, setError, infos, modelErrors, openRun, extraNets, addModel };
}
