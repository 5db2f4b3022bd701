import * as tf from '@tensorflow/tfjs';
import type { LayerSpec, SequenceSpec } from '../../../engine/layers/registry';
import { glorotUniform } from '../layers/common';
import { ResetAfterGRU } from '../layers/gru-layer';
import { input0, type MapContext, type Value } from './context';
import { mapAttention, mapTensorFlowOp, refuseLambda } from './custom-sequence';

type Spec<T extends LayerSpec['type']> = Extract<LayerSpec, { type: T }>;
type Recurrent = Spec<'SimpleRNN' | 'LSTM' | 'GRU'>;
type TfActivation = NonNullable<Parameters<typeof tf.layers.lstm>[0]['activation']>;

/** Keras' snake_case activation names as tfjs spells them ('hard_sigmoid' → 'hardSigmoid'). */
function tfActivation(name: string): TfActivation {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as TfActivation;
}

/**
 * The layers added for real model files (issue 15), on the engine's layout: tfjs' own, and ours
 * where tfjs lacks them (GRU with reset_after, MultiHeadAttention, TensorFlow ops).
 */
export function mapSequenceLayer(ctx: MapContext<SequenceSpec>): Value {
  const { g, spec, name } = ctx;
  if (spec.type === 'MultiHeadAttention') return mapAttention({ ...ctx, spec });
  if (spec.type === 'TensorFlowOp') return mapTensorFlowOp({ ...ctx, spec });
  if (spec.type === 'Lambda') return refuseLambda({ ...ctx, spec });
  const x = g.get(input0(ctx), 'eng');
  const out = (layer: tf.layers.Layer) => g.value(g.apply(layer, x), 'eng');
  switch (spec.type) {
    case 'PReLU':
      return out(tf.layers.prelu({ name, ...(spec.sharedAxes ? { sharedAxes: spec.sharedAxes } : {}) }));
    case 'LayerNormalization':
      return out(
        tf.layers.layerNormalization({
          name,
          axis: spec.axis,
          epsilon: spec.epsilon,
          center: spec.center,
          scale: spec.scale,
        }),
      );
    case 'Embedding':
      return out(
        tf.layers.embedding({ name, inputDim: spec.inputDim, outputDim: spec.outputDim, maskZero: spec.maskZero }),
      );
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return out(recurrent(spec, name, g.nextSeed()));
    case 'Bidirectional':
      return out(
        tf.layers.bidirectional({
          name,
          layer: recurrent(spec.layer, `${name}_${spec.layer.type.toLowerCase()}`, g.nextSeed()) as tf.RNN,
          ...(spec.mergeMode === null ? {} : { mergeMode: spec.mergeMode }),
        }),
      );
  }
}

function recurrent(spec: Recurrent, name: string, seed: number | null): tf.layers.Layer {
  const args = {
    name,
    units: spec.units,
    activation: tfActivation(spec.activation),
    useBias: spec.useBias,
    returnSequences: spec.returnSequences,
    goBackwards: spec.goBackwards,
    kernelInitializer: glorotUniform(seed),
  };
  if (spec.type === 'SimpleRNN') return tf.layers.simpleRNN(args);
  const gates = { ...args, recurrentActivation: tfActivation(spec.recurrentActivation) };
  if (spec.type === 'LSTM') return tf.layers.lstm(gates);
  if (!spec.resetAfter) return tf.layers.gru(gates);
  return new ResetAfterGRU({
    name,
    units: spec.units,
    activation: spec.activation,
    recurrentActivation: spec.recurrentActivation,
    useBias: spec.useBias,
    returnSequences: spec.returnSequences,
    goBackwards: spec.goBackwards,
    seed,
  });
}
