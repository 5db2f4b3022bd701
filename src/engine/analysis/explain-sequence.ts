import type { LayerSpec, SequenceSpec } from '../layers/registry';
import { neutralConstant } from '../layers/tf-op';
import { countOf } from '../text/plural';

const WHOLE_SEQUENCE = 'Its receptive field is the whole sequence read so far, not a window, so no size is given.';

/** "Why this shape" for the layers added for real model files (issue 15); see `explainLayer`. */
export function explainSequenceLayer(spec: SequenceSpec, steps: number | null): string {
  switch (spec.type) {
    case 'PReLU':
      return `the same shape: negative elements are multiplied by a learnt slope${spec.sharedAxes?.length ? `, one shared along axes ${spec.sharedAxes.join(', ')}` : ', one per element'}.`;
    case 'LayerNormalization':
      return `the same shape: each example is normalised with its own mean and variance over axis ${[spec.axis].flat().join(', ')}, then scaled and shifted (γ, β learnt; no running statistics).`;
    case 'Embedding':
      return `each id (0 … ${spec.inputDim - 1}) replaced by its learnt vector of ${spec.outputDim} numbers (a ${spec.inputDim}×${spec.outputDim} table).`;
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return `${recurrentText(spec, steps)} ${WHOLE_SEQUENCE}`;
    case 'Bidirectional':
      return `${recurrentText(spec.layer, steps)} A second copy reads the sequence backwards; the two are merged by ${spec.mergeMode ?? 'keeping them apart'}. Every output sees the whole sequence: no windowed receptive field.`;
    case 'TensorFlowOp':
      return spec.op === 'DepthToSpace'
        ? `blocks of ${spec.blockSize}×${spec.blockSize} channels moved into space: height and width × ${spec.blockSize}, channels ÷ ${(spec.blockSize ?? 1) ** 2}.`
        : spec.op === 'SpaceToDepth'
          ? `each ${spec.blockSize}×${spec.blockSize} block of positions moved into the channels: height and width ÷ ${spec.blockSize}, channels × ${(spec.blockSize ?? 1) ** 2}.`
          : `the same shape: TensorFlow's ${spec.op} applied to every element${elementwiseConstant(spec)}.`;
    case 'Lambda':
      return 'the output shape given for this Python function (ConvScope cannot read the function to check it).';
    case 'MultiHeadAttention':
      return `${spec.numHeads} heads: each projects the query and key to ${spec.keyDim} numbers and the value to ${spec.valueDim ?? spec.keyDim}, mixes all value positions weighted by softmax(q·k/√${spec.keyDim}), and an output projection joins the heads. Every position sees the whole sequence: no windowed receptive field.`;
  }
}

function recurrentText(spec: Extract<LayerSpec, { type: 'SimpleRNN' | 'LSTM' | 'GRU' }>, steps: number | null): string {
  const over = steps === null ? 'every step' : `each of the ${countOf(steps, 'step')}`;
  const out = spec.returnSequences ? 'the state at every step is an output' : 'only the last state is the output';
  return `a state of ${countOf(spec.units, 'unit')} updated at ${over} from the step's features and the previous state; ${out}.`;
}

/** The constant an element-wise op applies: a number, or a learnt tensor whose values the file keeps. */
function elementwiseConstant(spec: Extract<LayerSpec, { type: 'TensorFlowOp' }>): string {
  const side = spec.constantFirst ? ' as its first operand' : '';
  if (spec.constant !== undefined) return ` with the constant ${spec.constant}${side}`;
  if (!spec.constantShape) return '';
  const start = neutralConstant(spec.op);
  const learnt =
    start === null ? '' : ` (its values stay in the file: training and the PyTorch export start it at ${start})`;
  return ` with a learnt constant of shape [${spec.constantShape.join(', ')}]${side}${learnt}`;
}
