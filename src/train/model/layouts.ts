import type * as tf from '@tensorflow/tfjs';
import type { DataFormat } from '../../engine/shape/shape';

/**
 * Channels-first models (AlexNet) run channels-last inside: tfjs' kernels are NHWC on every
 * backend (tfjs-layers' own channelsFirst transposes around every convolution), and the data
 * sets are height × width × channels. The model reads and writes channels-last tensors, and
 * transposes only where the engine's layout matters (Flatten's order, Reshape, Permute, Dense
 * on a feature map, softmax over the last axis, an explicit axis). Which layers' outputs are
 * channels-last is recorded in the model's metadata, so shapes can be shown in the engine's
 * layout.
 */
interface LayoutMetadata {
  readonly dataFormat: DataFormat;
  /** tfjs layer names whose output is channels-last while the engine's is channels-first. */
  readonly channelsLast: readonly string[];
}

const KEY = 'convscope';

export function writeLayouts(model: tf.LayersModel, dataFormat: DataFormat, channelsLast: Iterable<string>): void {
  const metadata: LayoutMetadata = { dataFormat, channelsLast: [...channelsLast] };
  model.setUserDefinedMetadata({ [KEY]: metadata });
}

/** Names of the layers whose output is channels-last while the engine's is channels-first. */
export function channelsLastLayers(model: tf.LayersModel): ReadonlySet<string> {
  const all = model.getUserDefinedMetadata() as Record<string, LayoutMetadata | undefined> | undefined;
  return new Set(all?.[KEY]?.channelsLast ?? []);
}

/** A per-example shape from channels-last back to channels-first (the last axis moves to the front). */
export function toChannelsFirst<T>(shape: readonly T[]): T[] {
  return shape.length < 2 ? [...shape] : [shape[shape.length - 1] as T, ...shape.slice(0, -1)];
}

/** A per-example shape from channels-first to channels-last. */
export function toChannelsLast<T>(shape: readonly T[]): T[] {
  return shape.length < 2 ? [...shape] : [...shape.slice(1), shape[0] as T];
}
