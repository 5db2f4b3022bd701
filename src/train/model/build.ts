import * as tf from '@tensorflow/tfjs';
import { analyzeModel } from '../../engine/analysis/analyze';
import { resolveWiring } from '../../engine/analysis/graph';
import type { Analysis, LayerResult } from '../../engine/analysis/result';
import { diagnosticText } from '../../engine/model/diagnostic';
import { applyEdit } from '../../engine/model/edits';
import { notationOf } from '../../engine/notation';
import type { ValidLayer } from '../../engine/model/model';
import { formatShape } from '../../engine/shape/format';
import type { Mismatch } from '../types';
import { compareWithEngine } from './compare';
import { fuseRelu } from './fuse';
import { Graph, type Value } from './graph';
import { toChannelsLast, writeLayouts } from './layouts';
import { mapLayer } from './map';
import { childName, tfjsName } from './names';

export type BuildResult =
  { ok: true; model: tf.LayersModel; mismatches: Mismatch[] } | { ok: false; error: string; layer?: string };

export interface BuildOptions {
  /** One example's input shape in the engine's layout, for a model whose input leaves sizes open. */
  readonly inputShape?: readonly number[];
  /** Seeds the initialisers, so that two builds start from the same weights. */
  readonly seed?: number;
}

/**
 * The tfjs model of the engine's analysis, exactly: functional API, one tfjs layer (or a small
 * group named `name/.helper`) per engine layer under the engine's name, blocks expanded as the
 * engine expands them, and every layer kind the engine accepts (see `map/`). The model is not
 * compiled: the training loop applies it with its own losses.
 *
 * Weights: convolution kernels He-normal (fan-in; He et al. 2015: the variance that keeps
 * ReLU networks' activations from shrinking layer after layer, which the ResNets here need),
 * dense kernels Glorot-uniform (Keras' default), depthwise and pointwise kernels Glorot-uniform
 * (Keras'), biases 0, batch-norm γ = 1, β = 0.
 *
 * Channels-first models run channels-last inside and read and write channels-last tensors
 * (see `layouts.ts`). Batch norm read only by a ReLU trains as one op where the backend can
 * (see `fuse.ts`). `mismatches` is `compareWithEngine` of the result.
 */
export function buildModel(analysis: Analysis, options: BuildOptions = {}): BuildResult {
  const prepared = options.inputShape ? withInputShape(analysis, options.inputShape) : analysis;
  if (typeof prepared === 'string') return { ok: false, error: prepared };
  const problem = prepared.diagnostics.find((d) => d.severity === 'error');
  if (problem)
    return {
      ok: false,
      error: diagnosticText(problem, prepared.model.dataFormat, notationOf(prepared.model.dataFormat)),
      ...(problem.layer === null ? {} : { layer: problem.layer }),
    };
  const g = new Graph(prepared.model.dataFormat === 'channels_first', options.seed ?? null);
  const values = new Map<string, Value>();
  const inputs: tf.SymbolicTensor[] = [];
  for (const i of resolveWiring(prepared.model.layers).order) {
    const r = prepared.layers[i];
    if (!r) continue;
    const name = tfjsName(r.name);
    try {
      if (r.spec?.type === 'Input') {
        const shape = g.channelsFirst ? toChannelsLast(r.spec.shape) : [...r.spec.shape];
        const input = tf.input({ shape, name });
        inputs.push(input);
        values.set(r.name, g.value(input, 'cl'));
      } else {
        values.set(
          r.name,
          mapLayer(
            g,
            r,
            name,
            r.inputs.map((n) => values.get(n) as Value),
          ),
        );
      }
    } catch (e) {
      g.dispose();
      return { ok: false, error: `TensorFlow.js could not build this layer: ${(e as Error).message}`, layer: r.name };
    }
  }
  try {
    const outputs = prepared.outputs.map((n) => g.get(values.get(n) as Value, 'cl'));
    const model = tf.model({ inputs, outputs });
    writeLayouts(model, prepared.model.dataFormat, g.channelsLast);
    freeze(model, prepared);
    fuseRelu(model);
    return { ok: true, model, mismatches: compareWithEngine(model, prepared) };
  } catch (e) {
    g.dispose();
    return { ok: false, error: `TensorFlow.js could not assemble the model: ${(e as Error).message}` };
  }
}

/**
 * Frozen layers (`trainable: false`) are frozen in tfjs too, with every tfjs layer made for them
 * (a block's layers `name/child`, helpers `name/.what`): training reads `model.trainableWeights`,
 * which then leaves their weights out, and a frozen batch norm runs in inference mode.
 */
function freeze(model: tf.LayersModel, analysis: Analysis): void {
  const freezeNamed = (name: string, exact: boolean) => {
    for (const layer of model.layers)
      if (layer.name === name || (!exact && layer.name.startsWith(`${name}/`))) layer.trainable = false;
  };
  // A block's last layer takes the block's tfjs name: frozen alone, it is matched exactly.
  const visit = (r: LayerResult, name: string, exact: boolean): void => {
    if (r.frozen) return freezeNamed(name, exact);
    const children = r.children ?? [];
    children.forEach((c, i) => {
      const last = i === children.length - 1;
      visit(c, childName(name, c.name, last), last);
    });
  };
  for (const r of analysis.layers) visit(r, tfjsName(r.name), false);
}

/**
 * The analysis with the model's one Input set to `shape`: open sizes (null) take the data's
 * sizes; a fixed size that differs is an error, not a silent change of the model.
 */
function withInputShape(analysis: Analysis, shape: readonly number[]): Analysis | string {
  const inputs = analysis.model.layers.filter(
    (l): l is ValidLayer & { spec: { type: 'Input' } } => l.spec?.type === 'Input',
  );
  const layer = inputs[0];
  if (!layer || inputs.length > 1)
    return `An input shape can be given to a model with one input; this one has ${inputs.length}.`;
  const current = layer.spec.shape;
  if (current.length !== shape.length || current.some((d, i) => d !== null && d !== shape[i])) {
    return `The model's input '${layer.name}' is ${formatShape(current)} per example, but the data is ${formatShape(shape)}.`;
  }
  if (current.every((d, i) => d === shape[i])) return analysis;
  return analyzeModel(
    applyEdit(analysis.model, { kind: 'update', name: layer.name, spec: { ...layer.spec, shape: [...shape] } }),
  );
}
