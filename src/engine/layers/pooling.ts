import { z } from 'zod';
import { warning, type Issue } from '../model/diagnostic';
import { expand, joinChannels } from '../shape/shape';
import { LIMITS, padding, perAxis, strides, type PaddingSpec } from './fields';
import { anyFeatureMap, isIssue } from './feature-map';
import { defineLayer, failed, type InferContext, type Inference } from './kind';
import { slide } from './window';

function poolSchema<T extends string>(type: T, rank: number) {
  return z.strictObject({
    type: z.literal(type),
    poolSize: perAxis(rank, 1, LIMITS.kernel, 'pool size').default(2).describe('Window size.'),
    strides: z
      .union([strides(rank), z.null()])
      .default(null)
      .describe('Step between windows; default: the pool size.'),
    padding: padding(rank).default('valid'),
    ceilMode: z.boolean().default(false).describe('PyTorch ceil_mode: round the output size up.'),
  });
}

interface PoolFields {
  readonly type: string;
  readonly poolSize: number | readonly number[];
  readonly strides: number | readonly number[] | null;
  readonly padding: PaddingSpec;
  readonly ceilMode: boolean;
}

/** Max or average pooling: a window per channel, no weights. Output size as for a convolution. */
function inferPool(rank: number, ctx: InferContext<PoolFields>): Inference {
  const { spec, format } = ctx;
  const x = anyFeatureMap(spec.type, ctx.inputs[0] ?? [], rank, format);
  if (isIssue(x)) return failed(x);
  const kernel = expand(spec.poolSize, rank);
  const stride = spec.strides === null ? kernel : expand(spec.strides, rank);
  const s = slide({
    what: 'pooling window',
    spatial: x.spatial,
    kernel,
    strides: stride,
    dilation: kernel.map(() => 1),
    padding: spec.padding,
    ceilMode: spec.ceilMode,
  });
  if (s.issues.length) return failed(...s.issues);
  const issues: Issue[] = [];
  const explicit = typeof spec.padding !== 'string';
  if (explicit && s.geometry.some((g) => g.padding && Math.max(...g.padding) > Math.floor(g.kernel / 2))) {
    issues.push(
      warning(
        'pool-padding',
        'Padding is more than half the pooling window: PyTorch refuses this ("pad should be at most half of effective kernel size").',
      ),
    );
  }
  return {
    output: joinChannels(s.output, x.channels, format),
    weights: [],
    macs: 0,
    field: s.windows,
    geometry: s.geometry,
    issues,
  };
}

function pool<T extends string>(type: T, rank: number, summary: string) {
  return defineLayer({
    type,
    category: 'pooling',
    summary,
    schema: poolSchema(type, rank),
    arity: 'one',
    infer: (ctx) => inferPool(rank, ctx),
  });
}

export const maxPooling1d = pool('MaxPooling1D', 1, 'Keeps the largest value of each window, per channel.');
export const maxPooling2d = pool('MaxPooling2D', 2, 'Keeps the largest value of each window, per channel.');
export const maxPooling3d = pool('MaxPooling3D', 3, 'Keeps the largest value of each window of a volume, per channel.');
export const averagePooling1d = pool('AveragePooling1D', 1, 'Averages each window, per channel.');
export const averagePooling2d = pool('AveragePooling2D', 2, 'Averages each window, per channel.');
export const averagePooling3d = pool('AveragePooling3D', 3, 'Averages each window of a volume, per channel.');

/** Global pooling: one value per channel, from the whole map; any map size gives the same output. */
function inferGlobal(rank: number, ctx: InferContext<{ type: string; keepdims: boolean }>): Inference {
  const x = anyFeatureMap(ctx.spec.type, ctx.inputs[0] ?? [], rank, ctx.format);
  if (isIssue(x)) return failed(x);
  const output = ctx.spec.keepdims
    ? joinChannels(
        x.spatial.map(() => 1),
        x.channels,
        ctx.format,
      )
    : [x.channels];
  return { output, weights: [], macs: 0, field: null, issues: [] };
}

function globalPool<T extends string>(type: T, rank: number, summary: string) {
  return defineLayer({
    type,
    category: 'pooling',
    summary,
    schema: z.strictObject({
      type: z.literal(type),
      keepdims: z.boolean().default(false).describe('Keep the spatial axes with size 1.'),
    }),
    arity: 'one',
    infer: (ctx) => inferGlobal(rank, ctx),
  });
}

export const globalAveragePooling1d = globalPool(
  'GlobalAveragePooling1D',
  1,
  'Averages over the whole sequence: one value per channel, for any length.',
);
export const globalAveragePooling2d = globalPool(
  'GlobalAveragePooling2D',
  2,
  'Averages over the whole image: one value per channel, for any image size.',
);
export const globalMaxPooling1d = globalPool(
  'GlobalMaxPooling1D',
  1,
  'Maximum over the whole sequence: one value per channel.',
);
export const globalMaxPooling2d = globalPool(
  'GlobalMaxPooling2D',
  2,
  'Maximum over the whole image: one value per channel.',
);
export const globalAveragePooling3d = globalPool(
  'GlobalAveragePooling3D',
  3,
  'Averages over the whole volume: one value per channel, for any volume size.',
);
export const globalMaxPooling3d = globalPool(
  'GlobalMaxPooling3D',
  3,
  'Maximum over the whole volume: one value per channel.',
);
