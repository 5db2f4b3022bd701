/**
 * Weight tensors in both frameworks' conventions. A convolution from 32 to 64 channels with a
 * 5×5 kernel holds 64 filters, each 32 channels deep: PyTorch stores it as out × in/groups × kH
 * × kW (64×32×5×5, `torch.nn.Conv2d.weight`), Keras as kH × kW × in/groups × out (5×5×32×64,
 * `keras.layers.Conv2D.kernel`).
 */
export interface WeightTensor {
  readonly keras: NamedShape;
  readonly pytorch: NamedShape;
  /** Number of scalars. */
  readonly count: number;
  /** False for statistics that training does not update by gradient (batch-norm moving mean/var). */
  readonly trainable: boolean;
  /** True for a weight of a frozen layer inside a block: a parameter that training leaves alone. */
  readonly frozen?: boolean;
}

export interface NamedShape {
  readonly name: string;
  readonly shape: readonly number[];
}

function tensor(keras: NamedShape, pytorch: NamedShape, trainable = true): WeightTensor {
  const count = keras.shape.reduce((a, b) => a * b, 1);
  return { keras, pytorch, count, trainable };
}

/** Convolution kernel: Keras k… × in/groups × out; PyTorch out × in/groups × k…. */
export function convKernel(kernel: readonly number[], inPerGroup: number, out: number) {
  return tensor(
    { name: 'kernel', shape: [...kernel, inPerGroup, out] },
    { name: 'weight', shape: [out, inPerGroup, ...kernel] },
  );
}

/**
 * Transposed convolution kernel: Keras k… × out × in (`Conv2DTranspose.kernel`); PyTorch
 * in × out/groups × k… (`ConvTranspose2d.weight`).
 */
export function transposedKernel(kernel: readonly number[], inChannels: number, outPerGroup: number, groups: number) {
  return tensor(
    { name: 'kernel', shape: [...kernel, outPerGroup * groups, inChannels / groups] },
    { name: 'weight', shape: [inChannels, outPerGroup, ...kernel] },
  );
}

/**
 * Depthwise kernel: Keras k… × in × multiplier (`depthwise_kernel`); PyTorch, a convolution with
 * groups = in: (in·multiplier) × 1 × k….
 */
export function depthwiseKernel(
  kernel: readonly number[],
  inChannels: number,
  multiplier: number,
  pytorchName = 'weight',
) {
  return tensor(
    { name: 'depthwise_kernel', shape: [...kernel, inChannels, multiplier] },
    { name: pytorchName, shape: [inChannels * multiplier, 1, ...kernel] },
  );
}

/** Pointwise (1×1) kernel of a separable convolution. */
export function pointwiseKernel(rank: number, inChannels: number, out: number) {
  const ones = Array.from({ length: rank }, () => 1);
  return tensor(
    { name: 'pointwise_kernel', shape: [...ones, inChannels, out] },
    { name: 'pointwise.weight', shape: [out, inChannels, ...ones] },
  );
}

/** A bias: one number per output channel or unit. */
export function bias(n: number, pytorchName = 'bias') {
  return tensor({ name: 'bias', shape: [n] }, { name: pytorchName, shape: [n] });
}

/** Dense kernel: Keras in × units; PyTorch `Linear.weight` units × in. */
export function denseKernel(inFeatures: number, units: number) {
  return tensor({ name: 'kernel', shape: [inFeatures, units] }, { name: 'weight', shape: [units, inFeatures] });
}

/** Batch normalisation: a learnt scale and shift, and two running statistics. */
export function batchNormWeights(channels: number, scale: boolean, center: boolean) {
  const stat = (keras: string, pytorch: string, trainable: boolean) =>
    tensor({ name: keras, shape: [channels] }, { name: pytorch, shape: [channels] }, trainable);
  return [
    ...(scale ? [stat('gamma', 'weight', true)] : []),
    ...(center ? [stat('beta', 'bias', true)] : []),
    stat('moving_mean', 'running_mean', false),
    stat('moving_variance', 'running_var', false),
  ];
}

/**
 * A statistic kept beside the weights and not trained by gradient (Keras `add_weight(...,
 * trainable=False)`; a registered buffer in PyTorch), named alike in both.
 */
export function statistic(name: string, shape: readonly number[]) {
  return tensor({ name, shape }, { name, shape }, false);
}

/** The same tensor inside a named sub-layer: Keras `conv1/kernel`, PyTorch `conv1.weight`. */
export function prefixWeight(prefix: string, w: WeightTensor): WeightTensor {
  return {
    ...w,
    keras: { ...w.keras, name: `${prefix}/${w.keras.name}` },
    pytorch: { ...w.pytorch, name: `${prefix}.${w.pytorch.name}` },
  };
}

/**
 * A trained tensor that each framework names and shapes its own way (a recurrent kernel, an
 * embedding table, PReLU's slopes); the count is Keras'.
 */
export function namedWeight(
  kerasName: string,
  kerasShape: readonly number[],
  pytorchName: string,
  pytorchShape: readonly number[] = kerasShape,
): WeightTensor {
  return tensor({ name: kerasName, shape: kerasShape }, { name: pytorchName, shape: pytorchShape });
}
