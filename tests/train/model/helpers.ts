import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { Analysis, LayerResult } from '../../../src/engine/analysis/result';
import { buildModel, type BuildOptions } from '../../../src/train/model/build';
import { channelsLastLayers, toChannelsFirst } from '../../../src/train/model/layouts';
import { childName, tfjsName } from '../../../src/train/model/names';

/** Builds the model and expects it to match the engine exactly. */
export function buildExact(analysis: Analysis, options: BuildOptions = {}): tf.LayersModel {
  const built = buildModel(analysis, options);
  if (!built.ok) throw new Error(`${built.layer ?? ''}: ${built.error}`);
  expect(built.mismatches).toEqual([]);
  return built.model;
}

/** Every engine layer with its tfjs name, children of blocks and wrappers included. */
export function engineLayers(analysis: Analysis): { path: string; name: string; result: LayerResult }[] {
  const out: { path: string; name: string; result: LayerResult }[] = [];
  const visit = (r: LayerResult, name: string, path: string) => {
    out.push({ path, name, result: r });
    const children = r.children ?? [];
    const block = r.spec?.type !== 'TimeDistributed';
    children.forEach((c, i) =>
      visit(c, childName(name, c.name, block && i === children.length - 1), `${path}/${c.name}`),
    );
  };
  for (const r of analysis.layers) visit(r, tfjsName(r.name), r.name);
  return out;
}

/**
 * Runs the model on `batch` random examples and checks every engine layer's actual output
 * tensor (not tfjs' symbolic shape) against the engine's shape, converted to the engine's layout.
 */
export function expectActualShapes(model: tf.LayersModel, analysis: Analysis, batch = 2): void {
  const flip = analysis.model.dataFormat === 'channels_first' ? channelsLastLayers(model) : new Set<string>();
  const wanted = engineLayers(analysis).filter((l) => l.result.spec?.type !== 'Input');
  if (wanted.length === 0) return;
  // A block and its last layer are one tfjs layer: ask for each tfjs output once.
  const names = [...new Set(wanted.map((l) => l.name))];
  const probe = tf.model({
    inputs: model.inputs,
    outputs: names.map((n) => model.getLayer(n).output as tf.SymbolicTensor),
  });
  tf.tidy(() => {
    const inputs = model.inputs.map((i) => tf.randomNormal([batch, ...(i.shape.slice(1) as number[])]));
    const outputs = [probe.predict(inputs.length === 1 ? inputs[0]! : inputs)].flat() as tf.Tensor[];
    for (const layer of wanted) {
      const y = outputs[names.indexOf(layer.name)]!;
      const raw = y.shape.slice(1);
      const shape = flip.has(layer.name) ? toChannelsFirst(raw) : raw;
      // Inside a TimeDistributed the steps are folded into the batch.
      const engine = layer.result.output;
      expect(y.shape[0] === batch || layer.path.includes('/'), `${layer.path}: batch`).toBe(true);
      expect(shape, `${layer.path}: actual output shape`).toEqual(engine);
      expect(Array.from(y.dataSync()).every(Number.isFinite), `${layer.path}: finite`).toBe(true);
    }
  });
}
