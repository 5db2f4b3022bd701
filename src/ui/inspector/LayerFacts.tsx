import { countIn, countText } from '../../engine/analysis/param-counts';
import type { LayerResult } from '../../engine/analysis/result';
import { findKind } from '../../engine/layers/registry';
import type { Notation } from '../../engine/notation';
import { fieldText as rfText, formatCount } from '../../engine/shape/format';
import { weightLines } from '../format';
import { FIELD_HELP } from '../layers/field-help';

/**
 * What a layer is and what it holds: its kind, its weight tensors in the notation, parameters
 * counted as the notation's framework counts them, MACs and receptive field (size / jump / start).
 */
export function LayerFacts({ layer, notation }: { readonly layer: LayerResult; readonly notation: Notation }) {
  const kind = layer.spec ? findKind(layer.spec.type) : undefined;
  return (
    <>
      <p className="kind">
        {layer.type}
        {kind && <span className="muted"> — {kind.summary}</span>}
      </p>
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
        <dd>
          {layer.receptiveField
            ? `${rfText(layer.receptiveField)} (size / jump / start)`
            : 'none: positions no longer exist after this layer'}
          {layer.receptiveField && <p className="field-doc">{FIELD_HELP}</p>}
        </dd>
      </dl>
    </>
  );
}
