import type { Analysis } from '../../../engine/analysis/result';
import type { FileWeight } from './hdf5';

const shapeText = (shape: readonly number[]) => (shape.length ? shape.join('×') : 'scalar');

/**
 * Compares the weights a file holds with the weights the analysis gives each layer, in Keras
 * order (kernel, bias; batch norm's gamma, beta, moving mean, moving variance). Each mismatch is
 * a message naming the layer and where its weights lie in the file; a layer the analysis could
 * not build is not compared (it has its own message).
 */
export function checkWeightShapes(
  analysis: Analysis,
  weights: ReadonlyMap<string, readonly FileWeight[]>,
  at: string,
): string[] {
  const problems: string[] = [];
  const names = new Set(analysis.layers.map((l) => l.name));
  // A file saved without weights is said once, not once per layer.
  if ([...weights.values()].every((list) => list.length === 0)) {
    const needing = analysis.layers.filter((l) => l.spec && l.output && l.weights.length > 0).length;
    return needing ? [`${at}: the file holds no weights (only the architecture was read).`] : [];
  }
  for (const layer of analysis.layers) {
    if (!layer.spec || !layer.output) continue;
    const expected = layer.weights.map((w) => w.keras.shape);
    const held = weights.get(layer.name)?.map((w) => w.shape) ?? [];
    if (expected.length === 0 && held.length === 0) continue;
    const same = expected.length === held.length && expected.every((s, i) => shapeText(s) === shapeText(held[i] ?? []));
    if (same) continue;
    problems.push(
      `${at}/${layer.name}: the file holds ${held.length ? held.map(shapeText).join(', ') : 'no weights'}; ` +
        `the layer as read needs ${expected.length ? expected.map(shapeText).join(', ') : 'none'}.`,
    );
  }
  for (const [name, list] of weights) {
    if (!names.has(name) && list.length) problems.push(`${at}/${name}: weights for a layer the model does not have.`);
  }
  return problems;
}
