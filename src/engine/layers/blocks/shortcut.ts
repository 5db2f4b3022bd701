import { z } from 'zod';
import { error } from '../../model/diagnostic';
import { joinChannels } from '../../shape/shape';
import { countOf } from '../../text/plural';
import { strides, units } from '../fields';
import { featureMap, isIssue } from '../feature-map';
import { defineLayer, failed } from '../kind';
import { expand } from '../../shape/shape';
import type { ModelLayer } from '../../model/model';
import { batchNormLayer, convLayer } from './specs';

/**
 * He et al. (2015) option A shortcut: the identity, subsampled by the stride (every s-th
 * position, x[::s], so the length becomes ⌈L/s⌉) and with zero channels appended up to
 * `filters` (split evenly before and after, as common CIFAR implementations do). No parameters.
 */
export const zeroPadShortcut = defineLayer({
  type: 'ZeroPadShortcut',
  template: { filters: 32, strides: 2 },
  category: 'block',
  summary: 'Option A residual shortcut: subsample by the stride and pad channels with zeros; no weights.',
  schema: z.strictObject({
    type: z.literal('ZeroPadShortcut'),
    filters: units('filters').describe('Channels after zero-padding.'),
    strides: strides(2).default(1),
  }),
  arity: 'one',
  infer: ({ spec, inputs: [x = []], format }) => {
    const map = featureMap('ZeroPadShortcut', x, null, format);
    if (isIssue(map)) return failed(map);
    if (spec.filters < map.channels) {
      return failed(
        error(
          'shortcut-narrowing',
          `Option A pads channels with zeros, so it cannot go from ${map.channels} down to ${countOf(spec.filters, 'channel')}. Use a projection shortcut (option B).`,
        ),
      );
    }
    const stride = expand(spec.strides, map.spatial.length);
    const spatial = map.spatial.map((d, i) => (d === null ? null : Math.ceil(d / (stride[i] ?? 1))));
    return {
      output: joinChannels(spatial, spec.filters, format),
      weights: [],
      macs: 0,
      field: spatial.map((_, from) => ({ from, size: 1, jump: stride[from] ?? 1, start: 0 })),
      issues: [],
    };
  },
});

/**
 * The shortcut layers of a residual block and the name of the tensor the block adds: the
 * input itself when shapes already match, else option A (zero-pad) or B (1×1 convolution with
 * the stride, then batch norm).
 */
export function shortcutLayers(
  option: 'A' | 'B',
  rank: number,
  inChannels: number,
  outChannels: number,
  stride: number,
  useBias: boolean,
): { layers: ModelLayer[]; output: string } {
  if (stride === 1 && inChannels === outChannels) return { layers: [], output: 'input' };
  if (option === 'A') {
    return {
      layers: [
        {
          name: 'shortcut',
          inputs: ['input'],
          spec: { type: 'ZeroPadShortcut', filters: outChannels, strides: stride },
        },
      ],
      output: 'shortcut',
    };
  }
  return {
    layers: [
      convLayer('shortcut_conv', rank, outChannels, 1, stride, 'valid', useBias, ['input']),
      batchNormLayer('shortcut_bn'),
    ],
    output: 'shortcut_bn',
  };
}
