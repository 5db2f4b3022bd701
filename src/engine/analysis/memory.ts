import { isInput } from '../model/model';
import type { Analysis, LayerResult } from './result';

/** Bytes a training step needs, by what holds them (float32 throughout). */
export interface TrainingMemory {
  readonly weights: number;
  readonly gradients: number;
  /** Momentum buffers (SGD: one per weight) or Adam's two moments. */
  readonly optimizer: number;
  /** Every layer's output for the batch, kept for the backward pass, and its gradient. */
  readonly activations: number;
  readonly total: number;
}

const FLOAT = 4;

/** Output elements per example of a layer and, for blocks, of every layer inside. */
function activationElements(layer: LayerResult): number | null {
  if (layer.children?.length) {
    let sum = 0;
    for (const child of layer.children) {
      const n = activationElements(child);
      if (n === null) return null;
      sum += n;
    }
    return sum;
  }
  return layer.activationSize;
}

/**
 * An estimate of a training step's memory for a batch: weights, their gradients and the
 * optimizer's state (slots per weight: 1 for SGD with momentum, 2 for Adam), and each layer's
 * output for the whole batch twice (kept for the backward pass, and its gradient). Backends add
 * workspace on top, so treat it as a lower bound. `null` when a size is open.
 */
export function trainingMemory(analysis: Analysis, batch: number, optimizerSlots: number): TrainingMemory | null {
  let elements = 0;
  for (const layer of analysis.layers) {
    if (isInput(layer)) continue;
    const n = activationElements(layer);
    if (n === null) return null;
    elements += n;
  }
  const weights = analysis.totals.params * FLOAT;
  const gradients = analysis.totals.trainableParams * FLOAT;
  const optimizer = analysis.totals.trainableParams * FLOAT * optimizerSlots;
  const activations = elements * batch * FLOAT * 2;
  return { weights, gradients, optimizer, activations, total: weights + gradients + optimizer + activations };
}
