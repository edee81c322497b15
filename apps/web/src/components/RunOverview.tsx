import { memo } from 'react';
import type { LoadedRun } from '../run/types';
import { confusionSvg, curvesSvg } from './charts';
import { publicText } from './publicText';

const pct = (v: number | undefined) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '–');

/** The run's models: accuracies, training curves and confusion matrices. */
export const RunOverview = memo(function RunOverview({ run }: { run: LoadedRun }) {
  const m = run.metrics;
  const curves = run.figures['curves.svg'];
  const inlineCurves = curves ? undefined : curvesSvg(run);
  return (
    <section className="panel" aria-labelledby="models-title">
      <h2 id="models-title">Models of this run</h2>
      <p className="hint">
        {run.label}
        {m.createdAt ? ` · ${new Date(m.createdAt).toLocaleString()}` : ''}
        {m.backend ? ` · trained on ${m.backend}` : ''} · {m.classNames.length} people
      </p>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Models of this run (scrolls sideways)">
        <table className="models">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Description</th>
              <th scope="col">Input</th>
              <th scope="col">Train accuracy</th>
              <th scope="col">Test accuracy</th>
            </tr>
          </thead>
          <tbody>
            {run.nets.map((net) => {
              const n = m.nets[net];
              return (
                <tr key={net}>
                  <th scope="row">{net}</th>
                  <td>{n.description ?? ''}</td>
                  <td>
                    {n.inputSize}×{n.inputSize}
                  </td>
                  <td>{pct(n.trainAccuracy)}</td>
                  <td>
                    <strong>{pct(n.testAccuracy)}</strong>
                  </td>
                </tr>
              );
            })}
            {Object.entries(m.skipped ?? {}).map(([net, reason]) => (
              <tr key={net} className="muted">
                <th scope="row">{net}</th>
                <td colSpan={4}>skipped: {publicText(reason)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Training curves</h3>
      {curves ? (
        <img
          className="figure"
          src={curves}
          alt="Training and test accuracy of each model over the training iterations"
        />
      ) : inlineCurves ? (
        <div
          className="figure"
          role="img"
          aria-label="Training and test accuracy over the iterations"
          dangerouslySetInnerHTML={{ __html: inlineCurves }}
        />
      ) : (
        <p>No curves recorded in this run.</p>
      )}
      <h3>Confusion matrices</h3>
      <div className="confusions">
        {run.nets.map((net) => {
          const file = run.figures[`confusion-${net}.svg`];
          const inline = file ? undefined : confusionSvg(run, net);
          return (
            <details key={net}>
              <summary>{net}: rows = true person, columns = predicted</summary>
              {file ? (
                <img className="figure" src={file} alt={`Confusion matrix of ${net} on the test set`} />
              ) : inline ? (
                <div
                  className="figure"
                  role="img"
                  aria-label={`Confusion matrix of ${net}`}
                  dangerouslySetInnerHTML={{ __html: inline }}
                />
              ) : (
                <p>No confusion matrix recorded for {net}.</p>
              )}
            </details>
          );
        })}
      </div>
    </section>
  );
});
