import type { DataFormat } from '../../engine/shape/shape';
import { LEAKY_SLOPE } from './keras-windows';
import { pyNumber } from './python-text';

/** A Keras activation as a PyTorch expression. Softmax runs over the model's last axis, as Keras does. */
export function activation(name: string, x: string, format: DataFormat, alpha?: number): string {
  const dim = format === 'channels_last' ? 1 : -1;
  const table: Record<string, string> = {
    linear: x,
    relu: `F.relu(${x})`,
    relu6: `F.relu6(${x})`,
    leaky_relu: `F.leaky_relu(${x}, ${pyNumber(alpha ?? LEAKY_SLOPE)})`,
    elu: `F.elu(${x}, ${pyNumber(alpha ?? 1)})`,
    selu: `F.selu(${x})`,
    gelu: `F.gelu(${x})`,
    silu: `F.silu(${x})`,
    swish: `F.silu(${x})`,
    sigmoid: `torch.sigmoid(${x})`,
    hard_sigmoid: `F.hardsigmoid(${x})`,
    hard_swish: `F.hardswish(${x})`,
    tanh: `torch.tanh(${x})`,
    softmax: `F.softmax(${x}, dim=${dim})`,
    softplus: `F.softplus(${x})`,
    softsign: `F.softsign(${x})`,
    mish: `F.mish(${x})`,
  };
  return table[name] ?? x;
}
