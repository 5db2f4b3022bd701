import { rankInName } from '../engine/layers/kind';
import { isInput, type Model } from '../engine/model/model';
import type { Analysis, LayerResult } from '../engine/analysis/result';
import { formatShape } from '../engine/shape/format';
import { DEFAULT_CONFIG, type TrainConfig } from './loop/config';
import type { Dataset } from './types';

/** The model's input as channels-last [H, W, C] (or [T, C]); null sizes are open. */
export function inputShapeOf(analysis: Analysis): (number | null)[] | null {
  const input = analysis.layers.find(isInput);
  const shape = input?.output;
  if (!shape) return null;
  if (analysis.model.dataFormat === 'channels_first' && shape.length >= 2)
    return [...shape.slice(1), shape[0] as number | null];
  return [...shape];
}

/** The last layer: the one whose output is the class scores. */
function lastLayer(analysis: Analysis): LayerResult | undefined {
  const name = analysis.outputs[0];
  return analysis.layers.find((l) => l.name === name) ?? analysis.layers[analysis.layers.length - 1];
}

/** True when the model ends in softmax (probabilities), so the loss takes logs itself. */
export function endsInSoftmax(analysis: Analysis): boolean {
  const spec = lastLayer(analysis)?.spec as { activation?: string } | null | undefined;
  return spec?.activation === 'softmax';
}

/** How many classes the model scores, or why it can't be trained as a classifier. */
export function classesOf(analysis: Analysis): number | string {
  if (analysis.outputs.length !== 1)
    return `This model has ${analysis.outputs.length} outputs; training needs one (class scores).`;
  const out = lastLayer(analysis)?.output;
  if (!out) return 'The model cannot be built yet: fix the errors shown in the layer list first.';
  if (out.length !== 1 || out[0] === null)
    return `The model's output is ${formatShape(out)}, not one score per class: end it with global pooling (or Flatten) and a Dense layer with one unit per class.`;
  return out[0] as number;
}

/**
 * Why a model of 3-D volumes (video frames, scans: Conv3D and its kin, whose input is depth ×
 * height × width × channels) cannot train in the tab, or null: the data sets there are 2-D images and sequences.
 */
export function volumeProblem(analysis: Analysis): string | null {
  const volumetric = findLayer(analysis.layers, (l) => !!l.spec && rankInName(l.spec.type) === 3);
  if (!volumetric) return null;
  const input = inputShapeOf(analysis);
  return (
    `${volumetric.spec?.type} '${volumetric.name}' works on 3-D volumes` +
    `${input && input.length === 4 ? ` (this model's input is ${formatShape(input)}: depth × height × width × channels)` : ''}, ` +
    `but the Train tab's data sets hold 2-D images (MNIST, CIFAR-10, synthetic stripes) and sequences (synthetic), so this model cannot train here. ` +
    `Export it to PyTorch or Keras to train it on volumes.`
  );
}

function findLayer(layers: readonly LayerResult[], test: (l: LayerResult) => boolean): LayerResult | undefined {
  for (const l of layers) {
    if (test(l)) return l;
    const inner = findLayer(l.children ?? [], test);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * Why no data set of the Train tab fits this model's input, or null: they hold images (height ×
 * width × channels), and the synthetic set sequences too (steps × features); asked before any
 * data is loaded.
 */
export function rankProblem(analysis: Analysis): string | null {
  const input = inputShapeOf(analysis);
  if (!input || input.length === 2 || input.length === 3) return null;
  return `This model reads ${input.length === 1 ? 'vectors' : 'tensors'} of ${formatShape(input)} per example; the Train tab's data sets hold images (height × width × channels) or, the synthetic set, sequences (steps × features): give the model an Input of that kind to train it here.`;
}

/**
 * Why this model can't train on this data set (input size or classes), or null when it can. Open
 * input sizes take the data set's. A sequence model (steps × features) trains on the synthetic
 * set, which holds each example as 1 × steps × features; image sets it cannot read.
 */
export function fitProblem(analysis: Analysis, data: Pick<Dataset, 'name' | 'shape' | 'classes'>): string | null {
  if (!analysis.ok) return 'The model has errors: fix them in the layer list before training.';
  const volume = volumeProblem(analysis);
  if (volume) return volume;
  const input = inputShapeOf(analysis);
  const classes = classesOf(analysis);
  if (typeof classes === 'string') return classes;
  const [h, w, c] = data.shape;
  if (!input) return 'The model has no input layer.';
  const sequence = input.length === 2 && h === 1;
  if (input.length !== 3 && !sequence)
    return input.length === 2
      ? `This model reads sequences of ${formatShape(input)} (steps × features), not images; ${data.name} has ${h}×${w}×${c} images. Choose the synthetic data set, which takes the model's steps × features, or train an image model.`
      : (rankProblem(analysis) as string);
  const example = sequence ? data.shape.slice(1) : data.shape;
  const wrong = input.some((d, i) => d !== null && d !== example[i]);
  if (wrong)
    return `This model takes ${formatShape(input)} inputs (height × width × channels) but ${data.name}'s images are ${h}×${w}×${c}: change the Input layer's shape to ${h}, ${w}, ${c}.`;
  if (classes !== data.classes.length)
    return `This model scores ${classes} classes but ${data.name} has ${data.classes.length}: set the last layer's units to ${data.classes.length}.`;
  return null;
}

/** True when a layer (inside blocks too) is batch normalization. */
export function hasBatchNorm(layers: readonly LayerResult[]): boolean {
  return layers.some((l) => l.spec?.type === 'BatchNormalization' || hasBatchNorm(l.children ?? []));
}

/** The recipe fields a suggestion sets. */
export type Recipe = Pick<
  TrainConfig,
  'optimizer' | 'learningRate' | 'momentum' | 'nesterov' | 'weightDecay' | 'schedule' | 'labelSmoothing'
>;

/**
 * A recipe that learns fast for this model. With batch normalization: He et al.'s SGD (Nesterov
 * momentum 0.9, weight decay 5e-4) on a one-cycle schedule to 0.2, label smoothing 0.1: the
 * defaults (DEFAULT_CONFIG), which the exported training script uses too. Without it a peak of
 * 0.2 makes plain convnets diverge (the loss stays at ln 10 ≈ 2.3 on MNIST), so Adam, one-cycle
 * to 0.003 (fastai's default peak for Adam; a small CNN reaches 97.7% on MNIST in 5 epochs with
 * it, where 0.001 gives 95% after 3).
 */
/** The recipe's peak learning rate for Adam (at the recipe's batch, DEFAULT_CONFIG.batchSize). */
export const ADAM_LEARNING_RATE = 0.003;

export function suggestedRecipe(analysis: Analysis): { recipe: Recipe; why: string } {
  if (hasBatchNorm(analysis.layers)) {
    const { optimizer, learningRate, momentum, nesterov, weightDecay, schedule, labelSmoothing } = DEFAULT_CONFIG;
    return {
      recipe: { optimizer, learningRate, momentum, nesterov, weightDecay, schedule, labelSmoothing },
      why: 'The model has batch normalization: SGD with Nesterov momentum, one-cycle to 0.2, as He et al. train ResNets.',
    };
  }
  return {
    recipe: {
      optimizer: 'adam',
      learningRate: ADAM_LEARNING_RATE,
      momentum: 0.9,
      nesterov: false,
      weightDecay: 0,
      schedule: 'onecycle',
      labelSmoothing: 0,
    },
    why: 'The model has no batch normalization, where SGD at 0.2 diverges: Adam, one-cycle to 0.003.',
  };
}

/** The data set's size for an input whose sizes are open, or null when the model's are fixed. */
export function openInput(analysis: Analysis, data: Dataset): number[] | null {
  const input = inputShapeOf(analysis);
  if (!input || input.every((d) => d !== null)) return null;
  // The synthetic set holds a sequence's steps × features as 1 × steps × features.
  if (input.length === 2)
    return analysis.model.dataFormat === 'channels_first'
      ? [data.shape[2], data.shape[1]]
      : [data.shape[1], data.shape[2]];
  return analysis.model.dataFormat === 'channels_first'
    ? [data.shape[2], data.shape[0], data.shape[1]]
    : [...data.shape];
}

/** The model with its Input layer's shape set (an open size filled in). */
export function withInputShape(model: Model, shape: readonly number[]): Model {
  return {
    ...model,
    layers: model.layers.map((l) => (l.spec?.type === 'Input' ? { ...l, spec: { ...l.spec, shape: [...shape] } } : l)),
  };
}
