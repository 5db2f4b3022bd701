import { keptAxes } from '../../engine/layers/preprocessing';
import type { LayerSpec } from '../../engine/layers/registry';
import type { LayerCode, LayerContext } from './pytorch-layers';
import { pythonLiteral } from './python-text';

/**
 * Keras' Normalization as the `Normalization` helper module. Its statistics are shaped for
 * PyTorch's layout: a channels-last model's channels come first there.
 */
export function normalizationModule(ctx: LayerContext, x: string): LayerCode | string {
  const spec = ctx.spec as Extract<LayerSpec, { type: 'Normalization' }>;
  const input = ctx.layer.inputShapes[0] ?? [];
  const kept = keptAxes(spec.axis, input);
  if (typeof kept === 'string') return kept;
  const moved = ctx.format === 'channels_last' && input.length > 1;
  const torchAxis = (j: number) => (moved ? (j === input.length - 1 ? 0 : j + 1) : j);
  if (moved && kept.length > 1 && (Array.isArray(spec.mean) || Array.isArray(spec.variance)))
    return 'fixed statistics over several axes of a channels-last model cannot be reordered for PyTorch.';
  const shape = input.map(() => 1);
  for (const j of kept) shape[torchAxis(j)] = input[j] ?? 1;
  const args = [
    pythonLiteral(shape),
    ...(spec.mean === undefined ? [] : [`mean=${pythonLiteral(spec.mean)}`]),
    ...(spec.variance === undefined ? [] : [`variance=${pythonLiteral(spec.variance)}`]),
    ...(spec.invert ? ['invert=True'] : []),
    ...(spec.mean === undefined ? ['adapted=True'] : []),
  ];
  return {
    module: `Normalization(${args.join(', ')})`,
    lines: [`${ctx.out} = ${ctx.self}(${x})`],
    helpers: ['Normalization'],
  };
}
