import {
  causalPadding,
  dilatedKernel,
  samePadding,
  windowOutputLength,
  type SidePadding,
} from '../shape/conv-arithmetic';
import { error, type Issue } from '../model/diagnostic';
import { axisNames } from '../shape/format';
import type { Dim } from '../shape/shape';
import type { AxisWindow } from '../analysis/receptive-field';
import type { PaddingSpec } from './fields';
import type { AxisGeometry } from './kind';

export interface WindowArgs {
  /** "kernel" or "pooling window", for messages. */
  readonly what: string;
  readonly spatial: readonly Dim[];
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilation: readonly number[];
  readonly padding: PaddingSpec;
  readonly ceilMode?: boolean;
}

export interface Slide {
  readonly output: Dim[];
  readonly geometry: AxisGeometry[];
  readonly windows: AxisWindow[];
  readonly issues: Issue[];
}

/** Padding of axis `i` for this input length; `null` when it depends on an unknown length. */
export function axisPadding(
  spec: PaddingSpec,
  i: number,
  length: Dim,
  kernel: number,
  stride: number,
  dilation: number,
): SidePadding | null {
  if (spec === 'valid') return [0, 0];
  if (spec === 'causal') return causalPadding(kernel, dilation);
  if (spec === 'same') {
    // With stride 1 the total, k_eff − 1, does not depend on the length.
    if (length === null) return stride === 1 ? samePadding(1, kernel, 1, dilation) : null;
    return samePadding(length, kernel, stride, dilation);
  }
  if (typeof spec === 'number') return [spec, spec];
  const entry = spec[i] ?? 0;
  return typeof entry === 'number' ? [entry, entry] : [entry[0], entry[1]];
}

/** Slides a window over every spatial axis: output sizes, geometry, field windows and errors. */
export function slide(args: WindowArgs): Slide {
  const names = axisNames(args.spatial.length);
  const result: Slide = { output: [], geometry: [], windows: [], issues: [] };
  const tooSmallAxes: string[] = [];
  args.spatial.forEach((length, i) => {
    const kernel = args.kernel[i] ?? 1;
    const stride = args.strides[i] ?? 1;
    const dilation = args.dilation[i] ?? 1;
    const padding = axisPadding(args.padding, i, length, kernel, stride, dilation);
    let output: Dim = null;
    if (length !== null && padding !== null) {
      output = windowOutputLength(length, kernel, stride, dilation, padding, args.ceilMode);
      if (output <= 0)
        tooSmallAxes.push(tooSmall(args.what, names[i] ?? `axis ${i}`, length, kernel, dilation, padding, output));
    }
    result.output.push(output);
    result.geometry.push({ input: length, output, kernel, stride, dilation, padding });
    result.windows.push({
      from: i,
      size: dilatedKernel(kernel, dilation),
      jump: stride,
      start: padding === null ? null : -padding[0],
    });
  });
  if (tooSmallAxes.length) {
    result.issues.push(
      error(
        'output-too-small',
        `${tooSmallAxes.join(' ')} Use 'same' padding, a smaller ${args.what}, or fewer downsampling layers before this one.`,
      ),
    );
  }
  return result;
}

/** One axis' part of the message: by how much the window overshoots the input. */
function tooSmall(
  what: string,
  axis: string,
  length: number,
  kernel: number,
  dilation: number,
  padding: SidePadding,
  output: number,
): string {
  const span = dilatedKernel(kernel, dilation);
  const padded = length + padding[0] + padding[1];
  const spanText = dilation > 1 ? `${span} (kernel ${kernel} with dilation ${dilation})` : `${span}`;
  const padText = padding[0] + padding[1] > 0 ? ` (${length} plus ${padding[0] + padding[1]} padding)` : '';
  return `Output ${axis} would be ${output}: the ${what} spans ${spanText} but the input ${axis} is only ${padded}${padText}, ${span - padded} too few.`;
}
