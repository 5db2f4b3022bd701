import type { LayerResult } from '../../../engine/analysis/result';
import type { LayerSpec } from '../../../engine/layers/registry';
import { splitChannels, type DataFormat } from '../../../engine/shape/shape';

/** Which input channels each filter of a convolution reads, and what it makes. */
export interface ChannelPlan {
  readonly channels: number;
  readonly filters: number;
  readonly kernel: readonly number[];
  /** Spatial sizes of the input and the output maps. */
  readonly inputSizes: readonly (number | null)[];
  readonly outputSizes: readonly (number | null)[];
  readonly groups: number;
  readonly depthwise: boolean;
  readonly bias: boolean;
  /** The input channels filter f reads: [first, last + 1). */
  reads(filter: number): readonly [number, number];
}

/**
 * A convolution's filters and the channels they span: every filter reads all channels of its
 * group (groups = 1: all of them) and sums them into one output channel; a depthwise filter reads
 * one channel (PyTorch: groups = in_channels, Keras DepthwiseConv2D's depth_multiplier filters per channel).
 */
export function channelPlan(layer: LayerResult, format: DataFormat): ChannelPlan | null {
  const spec = layer.spec as LayerSpec | null;
  const input = layer.inputShapes[0];
  if (!spec || !input || !layer.output || !layer.geometry) return null;
  if (spec.type !== 'Conv1D' && spec.type !== 'Conv2D' && spec.type !== 'DepthwiseConv2D') return null;
  const x = splitChannels(input, format);
  const y = splitChannels(layer.output, format);
  const channels = x.channels;
  const filters = y.channels;
  if (channels === null || filters === null) return null;
  const depthwise = spec.type === 'DepthwiseConv2D';
  const groups = depthwise ? channels : spec.groups;
  const perGroupIn = channels / groups;
  const perGroupOut = filters / groups;
  return {
    channels,
    filters,
    kernel: layer.geometry.map((g) => g.kernel),
    inputSizes: x.spatial,
    outputSizes: y.spatial,
    groups,
    depthwise,
    bias: spec.useBias,
    reads: (f) => {
      const g = Math.floor(f / perGroupOut);
      return [g * perGroupIn, (g + 1) * perGroupIn];
    },
  };
}
