import { resolveWiring } from '../../engine/analysis/graph';
import type { Analysis, LayerResult } from '../../engine/analysis/result';
import { rankInName } from '../../engine/layers/kind';
import type { LayerSpec } from '../../engine/layers/registry';
import type { Shape } from '../../engine/shape/shape';
import { channelAxis, expand, type DataFormat } from '../../engine/shape/shape';
import {
  activated,
  LEAKY_SLOPE,
  paddingLayer,
  poolingLayers,
  timeDistributedLayer,
  transposedLayers,
  zeroPadShortcutLayers,
  type Emitter,
} from './keras-windows';
import { ProblemList, modelProblems, type ExportResult } from './problems';
import { sequenceLayer } from './keras-sequence';
import { sliceLayer } from './keras-ops';

/** One Keras layer: its class, its constructor arguments (snake_case, as Keras writes them) and inputs. */
export interface KerasLayer {
  readonly name: string;
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly inputs: readonly string[];
  /** Frozen (Keras `trainable=False`): every Keras layer written for a frozen layer or block. */
  readonly trainable?: false;
  /** Keyword names of the inputs after the first (MultiHeadAttention's `value`, `key`). */
  readonly keywords?: readonly string[];
  /** What no Keras 3 layer expresses: the Python export writes a Lambda of this code instead. */
  readonly lambda?: KerasLambda;
  /** Why Keras JSON cannot hold this layer; the Python export still writes it. */
  readonly notInJson?: string;
}

/** A Lambda's body as a function of `x`, the comment written above it, and whether it needs `tf`. */
export interface KerasLambda {
  readonly code: string;
  readonly note: string;
  readonly tensorflow?: true;
  /** The output's shape, batch excluded (Keras' `output_shape`), when known. */
  readonly outputShape?: Shape | null;
}

/** What a layer may add to its class, config and inputs. */
export type KerasExtras = Pick<KerasLayer, 'keywords' | 'lambda' | 'notInJson'>;

/**
 * The model as Keras layers. Keras JSON and Keras Python code are both written from this, so
 * they cannot disagree. Blocks become their layers; PyTorch-only padding becomes ZeroPadding
 * or Cropping layers; what Keras cannot express is a located problem and nothing is written.
 */
export interface KerasGraph {
  readonly name: string;
  readonly layers: readonly KerasLayer[];
  readonly outputs: readonly string[];
  /** True when every layer reads the one before it: Keras' Sequential. */
  readonly sequential: boolean;
}

export function kerasGraph(analysis: Analysis): ExportResult<KerasGraph> {
  const problems = new ProblemList();
  for (const p of modelProblems(analysis, 'keras')) problems.add(p.layer, p.message);
  if (problems.items.length) return problems.result(null as never);
  const builder = new Builder(analysis.model.dataFormat, problems, new Set(analysis.layers.map((l) => l.name)));
  const { order } = resolveWiring(analysis.model.layers);
  for (const i of order) builder.layer(analysis.layers[i] as LayerResult);
  const outputs = analysis.outputs.map((o) => builder.outputOf(o));
  const layers = builder.layers;
  const sequential =
    outputs.length === 1 &&
    layers.filter((l) => l.className === 'InputLayer').length === 1 &&
    layers.every((l, i) => i === 0 || (l.inputs.length === 1 && l.inputs[0] === layers[i - 1]?.name));
  return problems.result({ name: analysis.model.name, layers, outputs, sequential });
}

const MERGES: Record<string, string> = { Add: 'Add', Multiply: 'Multiply', Average: 'Average', Maximum: 'Maximum' };

class Builder implements Emitter {
  readonly layers: KerasLayer[] = [];
  private readonly outputs = new Map<string, string>();
  private readonly taken: Set<string>;

  constructor(
    readonly format: DataFormat,
    readonly problems: ProblemList,
    names: Set<string>,
  ) {
    this.taken = new Set(names);
  }

  outputOf(layer: string): string {
    return this.outputs.get(layer) ?? layer;
  }

  helper(base: string): string {
    let name = base;
    for (let n = 1; this.taken.has(name); n++) name = `${base}_${n}`;
    this.taken.add(name);
    return name;
  }

  emit(
    className: string,
    config: Record<string, unknown>,
    inputs: readonly string[],
    name: string,
    extras: KerasExtras = {},
  ): string {
    this.layers.push({ name, className, config, inputs, ...extras });
    return name;
  }

  layer(result: LayerResult): void {
    const spec = result.spec as LayerSpec;
    const inputs = result.inputs.map((n) => this.outputOf(n));
    if (spec.type === 'NestedModel' && spec.output !== undefined)
      this.problems.add(result.name, 'a nested model whose output is not its last layer cannot be written yet.');
    const first = this.layers.length;
    const block =
      spec.type === 'ResNetBasicBlock' || spec.type === 'ResNetBottleneckBlock' || spec.type === 'NestedModel';
    const output = block ? this.block(result, inputs[0] as string) : this.map(spec, result, inputs, result.name);
    this.outputs.set(result.name, output);
    if (!result.frozen) return;
    for (let i = first; i < this.layers.length; i++) this.layers[i] = { ...this.layers[i]!, trainable: false };
  }

  /** A block's layers, named block_child; its last layer takes the block's name. */
  private block(result: LayerResult, input: string): string {
    const local = new Map<string, string>([['input', input]]);
    const children = result.children ?? [];
    children.forEach((child, i) => {
      const name = i === children.length - 1 ? result.name : this.helper(`${result.name}_${child.name}`);
      const inputs = child.inputs.map((n) => local.get(n) ?? n);
      local.set(child.name, this.map(child.spec as LayerSpec, child, inputs, name));
    });
    return local.get(children[children.length - 1]?.name ?? '') ?? input;
  }

  /** Emits the Keras layers for one layer; returns the name of the one holding its output. */
  map(spec: LayerSpec, r: LayerResult, inputs: readonly string[], name: string): string {
    const data_format = this.format;
    const geometry = r.geometry ?? [];
    switch (spec.type) {
      case 'Input':
        return this.emit('InputLayer', { batch_input_shape: [spec.batchSize ?? null, ...spec.shape] }, [], name);
      case 'Conv1D':
      case 'Conv2D':
      case 'Conv3D': {
        const rank = rankInName(spec.type);
        const [padding, source] = paddingLayer(this, spec.padding, geometry, inputs, name, rank);
        const config = {
          filters: spec.filters,
          kernel_size: expand(spec.kernelSize, rank),
          strides: expand(spec.strides, rank),
          padding,
          data_format,
          dilation_rate: expand(spec.dilationRate, rank),
          groups: spec.groups,
          use_bias: spec.useBias,
        };
        return activated(this, spec.type, config, spec.activation, [source], name);
      }
      case 'DepthwiseConv2D':
      case 'SeparableConv2D': {
        const [padding, source] = paddingLayer(this, spec.padding, geometry, inputs, name, 2);
        const config = {
          ...(spec.type === 'SeparableConv2D' ? { filters: spec.filters } : {}),
          kernel_size: expand(spec.kernelSize, 2),
          strides: expand(spec.strides, 2),
          padding,
          depth_multiplier: spec.depthMultiplier,
          data_format,
          dilation_rate: expand(spec.dilationRate, 2),
          use_bias: spec.useBias,
        };
        return activated(this, spec.type, config, spec.activation, [source], name);
      }
      case 'Conv1DTranspose':
      case 'Conv2DTranspose':
        return transposedLayers(this, spec, geometry, inputs, name);
      case 'MaxPooling1D':
      case 'MaxPooling2D':
      case 'MaxPooling3D':
      case 'AveragePooling1D':
      case 'AveragePooling2D':
      case 'AveragePooling3D':
        return poolingLayers(this, spec, geometry, inputs, name);
      case 'GlobalAveragePooling1D':
      case 'GlobalAveragePooling2D':
      case 'GlobalAveragePooling3D':
      case 'GlobalMaxPooling1D':
      case 'GlobalMaxPooling2D':
      case 'GlobalMaxPooling3D': {
        if (!spec.keepdims) return this.emit(spec.type, { data_format, keepdims: false }, inputs, name);
        // keepdims as pooling and a Reshape (TensorFlow.js' global pooling has no keepdims).
        const pooled = this.emit(spec.type, { data_format, keepdims: false }, inputs, this.helper(`${name}_pool`));
        return this.emit('Reshape', { target_shape: r.output }, [pooled], name);
      }
      case 'BatchNormalization': {
        const rank = r.inputShapes[0]?.length ?? 1;
        const axis = spec.axis ?? channelAxis(rank, this.format) + 1;
        return this.emit(
          'BatchNormalization',
          { axis, momentum: spec.momentum, epsilon: spec.epsilon, center: spec.center, scale: spec.scale },
          inputs,
          name,
        );
      }
      case 'Activation':
        if (spec.activation === 'leaky_relu')
          return this.emit('LeakyReLU', { alpha: spec.alpha ?? LEAKY_SLOPE }, inputs, name);
        return this.emit('Activation', { activation: spec.activation }, inputs, name);
      case 'Dropout':
        return this.emit('Dropout', { rate: spec.rate }, inputs, name);
      case 'Rescaling':
        return this.emit('Rescaling', { scale: spec.scale, offset: spec.offset }, inputs, name);
      case 'Normalization':
        return this.emit('Normalization', normalizationConfig(spec), inputs, name);
      case 'Dense':
        return activated(this, 'Dense', { units: spec.units, use_bias: spec.useBias }, spec.activation, inputs, name);
      case 'Flatten':
        // Memory order, as the engine and PyTorch flatten (Keras' channels_first Flatten reorders).
        return this.emit('Flatten', { data_format: 'channels_last' }, inputs, name);
      case 'Reshape':
        return this.emit('Reshape', { target_shape: spec.targetShape }, inputs, name);
      case 'Permute':
        return this.emit('Permute', { dims: spec.dims }, inputs, name);
      case 'Slice':
        return sliceLayer(this, spec, r, inputs, name);
      case 'ZeroPadding1D':
      case 'ZeroPadding2D':
      case 'ZeroPadding3D':
        return this.emit(
          spec.type,
          { padding: spec.padding, ...(spec.type === 'ZeroPadding1D' ? {} : { data_format }) },
          inputs,
          name,
        );
      case 'Cropping1D':
      case 'Cropping2D':
      case 'Cropping3D':
        return this.emit(
          spec.type,
          { cropping: spec.cropping, ...(spec.type === 'Cropping1D' ? {} : { data_format }) },
          inputs,
          name,
        );
      case 'UpSampling1D':
        return this.emit('UpSampling1D', { size: spec.size }, inputs, name);
      case 'UpSampling2D':
        return this.emit(
          'UpSampling2D',
          { size: expand(spec.size, 2), interpolation: spec.interpolation, data_format },
          inputs,
          name,
        );
      case 'UpSampling3D':
        return this.emit('UpSampling3D', { size: expand(spec.size, 3), data_format }, inputs, name);
      case 'Add':
      case 'Multiply':
      case 'Average':
      case 'Maximum':
        return this.emit(MERGES[spec.type] as string, {}, inputs, name);
      case 'Concatenate': {
        const rank = r.inputShapes[0]?.length ?? 1;
        return this.emit('Concatenate', { axis: spec.axis ?? channelAxis(rank, this.format) + 1 }, inputs, name);
      }
      case 'TimeDistributed':
        return timeDistributedLayer(this, spec.layer, r, inputs, name);
      case 'ZeroPadShortcut':
        return zeroPadShortcutLayers(
          this,
          r,
          expand(spec.strides, Math.max((r.output?.length ?? 2) - 1, 1)),
          inputs[0] as string,
          name,
        );
      case 'ResNetBasicBlock':
      case 'ResNetBottleneckBlock':
      case 'NestedModel':
        return this.block(r, inputs[0] as string);
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
        return sequenceLayer(this, spec, r, inputs, name);
    }
  }
}

/** Keras' Normalization config; `invert` only when set (Keras 2 does not know it). */
function normalizationConfig(spec: Extract<LayerSpec, { type: 'Normalization' }>) {
  return {
    axis: spec.axis,
    mean: spec.mean ?? null,
    variance: spec.variance ?? null,
    ...(spec.invert ? { invert: true } : {}),
  };
}
