import { useMemo } from 'react';
import type { Analysis, LayerResult } from '../../../engine/analysis/result';
import type { FileWeightSource, KernelAddress } from '../../../io/file-weights';
import { selectFileWeights } from '../../../state/file-weights';
import { useAppStore } from '../../../state/store';
import { withTrained, type WeightPart } from '../../../viz/weight-grid';

/**
 * Where a layer's kernel lies among its top-level layer's weights (Keras order): a block's
 * weights are its inner layers' in turn (`composite`), so an inner kernel's position is the
 * count of the weights before its layer plus its own index. Layers are matched by their weight
 * list, which a selected inner layer shares with the block's child it was copied from.
 */
export function kernelAddress(
  analysis: Analysis,
  layer: LayerResult,
  part: WeightPart,
  path: string,
): KernelAddress | null {
  const visit = (node: LayerResult, offset: number, depth: number): { index: number; depth: number } | null => {
    if (node.weights === layer.weights) {
      const own = node.weights.indexOf(part.tensor);
      return own < 0 ? null : { index: offset + own, depth };
    }
    let before = offset;
    for (const child of node.children ?? []) {
      const found = visit(child, before, depth + 1);
      if (found) return found;
      before += child.weights.length;
    }
    return null;
  };
  for (const top of analysis.layers) {
    const found = visit(top, 0, 0);
    if (!found) continue;
    const innerName =
      found.depth > 0 ? `${layer.name.split('/').pop() ?? layer.name}/${part.tensor.keras.name}:0` : undefined;
    return {
      layer: top.name,
      path,
      index: found.index,
      kerasShape: part.tensor.keras.shape,
      ...(innerName ? { innerName } : {}),
    };
  }
  return null;
}

/** What the view draws: the part (with the file's values when they fit) and where they come from. */
export interface PartValues {
  readonly part: WeightPart;
  /** The file the values come from, or null for initial values. */
  readonly file: string | null;
  /** Why the file's values are not shown (they no longer fit, the dataset is damaged), or null. */
  readonly problem: string | null;
}

export function partValues(
  weights: FileWeightSource | null,
  analysis: Analysis,
  layer: LayerResult,
  part: WeightPart,
  path: string,
): PartValues {
  const initial = { part, file: null, problem: null };
  if (!weights) return initial;
  const address = kernelAddress(analysis, layer, part, path);
  const kernel = address && weights.kernel(address, part);
  if (!kernel) return initial;
  if (!kernel.ok) return { ...initial, problem: kernel.why };
  return { part: withTrained(part, kernel), file: weights.fileName, problem: null };
}

/** The selected part with the open file's values, read the first time it is drawn. */
export function usePartValues(
  analysis: Analysis,
  layer: LayerResult | undefined,
  part: WeightPart | undefined,
  path: string,
) {
  const weights = useAppStore(selectFileWeights);
  return useMemo(
    () => (layer && part ? partValues(weights, analysis, layer, part, path) : null),
    [weights, analysis, layer, part, path],
  );
}
