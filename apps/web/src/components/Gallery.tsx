import { memo } from 'react';
import { shortName } from '../run/pixels';
import type { LoadedRun } from '../run/types';

/** The run's test images (from the smallest atlas) with the true name and each model's prediction. */
export const Gallery = memo(function Gallery(props: {
  run: LoadedRun;
  selected: number;
  onSelect: (i: number) => void;
}) {
  const { run } = props;
  const g = run.gallery;
  const names = run.metrics.classNames;
  const atlas = Object.values(run.atlases).sort((a, b) => a.size - b.size)[0];
  if (!g || !atlas) {
    return (
      <section className="panel" aria-labelledby="gallery-title">
        <h2 id="gallery-title">Test images</h2>
        <p>This run has no gallery (gallery/gallery.json and its atlas PNGs); re-run the CLI to write one.</p>
      </section>
    );
  }
  const nets = run.nets.filter((n) => g.predictions[n]);
  const thumb = 80;
  const k = thumb / atlas.size;
  return (
    <section className="panel" aria-labelledby="gallery-title">
      <h2 id="gallery-title">Test images</h2>
      <p className="hint">
        The first {g.count} test images. Under each: the true person, then each model’s prediction (✓ right, a name when
        wrong). Select one to explain it.
      </p>
      <ul className="gallery">
        {Array.from({ length: g.count }, (_, i) => {
          const truth = g.targets[i];
          const x = (i % g.columns) * atlas.size * k;
          const y = Math.floor(i / g.columns) * atlas.size * k;
          const preds = nets.map((n) => ({ net: n, p: g.predictions[n][i] }));
          const label = `Test image ${i + 1}: ${names[truth]}. ${preds
            .map(({ net, p }) => `${net} predicts ${names[p]}${p === truth ? ' (right)' : ' (wrong)'}`)
            .join('; ')}`;
          return (
            <li key={i}>
              <button
                type="button"
                className="thumb"
                aria-pressed={props.selected === i}
                title={label}
                data-index={i}
                onClick={() => props.onSelect(i)}
              >
                <span
                  aria-hidden="true"
                  className="thumb-img"
                  style={{
                    width: thumb,
                    height: thumb,
                    backgroundImage: `url(${atlas.url})`,
                    backgroundSize: `${atlas.width * k}px ${atlas.height * k}px`,
                    backgroundPosition: `-${x}px -${y}px`,
                  }}
                />
                <span className="thumb-name">{shortName(names[truth])}</span>
                {/* The name read out starts with the visible surname, then says what the marks below mean. */}
                <span className="visually-hidden">: {label}</span>
                <span className="thumb-preds" aria-hidden="true">
                  {preds.map(({ net, p }) => (
                    <span key={net} className={p === truth ? 'right' : 'wrong'}>
                      {net.replace(/^net/, '')}
                      {p === truth ? '✓' : `:${shortName(names[p])}`}
                    </span>
                  ))}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
});
