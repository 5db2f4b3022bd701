import type * as tf from '@tensorflow/tfjs';
import type { Analysis, LayerResult } from '../../engine/analysis/result';
import { formatCount, formatShape } from '../../engine/shape/format';
import type { Dim } from '../../engine/shape/shape';
import type { Mismatch } from '../types';
import { channelsLastLayers, toChannelsFirst } from './layouts';
import { childName, ownerOf, tfjsName } from './names';

/**
 * Where the tfjs model differs from the engine's analysis: per engine layer (blocks' and
 * wrappers' children too, as "block/child"), the output shape without the batch, in the
 * engine's layout, and the parameter count (moving statistics included, as both count them);
 * then the total. A layer the engine has and tfjs lacks is 'missing'. Layers that feed no
 * output of the model are not in a tfjs model and are skipped.
 */
export function compareWithEngine(model: tf.LayersModel, analysis: Analysis): Mismatch[] {
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const own = new Map<string, number>();
  for (const l of model.layers) own.set(ownerOf(l.name), (own.get(ownerOf(l.name)) ?? 0) + l.countParams());
  const flip = analysis.model.dataFormat === 'channels_first' ? channelsLastLayers(model) : new Set<string>();
  const mismatches: Mismatch[] = [];

  const visit = (r: LayerResult, name: string, label: string) => {
    const layer = byName.get(name);
    if (!layer) {
      mismatches.push({
        layer: label,
        what: 'missing',
        engine: `${r.type} ${formatShape(r.output ?? [])}`,
        tfjs: 'none',
      });
      return;
    }
    const raw = (layer.outputShape as Dim[]).slice(1);
    const shape = flip.has(name) ? toChannelsFirst(raw) : raw;
    const engine = r.output ?? [];
    if (shape.length !== engine.length || shape.some((d, i) => d !== engine[i])) {
      mismatches.push({ layer: label, what: 'shape', engine: formatShape(engine), tfjs: formatShape(shape) });
    }
    const children = r.children ?? [];
    const params = children.length
      ? model.layers
          .filter((l) => l.name === name || l.name.startsWith(`${name}/`))
          .reduce((n, l) => n + l.countParams(), 0)
      : (own.get(name) ?? 0);
    if (params !== r.params) {
      mismatches.push({ layer: label, what: 'params', engine: formatCount(r.params), tfjs: formatCount(params) });
    }
    const block = r.spec?.type !== 'TimeDistributed';
    children.forEach((c, i) =>
      visit(c, childName(name, c.name, block && i === children.length - 1), `${label}/${c.name}`),
    );
  };

  const used = feedingOutputs(analysis);
  for (const r of analysis.layers) if (used.has(r.name)) visit(r, tfjsName(r.name), r.name);
  const total = model.countParams();
  if (total !== analysis.totals.params) {
    mismatches.push({
      layer: '(total)',
      what: 'params',
      engine: formatCount(analysis.totals.params),
      tfjs: formatCount(total),
    });
  }
  return mismatches;
}

/** The layers the model's outputs depend on. */
function feedingOutputs(analysis: Analysis): Set<string> {
  const inputsOf = new Map(analysis.layers.map((l) => [l.name, l.inputs]));
  const seen = new Set<string>();
  const stack = [...analysis.outputs];
  while (stack.length) {
    const name = stack.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    stack.push(...(inputsOf.get(name) ?? []));
  }
  return seen;
}
