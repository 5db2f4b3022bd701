import { explainLayer } from '../../engine/analysis/explain';
import type { LayerResult } from '../../engine/analysis/result';
import { findKind } from '../../engine/layers/registry';
import { countIn, countText } from '../../engine/analysis/param-counts';
import { fieldText as rfText, formatCount } from '../../engine/shape/format';
import { selectAnalysis, selectNotation, useAppStore } from '../../state/store';
import { shapeText, weightLines } from '../format';

interface Props {
  /** The inner layer, named by its id (`block/conv1`). */
  readonly layer: LayerResult;
  readonly parent: string;
}

/**
 * A layer inside a block: why its shape is what it is, its weights and counts. Its fields are the
 * block's (filters, stride, shortcut…), edited in the block's own form, one click away.
 */
export function InnerLayerDetails({ layer, parent }: Props) {
  const analysis = useAppStore(selectAnalysis);
  const notation = useAppStore(selectNotation);
  const select = useAppStore((s) => s.select);
  const format = analysis.model.dataFormat;
  const kind = layer.spec ? findKind(layer.spec.type) : undefined;
  const input = layer.inputShapes[0] ?? null;
  return (
    <aside className="inspector" aria-labelledby="inspector-title">
      <h2 id="inspector-title">{layer.name}</h2>
      <p className="kind">
        {layer.type}
        {kind && <span className="muted"> — {kind.summary}</span>}
      </p>
      <p className="inner-note">
        Inside the block <strong>{parent}</strong>, fed {shapeText(input, format, notation)}. Its fields follow the
        block’s; change them there.{' '}
        <button type="button" onClick={() => select(parent)}>
          Edit {parent}
        </button>
      </p>
      <section className="why" aria-label="Why this shape">
        <h3>Why this shape</h3>
        <p data-testid="why">{explainLayer(layer, format, notation)}</p>
      </section>
      <dl className="facts">
        <dt>Weights</dt>
        <dd>
          {layer.weights.length === 0
            ? 'none'
            : weightLines(layer.weights, notation).map((w) => (
                <span key={w.name} className="weight">
                  <span className="shape">{w.shape}</span> <span className="muted">{w.name}</span>
                </span>
              ))}
        </dd>
        <dt>Parameters</dt>
        <dd>{countText(countIn(layer, notation))}</dd>
        <dt>MACs</dt>
        <dd>{layer.macs === null ? 'depends on the input size' : formatCount(layer.macs)}</dd>
        <dt>Receptive field</dt>
        <dd>{layer.receptiveField ? `${rfText(layer.receptiveField)} (size / jump / start)` : 'none'}</dd>
      </dl>
    </aside>
  );
}
