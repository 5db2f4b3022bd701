import { resolveWiring } from '../../engine/analysis/graph';
import type { Analysis, LayerResult } from '../../engine/analysis/result';
import type { LayerSpec } from '../../engine/layers/registry';
import type { AxisGeometry } from '../../engine/layers/kind';
import { samePadding, windowOutputLength } from '../../engine/shape/conv-arithmetic';
import { channelAxis, expand, type DataFormat } from '../../engine/shape/shape';
import { ProblemList, modelProblems, type ExportResult } from './problems';

/** One Keras layer: its class, its constructor arguments (snake_case, as Keras writes them) and inputs. */
export interface KerasLayer {
  readonly name: string;
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly inputs: readonly string[];
}

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
  for (const p of modelProblems(analysis.diagnostics)) problems.add(p.layer, p.message);
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

/** Keras 3's leaky_relu activation: slope 0.2 for negative inputs (the engine's default too). */
export const LEAKY_SLOPE = 0.2;

const MERGES: Record<string, string> = { Add: 'Add', Multiply: 'Multiply', Average: 'Average', Maximum: 'Maximum' };

class Builder {
  readonly layers: KerasLayer[] = [];
  private readonly outputs = new Map<string, string>();
  private readonly taken: Set<string>;

  constructor(
    private readonly format: DataFormat,
    private readonly problems: ProblemList,
    names: Set<string>,
  ) {
    this.taken = new Set(names);
  }

  outputOf(layer: string): string {
    return this.outputs.get(layer) ?? layer;
  }

  /** A fresh name for a helper layer the model did not have ("conv1_pad"). */
  private helper(base: string): string {
    let name = base;
    for (let n = 1; this.taken.has(name); n++) name = `${base}_${n}`;
    this.taken.add(name);
    return name;
  }

  private emit(className: string, config: Record<string, unknown>, inputs: readonly string[], name: string): string {
    this.layers.push({ name, className, config, inputs });
    return name;
  }

  layer(result: LayerResult): void {
    const spec = result.spec as LayerSpec;
    const inputs = result.inputs.map((n) => this.outputOf(n));
    if (spec.type === 'ResNetBasicBlock' || spec.type === 'ResNetBottleneckBlock') {
      this.outputs.set(result.name, this.block(result, inputs[0] as string));
      return;
    }
    this.outputs.set(result.name, this.map(spec, result, inputs, result.name));
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
  private map(spec: LayerSpec, r: LayerResult, inputs: readonly string[], name: string): string {
    const data_format = this.format;
    const geometry = r.geometry ?? [];
    switch (spec.type) {
      case 'Input':
        return this.emit('InputLayer', { batch_input_shape: [null, ...spec.shape] }, [], name);
      case 'Conv1D':
      case 'Conv2D': {
        const rank = spec.type === 'Conv1D' ? 1 : 2;
        const [padding, source] = this.padding(spec.padding, geometry, inputs, name, rank);
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
        return this.activated(spec.type, config, spec.activation, [source], name);
      }
      case 'DepthwiseConv2D':
      case 'SeparableConv2D': {
        const [padding, source] = this.padding(spec.padding, geometry, inputs, name, 2);
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
        return this.activated(spec.type, config, spec.activation, [source], name);
      }
      case 'Conv1DTranspose':
      case 'Conv2DTranspose':
        return this.transposed(spec, geometry, inputs, name);
      case 'MaxPooling1D':
      case 'MaxPooling2D':
      case 'AveragePooling1D':
      case 'AveragePooling2D':
        return this.pooling(spec, geometry, inputs, name);
      case 'GlobalAveragePooling1D':
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling1D':
      case 'GlobalMaxPooling2D': {
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
      case 'Dense':
        return this.activated('Dense', { units: spec.units, use_bias: spec.useBias }, spec.activation, inputs, name);
      case 'Flatten':
        // Memory order, as the engine and PyTorch flatten (Keras' channels_first Flatten reorders).
        return this.emit('Flatten', { data_format: 'channels_last' }, inputs, name);
      case 'Reshape':
        return this.emit('Reshape', { target_shape: spec.targetShape }, inputs, name);
      case 'Permute':
        return this.emit('Permute', { dims: spec.dims }, inputs, name);
      case 'ZeroPadding1D':
      case 'ZeroPadding2D':
        return this.emit(
          spec.type,
          { padding: spec.padding, ...(spec.type === 'ZeroPadding2D' ? { data_format } : {}) },
          inputs,
          name,
        );
      case 'Cropping1D':
      case 'Cropping2D':
        return this.emit(
          spec.type,
          { cropping: spec.cropping, ...(spec.type === 'Cropping2D' ? { data_format } : {}) },
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
        return this.timeDistributed(spec.layer, r, inputs, name);
      case 'ZeroPadShortcut':
        return this.zeroPadShortcut(
          r,
          expand(spec.strides, Math.max((r.output?.length ?? 2) - 1, 1)),
          inputs[0] as string,
          name,
        );
      case 'ResNetBasicBlock':
      case 'ResNetBottleneckBlock':
        return this.block(r, inputs[0] as string);
    }
  }

  /** Keras has 'valid', 'same' and 'causal'; explicit padding becomes a ZeroPadding layer before. */
  private padding(
    spec: unknown,
    geometry: readonly AxisGeometry[],
    inputs: readonly string[],
    name: string,
    rank: number,
  ): [string, string] {
    if (spec === 'valid' || spec === 'same' || spec === 'causal') return [spec, inputs[0] as string];
    const pads = geometry.map((g) => g.padding ?? [0, 0]);
    if (pads.every(([a, b]) => a === 0 && b === 0)) return ['valid', inputs[0] as string];
    // Explicit padding that happens to be TF's 'same' for this input is written as 'same'.
    const same = geometry.every(
      (g, i) => g.input !== null && samePadding(g.input, g.kernel, g.stride, g.dilation).join() === pads[i]?.join(),
    );
    if (same) return ['same', inputs[0] as string];
    const padding = rank === 1 ? pads[0] : pads;
    const pad = this.emit(
      rank === 1 ? 'ZeroPadding1D' : 'ZeroPadding2D',
      { padding, ...(rank === 2 ? { data_format: this.format } : {}) },
      inputs,
      this.helper(`${name}_pad`),
    );
    return ['valid', pad];
  }

  /** A layer with its activation; leaky ReLU is a layer of its own in Keras. */
  private activated(
    className: string,
    config: Record<string, unknown>,
    activation: string,
    inputs: readonly string[],
    name: string,
  ): string {
    if (activation !== 'leaky_relu') return this.emit(className, { ...config, activation }, inputs, name);
    const linear = this.emit(className, { ...config, activation: 'linear' }, inputs, this.helper(`${name}_linear`));
    return this.emit('LeakyReLU', { alpha: LEAKY_SLOPE }, [linear], name);
  }

  private transposed(
    spec: Extract<LayerSpec, { type: 'Conv1DTranspose' | 'Conv2DTranspose' }>,
    geometry: readonly AxisGeometry[],
    inputs: readonly string[],
    name: string,
  ): string {
    const rank = spec.type === 'Conv1DTranspose' ? 1 : 2;
    const common = {
      filters: spec.filters,
      kernel_size: expand(spec.kernelSize, rank),
      strides: expand(spec.strides, rank),
      data_format: this.format,
      dilation_rate: expand(spec.dilationRate, rank),
      use_bias: spec.useBias,
      activation: spec.activation,
    };
    if (spec.groups !== 1) {
      this.problems.add(
        name,
        `${spec.type} with groups = ${spec.groups}: Keras' transposed convolutions have no groups.`,
      );
    }
    if ((spec.padding === 'valid' || spec.padding === 'same') && spec.outputPadding === null) {
      return this.emit(spec.type, { ...common, padding: spec.padding, output_padding: null }, inputs, name);
    }
    // PyTorch's crop: a 'valid' transposed convolution with the same output padding, then Cropping.
    const crops = geometry.map((g) => g.padding ?? [0, 0]);
    const outputPadding = geometry.map((g, i) => {
      const full = windowlessLength(g);
      return (g.output ?? 0) - full + (crops[i]?.[0] ?? 0) + (crops[i]?.[1] ?? 0);
    });
    const cropped = crops.some(([a, b]) => a + b > 0);
    const conv = this.emit(
      spec.type,
      { ...common, padding: 'valid', output_padding: outputPadding },
      inputs,
      cropped ? this.helper(`${name}_uncropped`) : name,
    );
    if (!cropped) return conv;
    return this.emit(
      rank === 1 ? 'Cropping1D' : 'Cropping2D',
      { cropping: rank === 1 ? crops[0] : crops, ...(rank === 2 ? { data_format: this.format } : {}) },
      [conv],
      name,
    );
  }

  private pooling(
    spec: Extract<LayerSpec, { type: 'MaxPooling1D' | 'MaxPooling2D' | 'AveragePooling1D' | 'AveragePooling2D' }>,
    geometry: readonly AxisGeometry[],
    inputs: readonly string[],
    name: string,
  ): string {
    const rank = spec.type.endsWith('1D') ? 1 : 2;
    const floor = geometry.map((g) =>
      g.input === null || !g.padding ? g.output : windowOutputLength(g.input, g.kernel, g.stride, 1, g.padding, false),
    );
    if (spec.ceilMode && geometry.some((g, i) => g.output !== floor[i])) {
      this.problems.add(
        name,
        `ceil mode changes this layer's output (${geometry.map((g) => g.output).join('×')} instead of ${floor.join('×')}): Keras pooling has no ceil mode, and padding cannot reproduce its partial windows exactly.`,
      );
    }
    const explicit =
      typeof spec.padding !== 'string' && geometry.some((g) => g.padding && g.padding[0] + g.padding[1] > 0);
    if (explicit && spec.type.startsWith('Max')) {
      this.problems.add(
        name,
        "explicit padding on max pooling pads with −∞ in PyTorch, but Keras' ZeroPadding pads with 0, which changes the maximum of negative values. Use 'same' or 'valid' padding.",
      );
    }
    const [padding, source] = this.padding(spec.padding, geometry, inputs, name, rank);
    const strides = spec.strides === null ? null : expand(spec.strides, rank);
    return this.emit(
      spec.type,
      { pool_size: expand(spec.poolSize, rank), strides, padding, data_format: this.format },
      [source],
      name,
    );
  }

  private timeDistributed(inner: LayerSpec, r: LayerResult, inputs: readonly string[], name: string): string {
    const child = r.children?.[0];
    const mark = this.layers.length;
    if (!child) return name;
    this.map(inner, child, ['__step__'], `${name}__inner`);
    const emitted = this.layers.splice(mark);
    if (emitted.length !== 1) {
      this.problems.add(
        name,
        `TimeDistributed(${inner.type}) would need ${emitted.length} Keras layers inside the wrapper; Keras wraps exactly one.`,
      );
      return name;
    }
    const wrapped = emitted[0] as KerasLayer;
    return this.emit(
      'TimeDistributed',
      {
        layer: {
          class_name: wrapped.className,
          config: { ...wrapped.config, name: `${name}_${wrapped.className.toLowerCase()}` },
        },
      },
      inputs,
      name,
    );
  }

  /**
   * Option A's shortcut with standard layers: a 1-pixel pooling with the stride subsamples;
   * channels are zero-padded by moving them to a spatial axis, padding, and moving them back.
   */
  private zeroPadShortcut(r: LayerResult, strides: readonly number[], input: string, name: string): string {
    const rank = strides.length;
    const inChannels = r.inputShapes[0]?.[channelAxis(r.inputShapes[0].length, this.format)] ?? 0;
    const outChannels = r.output?.[channelAxis(r.output.length, this.format)] ?? 0;
    const before = Math.floor(((outChannels as number) - (inChannels as number)) / 2);
    const after = (outChannels as number) - (inChannels as number) - before;
    let x = input;
    if (strides.some((s) => s > 1)) {
      x = this.emit(
        rank === 1 ? 'MaxPooling1D' : 'MaxPooling2D',
        { pool_size: strides.map(() => 1), strides, padding: 'valid', data_format: this.format },
        [x],
        this.helper(`${name}_subsample`),
      );
    }
    if (this.format === 'channels_first' || (rank !== 2 && rank !== 1)) {
      this.problems.add(
        name,
        'an option A shortcut in a channels-first model: Keras cannot zero-pad channels there with standard layers.',
      );
      return x;
    }
    if (rank === 1) {
      x = this.emit('Permute', { dims: [2, 1] }, [x], this.helper(`${name}_to_channels`));
      x = this.emit('ZeroPadding1D', { padding: [before, after] }, [x], this.helper(`${name}_pad`));
      return this.emit('Permute', { dims: [2, 1] }, [x], name);
    }
    x = this.emit('Permute', { dims: [3, 1, 2] }, [x], this.helper(`${name}_to_channels`));
    x = this.emit(
      'ZeroPadding2D',
      {
        padding: [
          [before, after],
          [0, 0],
        ],
        data_format: 'channels_last',
      },
      [x],
      this.helper(`${name}_pad`),
    );
    return this.emit('Permute', { dims: [2, 3, 1] }, [x], name);
  }
}

/** Output length of a transposed convolution with no crop and no output padding. */
function windowlessLength(g: AxisGeometry): number {
  const span = g.dilation * (g.kernel - 1) + 1;
  return ((g.input ?? 1) - 1) * g.stride + span;
}
