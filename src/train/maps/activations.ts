import * as tf from '@tensorflow/tfjs';
import { analyzeModel } from '../../engine/analysis/analyze';
import { layerIds, splitInnerId } from '../../engine/analysis/inner';
import type { Analysis } from '../../engine/analysis/result';
import type { Model } from '../../engine/model/model';
import { buildModel } from '../model/build';
import { channelsLastLayers } from '../model/layouts';
import { childName, tfjsName } from '../model/names';
import type { LayerMaps, MapsImage } from './protocol';

/** Seed of the initial weights: the same model always shows the same maps. */
const SEED = 1;

/**
 * Runs `model` on one image with the builder's initial weights (He-normal convolutions, as
 * training starts) and returns every layer's output (top-level layers and those inside blocks),
 * the first `maxChannels` channels of each. The image is standardised per channel (mean 0,
 * standard deviation 1), as a normalised data set would be. Throws a plain message when the
 * model cannot be built for this image.
 */
export function activations(model: Model, image: MapsImage, maxChannels: number): LayerMaps[] {
  const analysis = analyzeModel(model);
  const channelsFirst = model.dataFormat === 'channels_first';
  const inputShape = channelsFirst
    ? [image.channels, image.height, image.width]
    : [image.height, image.width, image.channels];
  const built = buildModel(analysis, { inputShape, seed: SEED });
  if (!built.ok) throw new Error(built.layer ? `${built.layer}: ${built.error}` : built.error);
  const net = built.model;
  try {
    const probes = probesOf(analysis, net);
    const last = channelsLastLayers(net);
    const outputs = tf.tidy(() => {
      const x = tf.tensor(standardised(image), [1, image.height, image.width, image.channels]);
      const probe = tf.model({ inputs: net.inputs, outputs: probes.map((p) => p.layer.output as tf.SymbolicTensor) });
      const raw = [probe.predict(x, { batchSize: 1 })].flat() as tf.Tensor[];
      // Channels-first models keep some outputs in the engine's layout: bring them channels-last.
      return raw.map((out, i) =>
        channelsFirst && !last.has((probes[i] as Probe).layer.name) && out.rank > 2 ? moveFirstToLast(out) : out,
      );
    });
    try {
      return outputs.map((out, i) => mapsOf((probes[i] as Probe).id, out, maxChannels));
    } finally {
      tf.dispose(outputs);
    }
  } finally {
    net.dispose();
  }
}

interface Probe {
  readonly id: string;
  readonly layer: tf.layers.Layer;
}

/** The tfjs layer holding each engine layer's output (see train/model/names.ts). */
function probesOf(analysis: Analysis, net: tf.LayersModel): Probe[] {
  const probes: Probe[] = [];
  for (const id of layerIds(analysis)) {
    const inner = splitInnerId(analysis, id);
    const result = analysis.layers.find((l) => l.name === (inner?.parent ?? id));
    if (!result || result.spec?.type === 'Input') continue;
    const children = result.children ?? [];
    const name = inner
      ? childName(tfjsName(inner.parent), inner.inner, children[children.length - 1]?.name === inner.inner)
      : tfjsName(id);
    // A block's last layer is the block itself (same tfjs layer): probed once, as the block.
    const layer = net.layers.find((l) => l.name === name);
    if (layer && !probes.some((p) => p.layer === layer)) probes.push({ id, layer });
  }
  return probes;
}

function moveFirstToLast(t: tf.Tensor): tf.Tensor {
  const axes = t.shape.map((_, i) => i);
  return t.transpose([0, ...axes.slice(2), 1]);
}

/** One output (batch of one, channels last) as up to `max` maps of height × width. */
function mapsOf(id: string, out: tf.Tensor, max: number): LayerMaps {
  const shape = out.shape.slice(1);
  const values = out.dataSync() as Float32Array;
  const channels = shape.length >= 2 ? (shape[shape.length - 1] as number) : 1;
  const height = shape.length >= 3 ? (shape[0] as number) : 1;
  const width = shape.length >= 2 ? (shape[shape.length - 2] as number) : (shape[0] ?? 1);
  const spatial = shape.length >= 3 ? shape.slice(0, -1).reduce((a, b) => a * b, 1) : width;
  const maps = Array.from({ length: Math.min(max, channels) }, (_, c) => {
    const plane = new Float32Array(spatial);
    for (let p = 0; p < spatial; p++) plane[p] = values[p * channels + c] as number;
    return plane;
  });
  return { id, shape, channels, height, width, maps };
}

/** Pixels 0–255 to mean 0 and standard deviation 1 per channel (a flat channel is only centred). */
function standardised(image: MapsImage): Float32Array {
  const { pixels, channels } = image;
  const out = new Float32Array(pixels.length);
  const n = pixels.length / channels;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    let squares = 0;
    for (let i = c; i < pixels.length; i += channels) {
      const v = (pixels[i] as number) / 255;
      sum += v;
      squares += v * v;
    }
    const mean = sum / n;
    const std = Math.sqrt(Math.max(0, squares / n - mean * mean)) || 1;
    for (let i = c; i < pixels.length; i += channels) out[i] = ((pixels[i] as number) / 255 - mean) / std;
  }
  return out;
}
