import { explainLayer } from '../../engine/analysis/explain';
import type { LayerResult } from '../../engine/analysis/result';
import { selectAnalysis, selectNotation, useAppStore } from '../../state/store';
import { shapeText } from '../format';
import { LayerFacts } from './LayerFacts';

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
  const input = layer.inputShapes[0] ?? null;
  return (
    <aside className="inspector" aria-labelledby="inspector-title">
      <h2 id="inspector-title">{layer.name}</h2>
      <section className="why" aria-label="Why this shape">
        <h3>Why this shape</h3>
        <p data-testid="why">{explainLayer(layer, format, notation)}</p>
      </section>
      <LayerFacts layer={layer} notation={notation} />
      <p className="inner-note">
        Inside the block <strong>{parent}</strong>, fed {shapeText(input, format, notation)}. Its fields follow the
        block’s; change them there.{' '}
        <button type="button" onClick={() => select(parent)}>
          Edit {parent}
        </button>
      </p>
    </aside>
  );
}
