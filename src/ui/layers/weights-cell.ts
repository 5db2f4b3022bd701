import type { LayerResult } from '../../engine/analysis/result';
import type { WeightTensor } from '../../engine/model/weights';
import { weightIn, type Notation } from '../../engine/notation';
import { formatShape } from '../../engine/shape/format';

/**
 * A layer's weight tensors for a narrow cell: their shapes ("64×32×5×5 · 64"), each named in the
 * notation where shapes alone repeat and so say nothing (batch norm's four vectors: PyTorch
 * "weight 16 · bias 16 · running_mean 16 · running_var 16", Keras "gamma 16 · beta 16 · …").
 */
export function weightsText(weights: readonly WeightTensor[], notation: Notation): string {
  const named = weights.map((w) => weightIn(w, notation));
  const shapes = named.map((w) => formatShape(w.shape));
  const repeats = new Set(shapes).size < shapes.length;
  return named.map((w, i) => (repeats ? `${w.name} ${shapes[i]}` : shapes[i])).join(' · ');
}

/** What a block's inner layer with weights is, in a word or two: "3×3 conv", "BN". */
function partLabel(layer: LayerResult): string {
  const kernel = (layer.geometry ?? []).map((g) => g.kernel).join('×');
  switch (layer.spec?.type) {
    case 'Conv1D':
    case 'Conv2D':
      return `${kernel} conv`;
    case 'DepthwiseConv2D':
      return `${kernel} depthwise conv`;
    case 'BatchNormalization':
      return 'BN';
    case 'Dense':
      return 'dense';
    default:
      return layer.type;
  }
}

/**
 * What a block's weights are, by its inner layers that have any, counted in the order they
 * first come: a ResNet basic block is "3×3 conv ×2 + BN ×2", with a projection shortcut
 * "3×3 conv ×2 + BN ×3 + 1×1 conv".
 */
export function blockWeightsText(children: readonly LayerResult[]): string {
  const counts = new Map<string, number>();
  for (const child of children) {
    if (child.weights.length === 0) continue;
    const label = partLabel(child);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  if (counts.size === 0) return 'none';
  return [...counts].map(([label, n]) => (n > 1 ? `${label} ×${n}` : label)).join(' + ');
}
