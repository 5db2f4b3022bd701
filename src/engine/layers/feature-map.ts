import { error, type Issue } from '../model/diagnostic';
import { axisNames, formatShape } from '../shape/format';
import { splitChannels, type DataFormat, type FeatureMap, type Shape } from '../shape/shape';

/** A feature map whose channel count is known, as convolutions and normalisation need. */
export interface KnownFeatureMap {
  readonly spatial: Shape;
  readonly channels: number;
}

/** Describes the expected per-example layout: "height × width × channels". */
export function layoutText(spatialRank: number, format: DataFormat): string {
  const axes = [...axisNames(spatialRank)];
  return (format === 'channels_last' ? [...axes, 'channels'] : ['channels', ...axes]).join(' × ');
}

/**
 * Checks that `shape` is a feature map with `spatialRank` spatial axes (or any number when
 * `spatialRank` is null). Layers without weights (pooling, padding) accept any channel count.
 */
export function anyFeatureMap(
  type: string,
  shape: Shape,
  spatialRank: number | null,
  format: DataFormat,
): FeatureMap | Issue {
  const rank = spatialRank ?? Math.max(shape.length - 1, 1);
  if (shape.length !== rank + 1) return wrongRank(type, shape, rank, format);
  return splitChannels(shape, format);
}

/** As `anyFeatureMap`, and the channel count must be known: the layer learns weights per channel. */
export function featureMap(
  type: string,
  shape: Shape,
  spatialRank: number | null,
  format: DataFormat,
): KnownFeatureMap | Issue {
  const map = anyFeatureMap(type, shape, spatialRank, format);
  if (isIssue(map)) return map;
  const { spatial, channels } = map;
  if (channels === null) {
    return error(
      'unknown-channels',
      `${type} needs to know how many channels its input has (it learns weights for each), but ` +
        `the input is ${formatShape(shape)}. Give the model input a fixed channel count.`,
    );
  }
  return { spatial, channels };
}

function wrongRank(type: string, shape: Shape, rank: number, format: DataFormat): Issue {
  const got = `${shape.length}-D (${formatShape(shape)})`;
  let hint = '';
  if (shape.length === 1) {
    hint = ' A Flatten or Dense before it made the input a flat vector: move this layer before them.';
  } else if (shape.length === rank) {
    const gray = layoutText(rank, format).replace('channels', '1');
    hint = ` If it has no channel axis, Reshape it to ${gray}.`;
    if (rank === 2) hint += ' If it is a sequence (steps × features), use the 1-D version of this layer.';
  } else if (shape.length === rank + 2 && rank === 1) {
    hint = ' For images use the 2-D version of this layer.';
  }
  return error(
    'wrong-rank',
    `${type} needs a ${rank + 1}-D input per example (${layoutText(rank, format)}) but gets ${got}.${hint}`,
  );
}

/** Tells a checked value from the issue that replaced it. */
export function isIssue<T extends object>(value: T | Issue): value is Issue {
  return 'severity' in value;
}
