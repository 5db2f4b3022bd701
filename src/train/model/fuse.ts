import type * as tf from '@tensorflow/tfjs';
import { fuseFollowingRelu, fusesRelu } from './layers/relu-fusion';
import { ConvScopeActivation } from './layers/simple-layers';

/**
 * Batch norm followed by ReLU (conv → BN → ReLU, ResNets' every stem and first half-block) runs
 * as one op in training where the backend has kernels for it (WebGPU: two dispatches fewer per
 * pair, forward and backward); so does a residual Add followed by ReLU (one fewer). Both layers
 * stay in the model under their names, with their weights, config and inference pass as before,
 * so summaries, saved models, the export and the feature maps (which probe each layer's output,
 * in inference) see no difference. Only the training pass changes, and only where it cannot be
 * seen: the layer's output must have exactly one reader, a ReLU, and must not be a model output
 * (layers/relu-fusion.ts). The ReLU then passes the rectified value through (ops/activation.ts);
 * on backends without the kernels nothing changes.
 *
 * Returns how many layers were fused with their ReLU.
 */
export function fuseRelu(model: tf.LayersModel): number {
  const outputs = new Set(model.outputs);
  let fused = 0;
  for (const layer of model.layers) {
    if (!fusesRelu(layer) || layer.inboundNodes.length !== 1 || layer.outboundNodes.length !== 1) continue;
    if (outputs.has(layer.output as tf.SymbolicTensor)) continue;
    const reader = layer.outboundNodes[0]?.outboundLayer;
    if (!reader || !isRelu(reader)) continue;
    fuseFollowingRelu(layer);
    fused++;
  }
  return fused;
}

function isRelu(layer: tf.layers.Layer): boolean {
  return layer instanceof ConvScopeActivation && layer.getConfig()['activation'] === 'relu';
}
