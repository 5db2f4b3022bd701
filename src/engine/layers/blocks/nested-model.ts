import { z } from 'zod';
import { error } from '../../model/diagnostic';
import type { ModelLayer } from '../../model/model';
import { message, shapeSlot } from '../../text/message';
import type { Shape } from '../../shape/shape';
import { composite } from './residual';
import { defineLayer, failed, type LayerKind } from '../kind';
import { layerSpecSchema, type LayerSpec } from '../registry';

/** One layer of a nested model; names are unique within it and hold no `/` (see `innerId`). */
export interface NestedLayer {
  readonly name: string;
  /** The inner layers feeding it (`input`: the nested model's input); omitted: the one before. */
  readonly inputs?: readonly string[];
  /** `false`: the layer is frozen (the file's `trainable`); its weights count as non-trainable. */
  readonly trainable?: boolean;
  readonly layer: LayerSpec;
}

export interface NestedModelSpec {
  readonly type: 'NestedModel';
  readonly layers: readonly NestedLayer[];
  /** The inner layer whose output is the nested model's; omitted: the last. */
  readonly output?: string;
  /** The shape the nested model was built for (one example), checked against what it is fed. */
  readonly inputShape?: readonly (number | null)[];
  /** The source file's `trainable` for the whole nested model (Teachable Machine freezes its base). */
  readonly trainable?: boolean;
}

const innerName = z
  .string()
  .min(1)
  .max(256)
  .refine((n) => !n.includes('/') && n !== 'input', { error: "inner layer names hold no '/' and are not 'input'" });

const schema = z.strictObject({
  type: z.literal('NestedModel'),
  // Lazy: the editor shows a nested model's layers as JSON, as it shows a wrapper's layer.
  layers: z
    .lazy(() =>
      z
        .array(
          z.strictObject({
            name: innerName,
            inputs: z.array(z.string().max(256)).max(64).optional(),
            trainable: z.boolean().optional(),
            layer: layerSpecSchema(),
          }),
        )
        .min(1, { error: 'a nested model needs at least one layer' })
        .max(10_000),
    )
    .describe('The nested model’s layers; "input" names its input, and a layer without inputs takes the one before.'),
  output: z.string().optional(),
  inputShape: z
    .array(z.union([z.number().int().min(1), z.null()]))
    .max(5)
    .optional(),
  trainable: z.boolean().optional(),
});

/**
 * A whole model used as one layer (Keras: a Sequential or Functional model inside another, as
 * Teachable Machine's exports, keras.applications bases and ensembles are built). Analysed as a
 * block: its layers are the block's rows, its parameters their sum, its receptive field theirs.
 */
export const nestedModel: LayerKind<NestedModelSpec> = defineLayer<NestedModelSpec>({
  type: 'NestedModel',
  template: { layers: [{ name: 'dense', layer: { type: 'Dense', units: 16 } }] },
  category: 'block',
  summary: 'A model used as one layer (a Keras Sequential or Functional model inside another).',
  schema: schema as unknown as z.ZodType<NestedModelSpec>,
  arity: 'one',
  infer: ({ spec, inputs: [x = []], analyzeSub }) => {
    const expected = spec.inputShape;
    if (expected && !fits(expected, x))
      return failed(
        error(
          'nested-input',
          message`This nested model was built for ${shapeSlot(expected)} but is fed ${shapeSlot(x)}.`,
        ),
      );
    // A frozen nested model (Keras' `base.trainable = False`) freezes every layer in it.
    const layers: ModelLayer[] = spec.layers.map((l) => ({
      name: l.name,
      ...(l.inputs ? { inputs: l.inputs } : {}),
      ...(l.trainable === false || spec.trainable === false ? { trainable: false as const } : {}),
      spec: l.layer,
    }));
    const sub = analyzeSub(layers, x);
    const output = spec.output === undefined ? sub.output : sub.layers.find((l) => l.name === spec.output);
    if (!output)
      return failed(error('nested-output', `The nested model's output '${spec.output}' is none of its layers.`));
    return composite({ layers: sub.layers, output });
  },
});

function fits(expected: readonly (number | null)[], actual: Shape): boolean {
  return (
    expected.length === actual.length && expected.every((d, i) => d === null || actual[i] === null || d === actual[i])
  );
}
