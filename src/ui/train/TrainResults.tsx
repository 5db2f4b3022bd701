import { useEffect, useRef, useState } from 'react';
import { useAppStore } from '../../state/store';
import type { DoneMessage, TrainingRun } from '../../state/train-slice';
import type { FeatureMap, Filters, Samples } from '../../train/protocol';
import { paintMap, paintPixels } from './pixels';
import { exportTrainedModel, inspectImage, loadWeights, saveWeights } from './trainer';

/** After a run: test accuracy, confusion matrix, predictions, first-layer filters and feature maps. */
export function TrainResults({ run }: { run: TrainingRun }) {
  const result = run.result as DoneMessage;
  const classes = run.model?.classes ?? [];
  const modelName = useAppStore((s) => s.model.name);
  const key = modelName.replace(/[^\w.-]+/g, '_') || 'model';
  return (
    <section className="train-results" aria-labelledby="train-results-title">
      <h3 id="train-results-title">
        {result.stopped ? 'Stopped' : 'Trained'}
        {result.testAccuracy !== null && (
          <>
            : <span className="accuracy">{(result.testAccuracy * 100).toFixed(1)}%</span> test accuracy
          </>
        )}
      </h3>
      <p className="muted">
        {run.epochs.length} epoch{run.epochs.length === 1 ? '' : 's'} in {result.seconds.toFixed(1)} s on{' '}
        {result.backend}, {Math.round(result.imagesPerSecond)} training images/s.
      </p>
      {run.restored ? (
        <p className="muted">
          A run kept in this browser ({run.settings ? `${String(run.settings.dataset)}, ` : ''}batch{' '}
          {run.settings?.batchSize}, {run.settings?.optimizer} at {run.settings?.learningRate}): its curves and numbers;
          its weights are kept only when saved.
        </p>
      ) : (
        <div className="button-row">
          <button type="button" onClick={() => saveWeights(key)}>
            Save weights in this browser
          </button>
          <button type="button" onClick={() => loadWeights(key)}>
            Load saved weights
          </button>
          <button type="button" onClick={exportTrainedModel}>
            Download model (TensorFlow.js)
          </button>
        </div>
      )}
      {run.notice && (
        <p className="train-notice" role="status">
          {run.notice}
        </p>
      )}
      <div className="results-grid">
        {result.confusion && <Confusion matrix={result.confusion} classes={classes} />}
        {result.samples && <SampleGrid samples={result.samples} classes={classes} />}
        {result.filters && <FilterGrid filters={result.filters} />}
      </div>
      {run.features && <FeatureMaps maps={run.features.maps} image={run.features.image} />}
    </section>
  );
}

function Confusion({ matrix, classes }: { matrix: readonly (readonly number[])[]; classes: readonly string[] }) {
  const max = Math.max(1, ...matrix.flat());
  // Short names head the columns; longer ones are numbered there and named on the rows.
  const numbered = classes.some((c) => c.length > 5);
  const rowName = (t: number) => (numbered ? `${t + 1}. ${classes[t]}` : classes[t]);
  return (
    <figure className="confusion">
      <figcaption>Confusion matrix: rows are the true class, columns the predicted one.</figcaption>
      <table>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">true \ predicted</span>
            </th>
            {classes.map((c, i) => (
              <th key={c} scope="col" title={c}>
                {numbered ? i + 1 : c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, t) => (
            <tr key={t}>
              <th scope="row">{rowName(t)}</th>
              {row.map((n, p) => (
                <td
                  key={p}
                  className={t === p ? 'diagonal' : undefined}
                  style={{ '--share': n / max } as React.CSSProperties}
                >
                  {n}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function SampleGrid({ samples, classes }: { samples: Samples; classes: readonly string[] }) {
  const size = samples.shape[0] * samples.shape[1] * samples.shape[2];
  return (
    <figure className="samples">
      <figcaption>Test images, the prediction and its probability (choose one to see its feature maps).</figcaption>
      <ul>
        {samples.labels.map((label, i) => {
          const predicted = samples.predicted[i] as number;
          const right = predicted === label;
          return (
            <li key={i} className={right ? 'right' : 'wrong'}>
              <button type="button" onClick={() => inspectImage(i)} aria-label={`Feature maps of test image ${i + 1}`}>
                <Picture pixels={samples.pixels.subarray(i * size, (i + 1) * size)} shape={samples.shape} />
              </button>
              <span>
                {classes[predicted]} {Math.round((samples.confidence[i] as number) * 100)}%
                {!right && <span className="truth"> (is {classes[label]})</span>}
              </span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}

function Picture({ pixels, shape }: { pixels: Uint8Array; shape: readonly number[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current) paintPixels(canvas.current, pixels, shape);
  }, [pixels, shape]);
  return <canvas ref={canvas} className="pixels" />;
}

/** The first convolution's filters as pictures: RGB when it reads three channels, else grey per channel. */
function FilterGrid({ filters }: { filters: Filters }) {
  const [out, inChannels, kh, kw] = filters.shape as [number, number, number, number];
  const shown = Math.min(out, 64);
  return (
    <figure className="filters">
      <figcaption>
        {filters.layer}: the first {shown} of {out} learned filters ({kh}×{kw}
        {inChannels === 3 ? ', RGB' : `, channel 1 of ${inChannels}`}).
      </figcaption>
      <div className="filter-grid">
        {Array.from({ length: shown }, (_, f) => (
          <FilterPicture key={f} filters={filters} index={f} />
        ))}
      </div>
    </figure>
  );
}

function FilterPicture({ filters, index }: { filters: Filters; index: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const [, c, kh, kw] = filters.shape as [number, number, number, number];
    const per = c * kh * kw;
    const w = filters.values.subarray(index * per, (index + 1) * per);
    if (!canvas.current) return;
    if (c !== 3) {
      paintMap(canvas.current, w.subarray(0, kh * kw), kh, kw);
      return;
    }
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of w) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    const pixels = new Uint8Array(kh * kw * 3);
    for (let ch = 0; ch < 3; ch++)
      for (let i = 0; i < kh * kw; i++)
        pixels[i * 3 + ch] = ((w[ch * kh * kw + i] as number) - lo) * (255 / (hi - lo || 1));
    paintPixels(canvas.current, pixels, [kh, kw, 3]);
  }, [filters, index]);
  return <canvas ref={canvas} className="pixels filter" aria-label={`filter ${index + 1}`} role="img" />;
}

function FeatureMaps({ maps, image }: { maps: readonly FeatureMap[]; image: number }) {
  const [all, setAll] = useState(false);
  const shown = all ? maps : maps.slice(0, 12);
  return (
    <figure className="feature-maps">
      <figcaption>
        Test image {image + 1} through the network: each layer's output (first channels), with its shape.
      </figcaption>
      <ol>
        {shown.map((m) => (
          <li key={m.layer}>
            <span className="layer">{m.layer}</span> <span className="muted">{m.shape.join('×')}</span>
            <div className="maps">
              {m.channels.map((values, c) => (
                <MapPicture key={c} values={values} shape={m.shape} />
              ))}
            </div>
          </li>
        ))}
      </ol>
      {maps.length > shown.length && (
        <button type="button" onClick={() => setAll(true)}>
          Show all {maps.length} layers
        </button>
      )}
    </figure>
  );
}

function MapPicture({ values, shape }: { values: Float32Array; shape: readonly number[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const [h, w] = shape.length === 3 ? shape : [1, values.length];
    if (canvas.current) paintMap(canvas.current, values, h as number, w as number);
  }, [values, shape]);
  return <canvas ref={canvas} className="pixels map" />;
}
