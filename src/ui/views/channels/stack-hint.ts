import type { Analysis, LayerResult } from '../../../engine/analysis/result';
import type { Notation } from '../../../engine/notation';
import { splitChannels } from '../../../engine/shape/shape';

const NAMES = 'abcdefgh';

/**
 * How to stack separate arrays into the channels a convolution on the model's input reads, in
 * the notation's framework: Keras `np.stack([a, b], axis=-1)` (H×W×2), PyTorch
 * `torch.stack([a, b], dim=1)` on batches (N×2×H×W). Null unless the layer reads the Input
 * directly and it has 2 to 8 channels (the "two matrices as channels" question).
 */
export function stackHint(
  analysis: Analysis,
  layer: LayerResult,
  notation: Notation,
): { code: string; text: string } | null {
  const source = analysis.layers.find((l) => l.name === layer.inputs[0]);
  const input = layer.inputShapes[0];
  if (source?.spec?.type !== 'Input' || !input) return null;
  const { channels, spatial } = splitChannels(input, analysis.model.dataFormat);
  if (channels === null || channels < 2 || channels > NAMES.length || spatial.some((d) => d === null)) return null;
  const arrays = `[${NAMES.slice(0, channels).split('').join(', ')}]`;
  const size = spatial.join('×');
  if (notation === 'pytorch') {
    return {
      code: `torch.stack(${arrays}, dim=1)`,
      text: ` turns ${channels} batches of N×${size} arrays into the N×${channels}×${size} input (one example: torch.stack(${arrays}) gives ${channels}×${size}).`,
    };
  }
  return {
    code: `np.stack(${arrays}, axis=-1)`,
    text: ` turns ${channels} arrays of ${size} into one ${size}×${channels} example (batches of N×${size} give N×${size}×${channels}).`,
  };
}
