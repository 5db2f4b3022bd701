/**
 * Convolution and pooling arithmetic along one axis. Every layer reuses these; nothing else in
 * the engine computes an output length or a padding.
 *
 * Sources: Keras `keras/src/utils/conv_utils.py` (conv_output_length, deconv_output_length);
 * TensorFlow `GetWindowedOutputSizeVerbose` (how 'same' splits its padding); PyTorch docs of
 * Conv2d, ConvTranspose2d and MaxPool2d, and `pooling_output_shape` in
 * aten/src/ATen/native/Pool.h (ceil mode); Dumoulin & Visin, "A guide to convolution arithmetic
 * for deep learning" (2016).
 */

/** Padding on the two sides of one axis: [before (top/left), after (bottom/right)]. */
export type SidePadding = readonly [number, number];

/** Extent of a dilated kernel: d·(k−1)+1 (Keras `dilated_filter_size`). */
export function dilatedKernel(kernel: number, dilation: number): number {
  return dilation * (kernel - 1) + 1;
}

/**
 * Output length of a window (convolution or pooling) over an axis padded explicitly:
 * ⌊(L + p₀ + p₁ − d·(k−1) − 1)/s⌋ + 1 (PyTorch Conv2d docs; Keras' 'valid' when p = 0).
 *
 * With `ceilMode` (PyTorch pooling) the division rounds up, and a last window that would start
 * inside the right padding is dropped: if (out−1)·s ≥ L + p₀ then out −= 1
 * (`pooling_output_shape`). The result may be ≤ 0: the caller reports that.
 */
export function windowOutputLength(
  length: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: SidePadding,
  ceilMode = false,
): number {
  const span = length + padding[0] + padding[1] - dilatedKernel(kernel, dilation);
  if (!ceilMode || span < 0) return Math.floor(span / stride) + 1;
  let out = Math.ceil(span / stride) + 1;
  if ((out - 1) * stride >= length + padding[0]) out -= 1;
  return out;
}

/**
 * TF/Keras 'same' padding: the output is ⌈L/s⌉ and the total padding
 * max((⌈L/s⌉−1)·s + d·(k−1)+1 − L, 0) is split with the odd pixel at the end (bottom/right),
 * as TensorFlow's `GetWindowedOutputSizeVerbose` does. PyTorch's `padding='same'` (stride 1
 * only) puts the odd pixel at the end too.
 */
export function samePadding(length: number, kernel: number, stride: number, dilation: number): SidePadding {
  const out = Math.ceil(length / stride);
  const total = Math.max((out - 1) * stride + dilatedKernel(kernel, dilation) - length, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Keras 'causal' padding (Conv1D): (k−1)·d zeros on the left and none on the right, so output t
 * sees only inputs ≤ t (van den Oord et al. 2016, WaveNet).
 */
export function causalPadding(kernel: number, dilation: number): SidePadding {
  return [(kernel - 1) * dilation, 0];
}

/**
 * Output length of a transposed convolution: (L−1)·s − p₀ − p₁ + d·(k−1) + outputPadding + 1
 * (PyTorch ConvTranspose2d docs). It is the input length of the forward convolution whose
 * gradient it computes.
 */
export function transposedOutputLength(
  length: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: SidePadding,
  outputPadding: number,
): number {
  return (length - 1) * stride - padding[0] - padding[1] + dilatedKernel(kernel, dilation) + outputPadding;
}

/**
 * Keras' 'valid' and 'same' for a transposed convolution, written as explicit padding and
 * output padding so that `transposedOutputLength` gives Keras' `deconv_output_length`:
 * 'valid' → L·s + max(k_eff − s, 0); 'same' → L·s. The crop of 'same' is the 'same' padding of
 * the forward convolution (total max(k_eff − s, 0), odd pixel at the end); when k_eff < s the
 * last s − k_eff outputs receive no input, as output padding.
 */
export function kerasTransposedPadding(
  mode: 'valid' | 'same',
  kernel: number,
  stride: number,
  dilation: number,
): { padding: SidePadding; outputPadding: number } {
  const eff = dilatedKernel(kernel, dilation);
  const outputPadding = Math.max(stride - eff, 0);
  if (mode === 'valid') return { padding: [0, 0], outputPadding };
  const total = Math.max(eff - stride, 0);
  const before = Math.floor(total / 2);
  return { padding: [before, total - before], outputPadding };
}
