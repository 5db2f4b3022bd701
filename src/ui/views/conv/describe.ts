import type { LayerResult } from '../../../engine/analysis/result';
import type { LayerSpec } from '../../../engine/layers/registry';
import type { WindowModel } from './model';

const SIDES_2D = [
  ['top', 'bottom'],
  ['left', 'right'],
] as const;

/** The layer's window in one sentence: kernel, stride, dilation and where the padding goes. */
export function describeWindow(layer: LayerResult, model: WindowModel): string {
  const geometry = layer.geometry ?? [];
  const spec = layer.spec as LayerSpec;
  const k = geometry.map((g) => g.kernel).join('×');
  const what = model.kind === 'max' || model.kind === 'average' ? `${k} ${model.kind} pool` : `${k} kernel`;
  const strides = geometry.map((g) => g.stride).join('×');
  const dilations = geometry.map((g) => g.dilation).join('×');
  const parts = [what, `stride ${strides}`];
  if (geometry.some((g) => g.dilation > 1))
    parts.push(`dilation ${dilations} (${geometry.map((g) => g.dilation - 1).join('×')} gaps between taps)`);
  const mode = 'padding' in spec ? spec.padding : 'valid';
  return `${parts.join(', ')}; ${paddingText(mode, layer, model)}.`;
}

function paddingText(mode: unknown, layer: LayerResult, model: WindowModel): string {
  const geometry = layer.geometry ?? [];
  if (model.kind === 'transposed')
    return `drawn as a stride-1 convolution over the input with ${geometry.map((g) => g.stride - 1).join('×')} zeros between cells, as a transposed convolution computes`;
  const pads = geometry.map((g) => g.padding ?? [0, 0]);
  if (pads.every(([a, b]) => a === 0 && b === 0)) return `no padding ('${String(mode)}'): the kernel stays inside`;
  const sides = pads
    .map(([a, b], i) => {
      const [before, after] =
        pads.length === 1 ? ['left (past)', 'right (future)'] : (SIDES_2D[i] ?? ['before', 'after']);
      return `${a} ${before}, ${b} ${after}`;
    })
    .join('; ');
  if (mode === 'causal') return `causal padding: ${sides}, so output t never reads past input t`;
  if (mode === 'same' && pads.some(([a, b]) => a !== b))
    return `'same' padding: ${sides} (TensorFlow puts the odd cell after)`;
  return `${typeof mode === 'string' ? `'${mode}' ` : 'explicit '}padding: ${sides}`;
}
