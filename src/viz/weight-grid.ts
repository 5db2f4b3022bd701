import { color, interpolateRdBu, interpolateRgb } from 'd3';
import type { LayerResult } from '../engine/analysis/result';
import type { WeightTensor } from '../engine/model/weights';
import { weightIn, type Notation } from '../engine/notation';
import { formatCount, formatShape } from '../engine/shape/format';

/**
 * One weight tensor of a convolution seen as a grid: a row per filter (output channel), a column
 * per input channel, a k×k kernel slice where filter and channel meet. Grouped and depthwise
 * convolutions fill only the blocks on the diagonal: filter r reads channel c only when both
 * are in the same group.
 */
export interface WeightPart {
  readonly kind: 'conv' | 'depthwise' | 'pointwise' | 'transposed';
  /** Names the part where a layer has two (separable): "Depthwise 3×3". */
  readonly label: string;
  /** Seeds the pseudo-random values: the same layer always looks the same. */
  readonly seed: string;
  readonly filters: number;
  readonly channels: number;
  readonly groups: number;
  /** Taps per spatial axis: [k] or [kH, kW]. */
  readonly kernel: readonly number[];
  /** The engine's tensor (both frameworks' names and shapes). */
  readonly tensor: WeightTensor;
  readonly bias: WeightTensor | null;
  /** Values a model file holds, in `trainedIndex` order, with their range; else initial values are drawn. */
  readonly trained?: TrainedValues;
}

/** A kernel's values from a file: filter r, channel c of its group, tap t at ((r × depth) + c) × taps + t. */
export interface TrainedValues {
  readonly values: Float32Array;
  readonly min: number;
  readonly max: number;
}

/** The part drawn with a file's values instead of initial ones. */
export const withTrained = (p: WeightPart, trained: TrainedValues): WeightPart => ({ ...p, trained });

/** Input channels each filter reads: channels / groups (1 for depthwise). */
export const depthOf = (p: WeightPart): number => p.channels / p.groups;
export const tapsOf = (p: WeightPart): number => p.kernel.reduce((a, b) => a * b, 1);
/** "5×5", or "5" for a 1-D kernel. */
export const kernelText = (kernel: readonly number[]): string => kernel.join('×');
/** Kernel rows and columns as drawn: a 1-D kernel is a 1×k strip. */
export const kernelBox = (kernel: readonly number[]): [number, number] =>
  kernel.length === 1 ? [1, kernel[0] ?? 1] : [kernel[0] ?? 1, kernel[1] ?? 1];

/** Whether filter `r` has a kernel for input channel `c`: both in the same group. */
export function hasKernel(p: WeightPart, r: number, c: number): boolean {
  return Math.floor(r / (p.filters / p.groups)) === Math.floor(c / depthOf(p));
}

type PartKind = WeightPart['kind'];
interface Dims {
  readonly filters: number;
  readonly channels: number;
  readonly groups: number;
  readonly kernel: readonly number[];
}

/**
 * The weight grids of a convolution, read from the engine's tensors (PyTorch order: conv out ×
 * in/groups × k…, transposed in × out/groups × k…, depthwise in·m × 1 × k…); [] for a layer
 * without convolution kernels. A separable convolution has two: depthwise, then pointwise.
 */
export function weightParts(layer: LayerResult, seed = layer.name): WeightPart[] {
  const spec = layer.spec;
  if (!spec) return [];
  const find = (name: string) => layer.weights.find((w) => w.keras.name === name) ?? null;
  const bias = find('bias');
  const make = (kind: PartKind, label: string, tensor: WeightTensor | null, dims: Dims, b = bias) =>
    tensor && dims.filters > 0 && dims.channels > 0
      ? [{ kind, label, seed: `${seed}:${kind}`, tensor, bias: b, ...dims }]
      : [];
  switch (spec.type) {
    case 'Conv1D':
    case 'Conv2D': {
      const t = find('kernel');
      const [out = 0, perGroup = 0, ...kernel] = t?.pytorch.shape ?? [];
      return make('conv', 'Kernel', t, { filters: out, channels: perGroup * spec.groups, groups: spec.groups, kernel });
    }
    case 'Conv1DTranspose':
    case 'Conv2DTranspose': {
      const t = find('kernel');
      const [inC = 0, outPerGroup = 0, ...kernel] = t?.pytorch.shape ?? [];
      const dims = { filters: outPerGroup * spec.groups, channels: inC, groups: spec.groups, kernel };
      return make('transposed', 'Kernel', t, dims);
    }
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      const dw = find('depthwise_kernel');
      const [depth = 0, , ...kernel] = dw?.pytorch.shape ?? [];
      const channels = depth / spec.depthMultiplier;
      const dims = { filters: depth, channels, groups: channels, kernel };
      if (spec.type === 'DepthwiseConv2D') return make('depthwise', 'Depthwise', dw, dims);
      const pw = find('pointwise_kernel');
      const [out = 0, , ...ones] = pw?.pytorch.shape ?? [];
      return [
        ...make('depthwise', `Depthwise ${kernelText(kernel)}`, dw, dims, null),
        ...make('pointwise', 'Pointwise 1×1', pw, { filters: out, channels: depth, groups: 1, kernel: ones }),
      ];
    }
    default:
      return [];
  }
}

/** A convolution the picture can show: the selected layer itself, or one inside a block. */
export interface ConvChoice {
  /** "conv2", or "conv5_block1/conv3" inside a block. */
  readonly path: string;
  readonly layer: LayerResult;
}

/** The convolutions of a layer: itself, or those inside it (blocks, wrappers), in order. */
export function convolutionsIn(layer: LayerResult, prefix = ''): ConvChoice[] {
  const path = prefix + layer.name;
  if (weightParts(layer).length > 0) return [{ path, layer }];
  return (layer.children ?? []).flatMap((c) => convolutionsIn(c, `${path}/`));
}

// ---- Values: deterministic He-normal initial weights ------------------------------------------

/** FNV-1a hash of a string: the seed of a layer's values. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** MurmurHash3's finaliser: a well-mixed 32-bit value from a 32-bit one. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A uniform number in (0, 1) for (seed, index, salt): random access, no stream to replay. */
function uniform(seed: number, index: number, salt: number): number {
  const hi = Math.floor(index / 4294967296);
  return (mix(seed ^ mix((index >>> 0) ^ mix(hi + Math.imul(salt, 0x9e3779b9)))) + 0.5) / 4294967296;
}

/** A standard normal number truncated to ±2 (Box–Muller, redrawn beyond 2 as Keras does). */
export function truncatedNormal(seed: number, index: number): number {
  for (let attempt = 0; ; attempt++) {
    const u = uniform(seed, index, 2 * attempt + 1);
    const v = uniform(seed, index, 2 * attempt + 2);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    if (Math.abs(z) <= 2 || attempt > 16) return Math.max(-2, Math.min(2, z));
  }
}

/** Standard deviation of a standard normal truncated to ±2 (Keras divides by it). */
const TRUNCATED_STD = 0.8796256610342398;

/**
 * He-normal scale (He et al. 2015; Keras `he_normal`): σ = √(2 / fan_in), with fan_in counted as
 * PyTorch's `_calculate_fan_in_and_fan_out` does: weight.size(1) × taps (in/groups for a
 * convolution, 1 for depthwise, out/groups for a transposed one).
 */
export function heStd(p: WeightPart): number {
  const fanIn = (p.tensor.pytorch.shape[1] ?? 1) * tapsOf(p);
  return Math.sqrt(2 / fanIn);
}

/**
 * The ends of the colour scale, ±limit: for initial values the largest magnitude one can take (2σ
 * before Keras' rescaling by 1/0.8796), for a file's the largest magnitude among them, so the
 * scale stays centred on 0 (white) and spans the real values.
 */
export function valueLimit(p: WeightPart): number {
  if (!p.trained) return (2 * heStd(p)) / TRUNCATED_STD;
  return Math.max(Math.abs(p.trained.min), Math.abs(p.trained.max)) || 1;
}

/** Where filter r's tap t for input channel c lies in `trained.values` (c counts all input channels). */
export function trainedIndex(p: WeightPart, r: number, c: number, t: number): number {
  const depth = depthOf(p);
  const inGroup = c - Math.floor(r / (p.filters / p.groups)) * depth;
  return (r * depth + inGroup) * tapsOf(p) + t;
}

/** Tap t (row-major) of filter r's kernel for input channel c; `seed` is seedOf(p.seed). */
export function weightAt(p: WeightPart, seed: number, r: number, c: number, t: number): number {
  if (p.trained) return p.trained.values[trainedIndex(p, r, c, t)] ?? 0;
  return (truncatedNormal(seed, (r * p.channels + c) * tapsOf(p) + t) * heStd(p)) / TRUNCATED_STD;
}

/** The taps of filter r's kernel for input channel c, row-major. */
export function kernelValues(p: WeightPart, r: number, c: number): number[] {
  const seed = seedOf(p.seed);
  return Array.from({ length: tapsOf(p) }, (_, t) => weightAt(p, seed, r, c, t));
}

// ---- What is drawn: the whole grid, or a corner of a huge one ---------------------------------

/** Beyond these the picture shows a corner of the tensor, so the tab never freezes. */
export const BUDGET = { positions: 4096, cells: 250_000, side: 64, taps: 32 } as const;

export interface GridView {
  /** Filters (rows) and channels (columns) drawn, from the first. */
  readonly rows: number;
  readonly cols: number;
  /** Taps drawn per kernel axis (all of them unless a kernel is huge). */
  readonly kernel: readonly number[];
  readonly summarised: boolean;
  readonly kernelsDrawn: number;
  readonly kernelsTotal: number;
}

/** Kernels in the first `rows` filters × `cols` channels: each row holds its group's channels. */
export function kernelsIn(p: WeightPart, rows: number, cols: number): number {
  const perGroup = depthOf(p);
  const filtersPerGroup = p.filters / p.groups;
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const first = Math.floor(r / filtersPerGroup) * perGroup;
    count += Math.max(0, Math.min(first + perGroup, cols) - first);
  }
  return count;
}

/**
 * The part of the tensor to draw: all of it when it has at most BUDGET.positions filter ×
 * channel positions and BUDGET.cells weights, else the first filters × channels (a square of at
 * most BUDGET.side, smaller for big kernels; for block-diagonal tensors as many channels as
 * those filters read).
 */
export function gridView(p: WeightPart): GridView {
  const kernelsTotal = p.filters * depthOf(p);
  const full = p.filters * p.channels <= BUDGET.positions && kernelsTotal * tapsOf(p) <= BUDGET.cells;
  const cropped = p.kernel.some((k) => k > BUDGET.taps);
  if (full && !cropped) {
    return {
      rows: p.filters,
      cols: p.channels,
      kernel: p.kernel,
      summarised: false,
      kernelsDrawn: kernelsTotal,
      kernelsTotal,
    };
  }
  const kernel = p.kernel.map((k) => Math.min(k, BUDGET.taps));
  const taps = kernel.reduce((a, b) => a * b, 1);
  const side = Math.max(1, Math.min(BUDGET.side, Math.floor(Math.sqrt(BUDGET.cells / taps))));
  const rows = Math.min(p.filters, side);
  const reads = p.groups > 1 ? Math.ceil((rows * p.channels) / p.filters) : side;
  const cols = Math.max(1, Math.min(p.channels, side, reads));
  return { rows, cols, kernel, summarised: true, kernelsDrawn: kernelsIn(p, rows, cols), kernelsTotal };
}

/** "Showing 64 of 2048 filters × 64 of 512 channels: the whole tensor has 1,048,576 kernels." */
export function summaryNote(p: WeightPart, v: GridView): string | null {
  if (!v.summarised) return null;
  const crop = v.kernel.some((k, i) => k < (p.kernel[i] ?? k))
    ? `, first ${kernelText(v.kernel)} taps of each ${kernelText(p.kernel)} kernel`
    : '';
  return (
    `Showing ${formatCount(v.rows)} of ${formatCount(p.filters)} filters × ${formatCount(v.cols)} of ` +
    `${formatCount(p.channels)} channels${crop}: the whole tensor has ${formatCount(v.kernelsTotal)} kernels.`
  );
}

export interface GridLayout {
  /** CSS pixels per weight, and between neighbouring kernels. */
  readonly cell: number;
  readonly gap: number;
  readonly pitchX: number;
  readonly pitchY: number;
  readonly width: number;
  readonly height: number;
}

/** Cell size so the drawn columns fit `width` CSS pixels: 1 to 16 px per weight. */
export function gridLayout(v: GridView, width: number): GridLayout {
  const [kh, kw] = kernelBox(v.kernel);
  const fit = (gap: number) => Math.max(1, Math.min(16, Math.floor((width / v.cols - gap) / kw)));
  const gap = fit(2) >= 6 ? 2 : 1;
  const cell = fit(gap);
  const pitchX = kw * cell + gap;
  const pitchY = kh * cell + gap;
  return { cell, gap, pitchX, pitchY, width: v.cols * pitchX - gap, height: v.rows * pitchY - gap };
}

/** The kernel under a point of the grid (CSS pixels from its corner; a gap counts as the kernel before it). */
export function kernelAt(l: GridLayout, v: GridView, x: number, y: number): { r: number; c: number } | null {
  const c = Math.floor(x / l.pitchX);
  const r = Math.floor(y / l.pitchY);
  if (x < 0 || y < 0 || c >= v.cols || r >= v.rows) return null;
  return { r, c };
}

// ---- Words ------------------------------------------------------------------------------------

export interface WeightSentence {
  /** "64 filters, each 32 channels deep and 5×5" */
  readonly headline: string;
  /** "weight 64×32×5×5 (PyTorch) / kernel 5×5×32×64 (Keras)", the active notation first. */
  readonly tensors: string;
  /** "each filter makes one output channel" */
  readonly role: string;
  /** "bias 64: one number per filter", or null. */
  readonly bias: string | null;
  /** Scalars in the kernel and its bias. */
  readonly params: number;
}

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

/** The sentence that ties the grid to the tensor's shape, in both frameworks' order. */
export function weightSentence(p: WeightPart, notation: Notation): WeightSentence {
  const depth = depthOf(p);
  const size = p.kernel.length === 1 ? `${p.kernel[0]} long` : kernelText(p.kernel);
  const multiplier = p.filters / p.channels;
  const each =
    p.kind === 'depthwise'
      ? multiplier === 1
        ? ', one per input channel'
        : `, ${multiplier} per input channel`
      : p.groups > 1
        ? ` in ${p.groups} groups`
        : '';
  const headline = `${plural(p.filters, 'filter')}${each}, each ${plural(depth, 'channel')} deep and ${size}`;
  const named = (n: Notation) => {
    const w = weightIn(p.tensor, n);
    return `${w.name} ${formatShape(w.shape)} (${n === 'pytorch' ? 'PyTorch' : 'Keras'})`;
  };
  const order: Notation[] = notation === 'pytorch' ? ['pytorch', 'keras'] : ['keras', 'pytorch'];
  return {
    headline,
    tensors: order.map(named).join(' / '),
    role: roleOf(p, depth, multiplier),
    bias: p.bias ? `bias ${formatCount(p.bias.count)}: one number per filter` : null,
    params: p.tensor.count + (p.bias?.count ?? 0),
  };
}

function roleOf(p: WeightPart, depth: number, m: number): string {
  const grouped = p.groups > 1 ? ` from the ${formatCount(depth)} input channels of its group` : '';
  switch (p.kind) {
    case 'conv':
      return `each filter makes one output channel${grouped}`;
    case 'pointwise':
      return `each filter mixes all ${formatCount(p.channels)} depthwise outputs into one output channel`;
    case 'transposed':
      return (
        `each filter makes one output channel${grouped}; the tensor is stored input-first ` +
        `(PyTorch in × out/groups × k, Keras k × out × in) because each input value stamps a ` +
        `${kernelText(p.kernel)} pattern onto the output channels`
      );
    case 'depthwise':
      return m === 1
        ? 'each output channel sees only its own input channel, so the kernels sit on the diagonal'
        : `each input channel has ${m} filters of its own (output channels 1–${m} see channel 1, ` +
            `${m + 1}–${2 * m} channel 2, …), so the kernels sit on the block diagonal`;
  }
}

/** "64 filters, each 32 channels deep and 5×5: weight … / kernel … — each filter makes …." */
export function sentenceText(s: WeightSentence): string {
  return `${s.headline}: ${s.tensors} — ${s.role}.${s.bias ? ` Plus ${s.bias}.` : ''}`;
}

const number = (x: number) => (x < 0 ? `−${Math.abs(x).toFixed(3)}` : x.toFixed(3));

/** What one grid position holds: "filter 12, channel 3: 5×5 weights 0.012 −0.101 … / …". */
export function kernelReadout(p: WeightPart, r: number, c: number): string {
  const where = `filter ${r + 1}, channel ${c + 1}`;
  if (!hasKernel(p, r, c)) {
    const depth = depthOf(p);
    const first = Math.floor(r / (p.filters / p.groups)) * depth;
    const reads = depth === 1 ? `channel ${first + 1}` : `channels ${first + 1}–${first + depth}`;
    return `${where}: no kernel; filter ${r + 1} reads only ${reads}`;
  }
  const [, kw] = kernelBox(p.kernel);
  const values = kernelValues(p, r, c).slice(0, 64).map(number);
  const rows: string[] = [];
  for (let i = 0; i < values.length; i += kw) rows.push(values.slice(i, i + kw).join(' '));
  return `${where}: ${kernelText(p.kernel)} weights ${rows.join(' / ')}${tapsOf(p) > 64 ? ' …' : ''}`;
}

// ---- Drawing ----------------------------------------------------------------------------------

/** The diverging scale at t ∈ [0, 1] from the most negative value: blue, white, red. */
export const scaleColour = (t: number): string => interpolateRdBu(1 - t);

let palette: Uint32Array | null = null;

/** 256 steps of the scale as little-endian RGBA words, for ImageData. */
function colours(): Uint32Array {
  if (!palette) {
    palette = new Uint32Array(256);
    for (let i = 0; i < 256; i++) palette[i] = packColour(scaleColour(i / 255));
  }
  return palette;
}

/** A CSS colour as a little-endian RGBA word (opaque black when unreadable). */
export function packColour(css: string): number {
  const rgb = color(css)?.rgb();
  if (!rgb) return 0xff000000;
  const a = Math.round((rgb.opacity ?? 1) * 255);
  return ((a << 24) | (Math.round(rgb.b) << 16) | (Math.round(rgb.g) << 8) | Math.round(rgb.r)) >>> 0;
}

/** Drawing colours from the page's: lines between kernels 60% of the way from the panel to `line`. */
export function drawStyle(line: string, panel: string, scale: number): DrawStyle {
  return { scale, line: packColour(interpolateRgb(panel, line)(0.6)), empty: packColour(panel) };
}

export interface DrawStyle {
  /** Device pixels per CSS pixel (a whole number, so cells stay crisp). */
  readonly scale: number;
  /** Packed colours of the lines between kernels and of positions without a kernel. */
  readonly line: number;
  readonly empty: number;
}

/**
 * Draws the grid into a canvas, pixel by pixel (one ImageData, no path per cell): every weight a
 * square coloured by its value on [−limit, +limit], empty positions in `style.empty`.
 */
export function drawWeightGrid(canvas: HTMLCanvasElement, p: WeightPart, v: GridView, l: GridLayout, style: DrawStyle) {
  const s = style.scale;
  const width = l.width * s;
  const height = l.height * s;
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx || width === 0 || height === 0) return;
  const image = ctx.createImageData(width, height);
  const px = new Uint32Array(image.data.buffer);
  px.fill(style.line);
  const fill = (x: number, y: number, w: number, h: number, colour: number) => {
    for (let row = y; row < y + h; row++) px.fill(colour, row * width + x, row * width + x + w);
  };
  const [kh, kw] = kernelBox(v.kernel);
  const [, fullKw] = kernelBox(p.kernel);
  const cell = l.cell * s;
  const seed = seedOf(p.seed);
  const limit = valueLimit(p);
  const steps = colours();
  for (let r = 0; r < v.rows; r++) {
    for (let c = 0; c < v.cols; c++) {
      const x = c * l.pitchX * s;
      const y = r * l.pitchY * s;
      if (!hasKernel(p, r, c)) {
        fill(x, y, kw * cell, kh * cell, style.empty);
        continue;
      }
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const value = weightAt(p, seed, r, c, i * fullKw + j);
          const step = Math.round(((value + limit) / (2 * limit)) * 255);
          fill(x + j * cell, y + i * cell, cell, cell, steps[Math.max(0, Math.min(255, step))] as number);
        }
      }
    }
  }
  ctx.putImageData(image, 0, 0);
}
