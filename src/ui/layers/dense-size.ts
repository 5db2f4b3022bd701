import type { Analysis } from '../../engine/analysis/result';
import { formatCount, formatShape } from '../../engine/shape/format';
import { splitChannels } from '../../engine/shape/shape';

/** A Dense layer whose weights are sized by the input image: it follows Flatten of a map. */
export interface InputSizedDense {
  readonly name: string;
  readonly params: number;
  /** The model input's spatial size, "64×64". */
  readonly inputSize: string;
  /** What replaces the Flatten to free the Dense of the input size. */
  readonly pooling: 'GlobalAveragePooling1D' | 'GlobalAveragePooling2D';
}

/**
 * Every Dense that reads a Flatten of a spatial map (a sequence or an image), with the input
 * size its weights were counted for: Flatten hands Dense one feature per position and channel,
 * so a bigger image means a bigger kernel (64×64 → 96×96 turns 163,850 weights into 368,650).
 */
export function inputSizedDenses(analysis: Analysis): InputSizedDense[] {
  const format = analysis.model.dataFormat;
  const input = analysis.layers.find((l) => l.spec?.type === 'Input')?.output;
  if (!input || input.length < 2) return [];
  const inputSize = formatShape(splitChannels(input, format).spatial);
  const byName = new Map(analysis.layers.map((l) => [l.name, l]));
  return analysis.layers.flatMap((layer) => {
    if (layer.spec?.type !== 'Dense' || layer.output === null) return [];
    const flatten = byName.get(layer.inputs[0] ?? '');
    const map = flatten?.inputShapes[0];
    if (flatten?.spec?.type !== 'Flatten' || !map || map.length < 2 || map.length > 3) return [];
    const pooling = map.length === 2 ? 'GlobalAveragePooling1D' : 'GlobalAveragePooling2D';
    return [{ name: layer.name, params: layer.params, inputSize, pooling }];
  });
}

/** "Its 163,850 weights depend on the 64×64 input: …", for the layer's details. */
export function denseSizeNote(dense: InputSizedDense): string {
  return (
    `Its ${formatCount(dense.params)} weights depend on the ${dense.inputSize} input: a different input size ` +
    `changes them, since Flatten hands it every position. ${dense.pooling} in place of Flatten makes the net fully convolutional.`
  );
}

/**
 * What an edit did to input-sized Dense layers when it changed the input size: "dense's weights
 * went from 163,850 to 368,650: the input went from 64×64 to 96×96." Empty when nothing did.
 */
export function denseSizeChanges(before: readonly InputSizedDense[], after: readonly InputSizedDense[]): string[] {
  return after.flatMap((now) => {
    const then = before.find((b) => b.name === now.name);
    if (!then || then.params === now.params || then.inputSize === now.inputSize) return [];
    return [
      `${now.name}'s weights went from ${formatCount(then.params)} to ${formatCount(now.params)}: ` +
        `the input went from ${then.inputSize} to ${now.inputSize}, and Flatten hands ${now.name} every position.`,
    ];
  });
}
