import type { LayerResult } from '../../../engine/analysis/result';
import type { LayerSpec } from '../../../engine/layers/registry';
import type { Graph, Value } from '../graph';
import {
  mapActivation,
  mapBatchNorm,
  mapConcatenate,
  mapDense,
  mapDropout,
  mapFlatten,
  mapMerge,
  mapPermute,
  mapSlice,
  mapReshape,
} from './basic';
import { mapNormalization, mapRescaling } from './preprocessing';
import { mapBlock, mapTimeDistributed, mapZeroPadShortcut } from './composite';
import type { MapContext } from './context';
import { mapConv, mapTransposed } from './conv';
import { mapBorder, mapUpsampling } from './shape';
import { mapGlobalPool, mapPool } from './window';
import { mapSequenceLayer } from './sequence';

/**
 * The tfjs layers of one engine layer (inputs already built), the last named `name`. Inputs are
 * handled by the builder. Every kind of the engine's registry has a case: a new kind fails to
 * compile here until it has one.
 */
export function mapLayer(g: Graph, r: LayerResult, name: string, inputs: readonly Value[]): Value {
  const spec = r.spec as LayerSpec;
  const ctx = <S>(s: S): MapContext<S> => ({ g, r, spec: s, name, inputs });
  switch (spec.type) {
    case 'Input':
      throw new Error('Inputs are made by the builder');
    case 'Conv1D':
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D':
      return mapConv(ctx(spec));
    case 'Conv1DTranspose':
    case 'Conv2DTranspose':
      return mapTransposed(ctx(spec));
    case 'MaxPooling1D':
    case 'MaxPooling2D':
    case 'AveragePooling1D':
    case 'AveragePooling2D':
      return mapPool(ctx(spec));
    case 'GlobalAveragePooling1D':
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling1D':
    case 'GlobalMaxPooling2D':
      return mapGlobalPool(ctx(spec));
    case 'BatchNormalization':
      return mapBatchNorm(ctx(spec));
    case 'Dropout':
      return mapDropout(ctx(spec));
    case 'Rescaling':
      return mapRescaling(ctx(spec));
    case 'Normalization':
      return mapNormalization(ctx(spec));
    case 'Activation':
      return mapActivation(ctx(spec));
    case 'Dense':
      return mapDense(ctx(spec));
    case 'Flatten':
      return mapFlatten(ctx(spec));
    case 'Reshape':
      return mapReshape(ctx(spec));
    case 'Permute':
      return mapPermute(ctx(spec));
    case 'Slice':
      return mapSlice(ctx(spec));
    case 'ZeroPadding1D':
    case 'ZeroPadding2D':
    case 'Cropping1D':
    case 'Cropping2D':
      return mapBorder(ctx(spec));
    case 'UpSampling1D':
    case 'UpSampling2D':
      return mapUpsampling(ctx(spec));
    case 'Add':
    case 'Multiply':
    case 'Average':
    case 'Maximum':
      return mapMerge(ctx(spec));
    case 'Concatenate':
      return mapConcatenate(ctx(spec));
    case 'TimeDistributed':
      return mapTimeDistributed(ctx(spec), mapLayer);
    case 'ResNetBasicBlock':
    case 'ResNetBottleneckBlock':
    case 'NestedModel':
      return mapBlock(ctx(spec), mapLayer);
    case 'ZeroPadShortcut':
      return mapZeroPadShortcut(ctx(spec));
    case 'Conv3D':
    case 'MaxPooling3D':
    case 'AveragePooling3D':
    case 'GlobalAveragePooling3D':
    case 'GlobalMaxPooling3D':
    case 'ZeroPadding3D':
    case 'Cropping3D':
    case 'UpSampling3D':
      // run-checks' volumeProblem refuses these models before this: the tab's data are 2-D images and sequences.
      throw new Error(`${spec.type} works on 3-D volumes; ConvScope runs models in the tab on 2-D images only.`);
    case 'PReLU':
    case 'LayerNormalization':
    case 'Embedding':
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
    case 'Bidirectional':
    case 'MultiHeadAttention':
    case 'TensorFlowOp':
    case 'Lambda':
      return mapSequenceLayer(ctx(spec));
    default: {
      const never: never = spec;
      throw new Error(`No tfjs translation for ${(never as LayerSpec).type}`);
    }
  }
}
