import { normalizedAxes } from '../../engine/layers/layer-norm';
import type { LayerSpec, SequenceSpec } from '../../engine/layers/registry';
import type { LayerCode, LayerContext } from './pytorch-layers';
import { pyNumber } from './python-text';
import { torchTensorFlowOp } from './pytorch-tf-op';

type Spec<T extends LayerSpec['type']> = Extract<LayerSpec, { type: T }>;
type Recurrent = Spec<'SimpleRNN' | 'LSTM' | 'GRU'>;

const TORCH_RNN = { SimpleRNN: 'nn.RNN', LSTM: 'nn.LSTM', GRU: 'nn.GRU' } as const;

/**
 * The PyTorch code of one of the layers added for real model files (issue 15), or why it cannot
 * be written. These layers read the model's own layout (steps × features, the last axis): in a
 * channels-last model, whose PyTorch code runs channels-first, the input moves its last axis back
 * first and the output moves it forward again.
 */
export function torchSequenceLayer(ctx: LayerContext & { readonly spec: SequenceSpec }, x: string): LayerCode | string {
  const { spec, layer, self, out } = ctx;
  const inRank = layer.inputShapes[0]?.length ?? 1;
  const outRank = layer.output?.length ?? 1;
  const cl = ctx.format === 'channels_last';
  const inView = cl && inRank >= 2 ? `to_channels_last(${x})` : x;
  const outView = (expr: string) => (cl && outRank >= 2 ? `to_channels_first(${expr})` : expr);
  const helpers = cl && (inRank >= 2 || outRank >= 2) ? (['layout'] as const) : [];
  switch (spec.type) {
    case 'PReLU': {
      const alpha = layer.weights[0]?.pytorch.shape ?? [];
      if (alpha.length !== 1)
        return `PyTorch's nn.PReLU learns one slope per channel or one for all; this layer's slopes have the shape ${alpha.join('×')} (set sharedAxes to every axis but the channels).`;
      return { module: `nn.PReLU(num_parameters=${alpha[0]}, init=0.0)`, lines: [`${out} = ${self}(${x})`] };
    }
    case 'LayerNormalization': {
      const axes = normalizedAxes(spec.axis, inRank).sort((a, b) => a - b);
      if (!axes.every((a, i) => a === inRank - axes.length + i))
        return "PyTorch's nn.LayerNorm normalises the last axes only; this layer normalises other axes.";
      if (spec.center !== spec.scale)
        return "center and scale differ: PyTorch's nn.LayerNorm learns both or neither (elementwise_affine).";
      const dims = axes.map((a) => layer.inputShapes[0]?.[a] ?? 0);
      return {
        module: `nn.LayerNorm([${dims.join(', ')}], eps=${pyNumber(spec.epsilon)}, elementwise_affine=${spec.scale ? 'True' : 'False'})`,
        lines: [`${out} = ${outView(`${self}(${inView})`)}`],
        helpers,
      };
    }
    case 'Embedding':
      if (spec.maskZero)
        return "mask_zero: PyTorch's nn.Embedding does not pass a mask on to the layers after it; turn maskZero off (or pack the sequences in PyTorch).";
      return {
        module: `nn.Embedding(${spec.inputDim}, ${spec.outputDim})`,
        lines: [`${out} = ${outView(`${self}(${inView}.long())`)}`],
        helpers,
      };
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return recurrent(ctx, spec, inView, outView, helpers, null);
    case 'Bidirectional':
      if (spec.mergeMode === null)
        return 'merge_mode None gives two outputs; PyTorch code for it is not written: choose concat, sum, mul or ave.';
      return recurrent(ctx, spec.layer, inView, outView, helpers, spec.mergeMode);
    case 'Lambda':
      return 'a Lambda layer is Python code ConvScope cannot read: write its function in PyTorch yourself.';
    case 'TensorFlowOp':
      return torchTensorFlowOp({ ...ctx, spec }, x);
    case 'MultiHeadAttention':
      return attention(ctx, spec, cl);
  }
}

function unsupported(spec: Recurrent): string | null {
  if (spec.goBackwards)
    return 'go_backwards: PyTorch reads forwards; flip the sequence with torch.flip before the layer.';
  if (spec.type === 'SimpleRNN')
    return spec.activation === 'tanh' || spec.activation === 'relu'
      ? null
      : `PyTorch's nn.RNN takes only tanh or relu, not ${spec.activation}.`;
  if (spec.activation !== 'tanh' || spec.recurrentActivation !== 'sigmoid')
    return `PyTorch's ${TORCH_RNN[spec.type]} uses tanh and sigmoid; this layer uses ${spec.activation} and ${spec.recurrentActivation} (TensorFlow.js' default gate is hard_sigmoid).`;
  if (spec.type === 'GRU' && !spec.resetAfter)
    return "reset_after=False: PyTorch's nn.GRU applies the reset gate after the recurrent product (Keras' reset_after=True), with a second bias.";
  return null;
}

/**
 * nn.RNN / nn.LSTM / nn.GRU with batch_first. PyTorch gives these layers two biases (input and
 * recurrent); Keras' SimpleRNN and LSTM have one. So that the module holds exactly Keras'
 * weights, that bias is a last column of the input kernel, fed by a constant 1 appended to
 * every step's features (W·[x, 1] = W·x + b); GRU with reset_after has both biases, as PyTorch.
 */
function recurrent(
  ctx: LayerContext,
  spec: Recurrent,
  inView: string,
  outView: (expr: string) => string,
  helpers: readonly 'layout'[],
  merge: 'concat' | 'sum' | 'mul' | 'ave' | null,
): LayerCode | string {
  const why = unsupported(spec);
  if (why) return why;
  const { self, out } = ctx;
  const features = ctx.layer.inputShapes[0]?.at(-1) ?? 0;
  const foldBias = spec.useBias && spec.type !== 'GRU';
  const args = [
    foldBias ? `${features} + 1` : `${features}`,
    `${spec.units}`,
    ...(spec.type === 'SimpleRNN' ? [`nonlinearity='${spec.activation}'`] : []),
    `bias=${spec.useBias && !foldBias ? 'True' : 'False'}`,
    'batch_first=True',
    ...(merge ? ['bidirectional=True'] : []),
  ];
  const input = foldBias ? `F.pad(${inView}, (0, 1), value=1.0)` : inView;
  const seq = `${out}_seq`;
  const lines = [`${seq}, _ = ${self}(${input})`];
  const U = spec.units;
  if (!merge || (merge === 'concat' && spec.returnSequences)) {
    lines.push(`${out} = ${spec.returnSequences ? outView(seq) : `${seq}[:, -1]`}`);
  } else {
    // The backward direction's last output is the one at the first step (it reads from the end).
    const [f, b] = spec.returnSequences
      ? [`${seq}[..., :${U}]`, `${seq}[..., ${U}:]`]
      : [`${seq}[:, -1, :${U}]`, `${seq}[:, 0, ${U}:]`];
    const merged = {
      concat: `torch.cat([${f}, ${b}], dim=-1)`,
      sum: `${f} + ${b}`,
      mul: `${f} * ${b}`,
      ave: `(${f} + ${b}) / 2`,
    }[merge];
    lines.push(`${out} = ${spec.returnSequences ? outView(merged) : merged}`);
  }
  return {
    module: `${TORCH_RNN[spec.type]}(${args.join(', ')})${foldBias ? '  # bias: the last input column' : ''}`,
    lines,
    helpers,
  };
}

/**
 * nn.MultiheadAttention(batch_first=True) holds Keras' weights when heads × keyDim is the query
 * size and the output size, and valueDim = keyDim (its heads split one embedding evenly).
 */
function attention(ctx: LayerContext, spec: Spec<'MultiHeadAttention'>, cl: boolean): LayerCode | string {
  const shapes = ctx.layer.inputShapes;
  const [eq, ev, ek] = [shapes[0]?.at(-1), shapes[1]?.at(-1), (shapes[2] ?? shapes[1])?.at(-1)];
  const e = spec.numHeads * spec.keyDim;
  if (shapes.some((s) => s?.length !== 2))
    return "PyTorch's nn.MultiheadAttention takes sequences (steps × features); this layer's inputs have other ranks.";
  if (e !== eq || (spec.valueDim ?? spec.keyDim) !== spec.keyDim || (spec.outputShape ?? eq) !== eq)
    return `PyTorch's nn.MultiheadAttention splits one embedding of the query's size (${eq}) evenly over the heads and projects back to it: heads × keyDim is ${e} here${spec.valueDim && spec.valueDim !== spec.keyDim ? ', and valueDim differs from keyDim' : ''}.`;
  const view = (v: string) => (cl ? `to_channels_last(${v})` : v);
  const [q, v, k = v] = ctx.x.map(view) as [string, string, string?];
  const dims = ek === eq && ev === eq ? '' : `, kdim=${ek}, vdim=${ev}`;
  return {
    module: `nn.MultiheadAttention(${e}, ${spec.numHeads}, bias=${spec.useBias ? 'True' : 'False'}, batch_first=True${dims})`,
    lines: [
      `${ctx.out}, _ = ${ctx.self}(${q}, ${k}, ${v})`,
      ...(cl ? [`${ctx.out} = to_channels_first(${ctx.out})`] : []),
    ],
    helpers: cl ? ['layout'] : [],
  };
}
