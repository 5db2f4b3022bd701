import type { ModelLayer } from '../../model/model';

/** Complete layer specs for the layers blocks are made of (blocks skip the file schema). */
export function convLayer(
  name: string,
  rank: number,
  filters: number,
  kernel: number,
  strides: number,
  padding: 'same' | 'valid' | number,
  useBias: boolean,
  inputs?: string[],
): ModelLayer {
  return {
    name,
    ...(inputs ? { inputs } : {}),
    spec: {
      type: rank === 1 ? 'Conv1D' : 'Conv2D',
      filters,
      kernelSize: kernel,
      strides,
      padding,
      dilationRate: 1,
      groups: 1,
      useBias,
      activation: 'linear',
    },
  };
}

/** Batch norm with PyTorch's defaults (ε = 1e-5, momentum 0.1, i.e. Keras momentum 0.9). */
export function batchNormLayer(name: string): ModelLayer {
  return { name, spec: { type: 'BatchNormalization', center: true, scale: true, epsilon: 1e-5, momentum: 0.9 } };
}

/** A ReLU activation layer. */
export function reluLayer(name: string): ModelLayer {
  return { name, spec: { type: 'Activation', activation: 'relu' } };
}

/** An Add of the named layers (the residual connection). */
export function addLayer(name: string, inputs: string[]): ModelLayer {
  return { name, inputs, spec: { type: 'Add' } };
}
