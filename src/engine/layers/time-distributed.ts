import { z } from 'zod';
import { error } from '../model/diagnostic';
import type { AxisWindow } from '../analysis/receptive-field';
import { defineLayer, failed, type LayerKind } from './kind';
import { layerSpecSchema, type LayerSpec } from './registry';

export interface TimeDistributedSpec {
  readonly type: 'TimeDistributed';
  readonly layer: LayerSpec;
}

/**
 * TimeDistributed (Keras): applies the wrapped layer to every slice along the first axis
 * (every time step), with one shared set of weights. Output: steps × the wrapped layer's
 * output. MACs: steps × the wrapped layer's.
 */
export const timeDistributed: LayerKind<TimeDistributedSpec> = defineLayer<TimeDistributedSpec>({
  type: 'TimeDistributed',
  template: { layer: { type: 'Dense', units: 16 } },
  category: 'wrapper',
  summary: 'Applies one layer to every time step separately, with shared weights.',
  schema: z.strictObject({
    type: z.literal('TimeDistributed'),
    layer: z.lazy(() => layerSpecSchema()).describe('The layer applied at every step.'),
  }) as unknown as z.ZodType<TimeDistributedSpec>,
  arity: 'one',
  infer: ({ spec, inputs: [x = []], format, analyzeSub }) => {
    if (x.length < 2) {
      return failed(
        error('wrong-rank', `TimeDistributed needs steps plus at least one more axis, but gets ${x.length}-D.`),
      );
    }
    const sub = analyzeSub([{ name: 'layer', spec: spec.layer }], x.slice(1));
    const inner = sub.output;
    if (!inner || inner.output === null) {
      return failed(...(inner?.issues ?? []));
    }
    const steps = x[0] ?? null;
    return {
      output: [steps, ...inner.output],
      weights: inner.weights,
      macs: steps === null || inner.macs === null ? null : steps * inner.macs,
      field: format === 'channels_last' ? stepFields(inner.output.length - 1, inner.receptiveField?.axes) : null,
      issues: inner.issues,
      children: sub.layers,
    };
  },
});

/** The step axis maps to itself; the wrapped layer's axes follow, shifted by one. */
function stepFields(
  innerRank: number,
  inner: readonly { size: number; jump: number; start: number | null }[] | undefined,
): AxisWindow[] | null {
  const step: AxisWindow = { from: 0, size: 1, jump: 1, start: 0 };
  if (innerRank === 0) return [step];
  if (!inner) return null;
  return [step, ...inner.map((a, i) => ({ ...a, from: i + 1 }))];
}
