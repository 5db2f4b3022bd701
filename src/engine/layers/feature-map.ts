import { error, type Issue } from '../model/diagnostic';
import { layoutSlot, message, shapeSlot, type Message } from '../text/message';
import { splitChannels, type DataFormat, type FeatureMap, type Shape } from '../shape/shape';

/** A feature map whose channel count is known, as convolutions and normalisation need. */
export interface KnownFeatureMap {
  readonly spatial: Shape;
  readonly channels: number;
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
  if (shape.length !== rank + 1) return wrongRank(type, shape, rank);
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
      message`${type} needs to know how many channels its input has (it learns weights for each), but the input is ${shapeSlot(shape)}. Give the model input a fixed channel count.`,
    );
  }
  return { spatial, channels };
}

function wrongRank(type: string, shape: Shape, rank: number): Issue {
  let hint: Message = [];
  if (shape.length === 1) {
    hint = [' A Flatten or Dense before it made the input a flat vector: move this layer before them.'];
  } else if (shape.length === rank) {
    hint = [' If it has no channel axis, add one of size 1 with a Reshape.'];
    if (rank === 2) hint = [...hint, ' If it is a sequence (steps × features), use the 1-D version of this layer.'];
    if (rank === 3)
      hint = [...hint, ' If it is an image (height × width × channels), use the 2-D version of this layer.'];
  } else if (shape.length === rank + 2 && rank === 1) {
    hint = [' For images use the 2-D version of this layer.'];
  } else if (shape.length === rank + 2 && rank === 2) {
    hint = [' For volumes (depth × height × width × channels) use the 3-D version of this layer.'];
  }
  return error(
    'wrong-rank',
    message`${type} needs a ${rank + 1}-D input per example (${layoutSlot(rank)}) but gets ${shape.length}-D (${shapeSlot(shape)}).${hint}`,
  );
}

/** Tells a checked value from the issue that replaced it. */
export function isIssue<T extends object>(value: T | Issue): value is Issue {
  return 'severity' in value;
}
