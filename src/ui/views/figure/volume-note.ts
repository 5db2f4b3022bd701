import type { LayerResult } from '../../../engine/analysis/result';
import { splitChannels, type DataFormat } from '../../../engine/shape/shape';

/** Spatial axes of a layer's output (or, without one, its input); 0 for a vector or nothing. */
export function spatialRankOf(layer: LayerResult, format: DataFormat): number {
  const shape = layer.output ?? layer.inputShapes[0];
  return shape && shape.length >= 2 ? splitChannels(shape, format).spatial.length : 0;
}

/**
 * Why a picture drawn for sequences and images does not show this layer: it works on 3-D volumes
 * (Conv3D and its kin, video and scans). Null for the layers the pictures draw.
 */
export function volumeNote(layer: LayerResult | null | undefined, format: DataFormat): string | null {
  if (!layer || spatialRankOf(layer, format) < 3) return null;
  return (
    `${layer.name} (${layer.type}) works on 3-D volumes (depth × height × width). This picture is drawn for ` +
    `1-D and 2-D layers; the layer table gives its shapes, weights and receptive field per axis. Pick a 1-D or 2-D layer:`
  );
}
