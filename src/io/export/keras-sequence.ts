import type { LayerResult } from '../../engine/analysis/result';
import type { LayerSpec, SequenceSpec } from '../../engine/layers/registry';
import type { Emitter } from './keras-windows';
import { attentionLayer, tensorFlowOpLayer } from './keras-ops';

type Spec<T extends LayerSpec['type']> = Extract<LayerSpec, { type: T }>;

/** Keras' own config of a recurrent layer (snake_case, as Keras writes it). */
function recurrentConfig(spec: Spec<'SimpleRNN' | 'LSTM' | 'GRU'>): Record<string, unknown> {
  return {
    units: spec.units,
    activation: spec.activation,
    ...(spec.type === 'SimpleRNN' ? {} : { recurrent_activation: spec.recurrentActivation }),
    ...(spec.type === 'GRU' ? { reset_after: spec.resetAfter } : {}),
    use_bias: spec.useBias,
    return_sequences: spec.returnSequences,
    return_state: spec.returnState,
    go_backwards: spec.goBackwards,
  };
}

/**
 * The Keras layer of one of the layers added for real model files (issue 15): each is a Keras
 * layer of the same name and fields, so this is a renaming of fields.
 */
export function sequenceLayer(
  b: Emitter,
  spec: SequenceSpec,
  r: LayerResult,
  inputs: readonly string[],
  name: string,
): string {
  switch (spec.type) {
    case 'PReLU':
      return b.emit('PReLU', spec.sharedAxes ? { shared_axes: spec.sharedAxes } : {}, inputs, name);
    case 'LayerNormalization':
      return b.emit(
        'LayerNormalization',
        { axis: spec.axis, epsilon: spec.epsilon, center: spec.center, scale: spec.scale },
        inputs,
        name,
      );
    case 'Embedding':
      return b.emit(
        'Embedding',
        { input_dim: spec.inputDim, output_dim: spec.outputDim, mask_zero: spec.maskZero },
        inputs,
        name,
      );
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return b.emit(spec.type, recurrentConfig(spec), inputs, name);
    case 'Bidirectional':
      return b.emit(
        'Bidirectional',
        {
          layer: {
            class_name: spec.layer.type,
            config: { name: `${name}_${spec.layer.type.toLowerCase()}`, ...recurrentConfig(spec.layer) },
          },
          merge_mode: spec.mergeMode,
        },
        inputs,
        name,
      );
    case 'Lambda':
      b.problems.add(
        name,
        'a Lambda layer is Python code ConvScope cannot read: write its function in Keras yourself.',
      );
      return name;
    case 'TensorFlowOp':
      return tensorFlowOpLayer(b, spec, r, inputs, name);
    case 'MultiHeadAttention':
      return attentionLayer(b, spec, inputs, name);
  }
}
