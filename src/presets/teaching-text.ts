import { analyzeModel } from '../engine/analysis/analyze';
import type { Model, ModelLayer } from '../engine/model/model';
import { expand } from '../engine/shape/shape';

/** A preset's title and description as the model on screen makes them true. */
export interface PresetText {
  readonly name: string;
  readonly description: string;
}

/** "1, 2, 4 and 8". */
function list(items: readonly (string | number)[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** A layer's spec fields, read loosely (the describers check kinds before reading fields). */
const field = (layer: ModelLayer | undefined, name: string): unknown =>
  (layer?.spec as Record<string, unknown> | undefined)?.[name];

/** A square kernel's side (5 for 5 or [5, 5]), or null for anything else. */
function square(value: unknown): number | null {
  if (typeof value !== 'number' && !Array.isArray(value)) return null;
  const sides = expand(value as number | number[], 2);
  return sides[0] === sides[1] ? (sides[0] ?? null) : null;
}

export interface MnistNumbers {
  readonly kernels: readonly [number, number];
  readonly filters: readonly [number, number];
  readonly hidden: number;
  readonly classes: number;
}

const CLASSIC: MnistNumbers = { kernels: [5, 5], filters: [32, 64], hidden: 1024, classes: 10 };
const MNIST_KINDS = [
  'Input',
  'Conv2D',
  'MaxPooling2D',
  'Conv2D',
  'MaxPooling2D',
  'Flatten',
  'Dense',
  'Dropout',
  'Dense',
];

/** The MNIST network's text, for its numbers: the preset's own, or an edited model's. */
export function mnistText(n: MnistNumbers = CLASSIC): PresetText {
  const [k1, k2] = n.kernels;
  const convs = k1 === k2 ? `two ${k1}×${k1} convolutions` : `a ${k1}×${k1} and a ${k2}×${k2} convolution`;
  const classic = JSON.stringify(n) === JSON.stringify(CLASSIC);
  return {
    name: 'MNIST CNN',
    description: `${classic ? 'The classic MNIST network' : 'The classic MNIST network’s layout'}: ${convs} (${n.filters[0]} then ${n.filters[1]} filters) with max pooling, ${n.hidden.toLocaleString('en-US')} hidden units, ${n.classes} classes.`,
  };
}

/** The MNIST text of a model still laid out as the MNIST network (same kinds in the same order). */
export function describeMnist(model: Model): PresetText | undefined {
  const { layers } = model;
  if (layers.length !== MNIST_KINDS.length || layers.some((l, i) => l.spec?.type !== MNIST_KINDS[i])) return undefined;
  if (layers.some((l) => l.inputs)) return undefined;
  const k1 = square(field(layers[1], 'kernelSize'));
  const k2 = square(field(layers[3], 'kernelSize'));
  const numbers = [
    field(layers[1], 'filters'),
    field(layers[3], 'filters'),
    field(layers[6], 'units'),
    field(layers[8], 'units'),
  ];
  if (k1 === null || k2 === null || numbers.some((v) => typeof v !== 'number')) return undefined;
  const [f1, f2, hidden, classes] = numbers as number[];
  return mnistText({ kernels: [k1, k2], filters: [f1!, f2!], hidden: hidden!, classes: classes! });
}

/** One causal layer's kernel and dilation; its lookback is (k − 1)·d steps. */
export interface CausalStep {
  readonly kernel: number;
  readonly dilation: number;
}

/** The causal stack's text: each layer adds (k − 1)·d steps; the title says the sum. */
export function causalText(steps: readonly CausalStep[]): PresetText {
  const adds = steps.map((s) => (s.kernel - 1) * s.dilation);
  // The receptive field: the output's own step and the ones each layer adds (the engine's convention).
  const lookback = 1 + adds.reduce((a, b) => a + b, 0);
  const kernels = new Set(steps.map((s) => s.kernel));
  const kernelText = kernels.size === 1 ? `Kernel ${steps[0]?.kernel}` : `Kernels ${list(steps.map((s) => s.kernel))}`;
  return {
    name: `Causal dilated Conv1D (lookback ${lookback})`,
    description: `${kernelText} with dilations ${list(steps.map((s) => s.dilation))}, all causal: each layer adds (k − 1)·d = ${adds.join(', ')} steps, so the last output sees ${lookback} steps back and nothing ahead.`,
  };
}

/**
 * The causal text of a stack of stride-1 causal Conv1Ds (1×1 layers add nothing and are not
 * listed). The lookback in the title is the last layer's receptive field, 1 + Σ (k − 1)·d, and
 * must agree with the engine's; undefined when the model is no longer such a stack.
 */
export function describeCausal(model: Model): PresetText | undefined {
  const [input, ...rest] = model.layers;
  if (input?.spec?.type !== 'Input' || rest.length === 0) return undefined;
  const steps: CausalStep[] = [];
  for (const layer of rest) {
    const [kernel, dilation, stride] = ['kernelSize', 'dilationRate', 'strides'].map((f) => field(layer, f));
    const causal = layer.spec?.type === 'Conv1D' && field(layer, 'padding') === 'causal';
    const k = expand((kernel ?? 1) as number, 1)[0] ?? 1;
    if (layer.inputs || (!causal && k !== 1) || layer.spec?.type !== 'Conv1D') return undefined;
    if (expand((stride ?? 1) as number, 1)[0] !== 1) return undefined;
    if (k > 1) steps.push({ kernel: k, dilation: expand((dilation ?? 1) as number, 1)[0] ?? 1 });
  }
  const field1d = analyzeModel(model).layers.at(-1)?.receptiveField?.axes[0];
  const text = causalText(steps);
  if (steps.length === 0 || !field1d || !text.name.endsWith(`(lookback ${field1d.size})`)) return undefined;
  return text;
}
