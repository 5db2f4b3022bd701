import type { Analysis } from '../../../engine/analysis/result';
import { splitChannels } from '../../../engine/shape/shape';
import type { MapsImage } from '../../../train/maps/protocol';
import type { SampleImage } from '../../../viz/samples';

/** Above this many multiply-accumulates for one image the picture is not computed in the page. */
export const MAC_BUDGET = 300e6;

/** What the model takes: an image of height × width × channels (a size may be open), or why not. */
export type ImageInput =
  { ok: true; height: number | null; width: number | null; channels: number } | { ok: false; why: string };

/** Whether the model reads an image-like tensor (one input, two spatial axes), and its size. */
export function imageInput(analysis: Analysis): ImageInput {
  if (!analysis.ok) return { ok: false, why: 'The model has errors; fix them (see the list) and the maps follow.' };
  const inputs = analysis.layers.filter((l) => l.spec?.type === 'Input');
  const input = inputs[0];
  if (!input?.output || inputs.length !== 1)
    return {
      ok: false,
      why: `Feature maps run one image through a model with one input; this model has ${inputs.length}.`,
    };
  const map = splitChannels(input.output, analysis.model.dataFormat);
  const rank = map.spatial.length;
  if (rank !== 2) {
    const what = rank === 1 ? 'a sequence (steps × features)' : rank === 0 ? 'a vector' : `a ${rank}-D volume`;
    return {
      ok: false,
      why: `This model reads ${what}, not an image: feature maps need an input of height × width × channels. ${rank > 2 ? 'The layer table gives every layer’s shape and receptive field per axis.' : 'The Volumes and Receptive field pictures show how its layers see the input.'}`,
    };
  }
  const [height = null, width = null] = map.spatial;
  const channels = map.channels ?? 1;
  return { ok: true, height, width, channels };
}

/** Why one image through the model is too much work for the page, or null when it is not. */
export function overBudget(analysis: Analysis): string | null {
  const macs = analysis.totals.macs;
  if (macs === null || macs <= MAC_BUDGET) return null;
  const millions = Math.round(macs / 1e6).toLocaleString('en-US');
  return `One image through this model takes ${millions} million multiply-accumulates, more than the ${MAC_BUDGET / 1e6} million this picture computes in the page (it runs on the CPU, in a worker). Pick a smaller input size or a smaller model to see its feature maps.`;
}

/**
 * A picture resized to the model's input (open sizes keep the picture's own) with the model's
 * channels: colour for 3, grey for 1 (luminance), the grey repeated for any other count.
 */
export function fitImage(
  sample: SampleImage,
  input: Extract<ImageInput, { ok: true }>,
): MapsImage & { rgba: Uint8ClampedArray } {
  const height = input.height ?? sample.height;
  const width = input.width ?? sample.width;
  const source = document.createElement('canvas');
  source.width = sample.width;
  source.height = sample.height;
  source
    .getContext('2d')
    ?.putImageData(new ImageData(new Uint8ClampedArray(sample.rgba), sample.width, sample.height), 0, 0);
  const target = document.createElement('canvas');
  target.width = width;
  target.height = height;
  const context = target.getContext('2d');
  context?.drawImage(source, 0, 0, width, height);
  const rgba = context?.getImageData(0, 0, width, height).data ?? new Uint8ClampedArray(width * height * 4);
  const channels = input.channels;
  const pixels = new Uint8Array(width * height * channels);
  for (let p = 0; p < width * height; p++) {
    const [r, g, b] = [rgba[p * 4] ?? 0, rgba[p * 4 + 1] ?? 0, rgba[p * 4 + 2] ?? 0];
    const grey = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    for (let c = 0; c < channels; c++) pixels[p * channels + c] = channels === 3 ? ([r, g, b][c] ?? 0) : grey;
  }
  // What the model sees, for the input row: its channels as a picture.
  const seen = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const v = channels === 3 ? [pixels[p * 3], pixels[p * 3 + 1], pixels[p * 3 + 2]] : [pixels[p * channels]];
    seen.set([v[0] ?? 0, v[1] ?? v[0] ?? 0, v[2] ?? v[0] ?? 0, 255], p * 4);
  }
  return { height, width, channels, pixels, rgba: seen };
}
