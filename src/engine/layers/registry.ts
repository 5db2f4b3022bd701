import { z } from 'zod';
import type { Notation } from '../notation';
import type { LayerCategory, LayerKind } from './kind';
import { input } from './input';
import { conv1d, conv2d, conv3d } from './conv';
import { depthwiseConv2d, separableConv2d } from './separable';
import { conv1dTranspose, conv2dTranspose } from './conv-transpose';
import {
  averagePooling1d,
  averagePooling2d,
  averagePooling3d,
  globalAveragePooling1d,
  globalAveragePooling2d,
  globalAveragePooling3d,
  globalMaxPooling1d,
  globalMaxPooling2d,
  globalMaxPooling3d,
  maxPooling1d,
  maxPooling2d,
  maxPooling3d,
} from './pooling';
import { activationLayer, batchNormalization, dropout } from './elementwise';
import { dense, flatten } from './dense';
import { permute, reshape } from './reshape';
import { slice } from './slice';
import {
  cropping1d,
  cropping2d,
  cropping3d,
  upSampling1d,
  upSampling2d,
  upSampling3d,
  zeroPadding1d,
  zeroPadding2d,
  zeroPadding3d,
} from './spatial';
import { add, average, concatenate, maximum, multiply } from './merge';
import { timeDistributed } from './time-distributed';
import { resNetBasicBlock, resNetBottleneckBlock } from './blocks/residual';
import { zeroPadShortcut } from './blocks/shortcut';
import { normalization, rescaling } from './preprocessing';
import { nestedModel } from './blocks/nested-model';
// Layers found in real model files (issue 15).
import { prelu } from './prelu';
import { layerNormalization } from './layer-norm';
import { embedding } from './embedding';
import { gru, lstm, simpleRnn } from './recurrent';
import { bidirectional } from './bidirectional';
import { multiHeadAttention } from './attention';
import { tensorFlowOp } from './tf-op';
import { lambda } from './lambda';

/** Every layer kind, in palette order. Adding a kind: its file, then one entry here. */
export const layerKinds = [
  input,
  conv1d,
  conv2d,
  conv3d,
  depthwiseConv2d,
  separableConv2d,
  conv1dTranspose,
  conv2dTranspose,
  maxPooling1d,
  maxPooling2d,
  maxPooling3d,
  averagePooling1d,
  averagePooling2d,
  averagePooling3d,
  globalAveragePooling1d,
  globalAveragePooling2d,
  globalAveragePooling3d,
  globalMaxPooling1d,
  globalMaxPooling2d,
  globalMaxPooling3d,
  batchNormalization,
  rescaling,
  normalization,
  dropout,
  activationLayer,
  dense,
  flatten,
  reshape,
  permute,
  slice,
  zeroPadding1d,
  zeroPadding2d,
  zeroPadding3d,
  cropping1d,
  cropping2d,
  cropping3d,
  upSampling1d,
  upSampling2d,
  upSampling3d,
  add,
  multiply,
  average,
  maximum,
  concatenate,
  timeDistributed,
  resNetBasicBlock,
  resNetBottleneckBlock,
  zeroPadShortcut,
  nestedModel,
  // Layers found in real model files (issue 15).
  prelu,
  layerNormalization,
  embedding,
  simpleRnn,
  lstm,
  gru,
  bidirectional,
  multiHeadAttention,
  tensorFlowOp,
  lambda,
] as const;

type SpecOf<K> = K extends LayerKind<infer S> ? S : never;

/** A layer's fields, discriminated by `type`. */
export type LayerSpec = SpecOf<(typeof layerKinds)[number]>;
export type LayerType = LayerSpec['type'];

/**
 * The layers added for real model files (recurrent, attention, op and Lambda layers): each
 * consumer (explanations, exports, training) hands them to its own sequence module.
 */
export type SequenceSpec = Extract<
  LayerSpec,
  {
    type:
      | 'PReLU'
      | 'LayerNormalization'
      | 'Embedding'
      | 'SimpleRNN'
      | 'LSTM'
      | 'GRU'
      | 'Bidirectional'
      | 'MultiHeadAttention'
      | 'TensorFlowOp'
      | 'Lambda';
  }
>;

const byType: ReadonlyMap<string, LayerKind<LayerSpec>> = new Map(
  layerKinds.map((k) => [k.type, k as unknown as LayerKind<LayerSpec>]),
);

/** The kind of a known layer type. */
export function kindOf(type: LayerType): LayerKind<LayerSpec> {
  return byType.get(type) as LayerKind<LayerSpec>;
}

/** The kind of a type read from a file, or undefined. */
export function findKind(type: string): LayerKind<LayerSpec> | undefined {
  return byType.get(type);
}

export const layerTypes: readonly string[] = layerKinds.map((k) => k.type);

/**
 * A complete spec for a new layer of this kind: its template, the rest the framework's defaults
 * (Keras', which PyTorch shares for every kind but batch normalization; in PyTorch notation that
 * one takes PyTorch's, `pytorchTemplate`).
 */
export function templateSpec(type: LayerType, notation: Notation = 'keras'): LayerSpec {
  const kind = kindOf(type);
  const own = notation === 'pytorch' ? kind.pytorchTemplate : undefined;
  return kind.schema.parse({ type, ...kind.template, ...own });
}

export const categories: readonly LayerCategory[] = [
  'input',
  'convolution',
  'pooling',
  'normalization',
  'activation',
  'dense',
  'shape',
  'merge',
  'sequence',
  'wrapper',
  'block',
];

let anySpec: z.ZodType<LayerSpec> | undefined;

/** A schema for any layer spec (used for layers nested in others, such as TimeDistributed's). */
export function layerSpecSchema(): z.ZodType<LayerSpec> {
  anySpec ??= z.discriminatedUnion(
    'type',
    layerKinds.map((k) => k.schema) as unknown as [z.ZodObject, ...z.ZodObject[]],
  ) as unknown as z.ZodType<LayerSpec>;
  return anySpec;
}
