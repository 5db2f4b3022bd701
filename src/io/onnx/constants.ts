import { DataType, toNumber, type AttributeProto, type NodeProto, type TensorProto } from './proto';

/**
 * A constant tensor of the graph: an initializer or a Constant node's value. `values` is read
 * only for small tensors (shapes, pads, scales); a weight's values stay in the file, unread.
 */
export interface Constant {
  readonly dims: readonly number[];
  readonly values: readonly number[] | null;
  /** An integer tensor (its Div truncates); shapes and indices are. */
  readonly integer?: boolean | undefined;
}

/** ONNX's integer element types: (u)int8, (u)int16, int32, int64, uint32, uint64. */
const INTEGER_TYPES: readonly number[] = [2, 3, 4, 5, 6, 7, 12, 13];

/** Tensors with more elements than this are weights: their values are never read. */
const MAX_READ = 4096;

const count = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** Dims of a tensor, and its values when small (int32, int64, float, double; raw or typed). */
export function readTensor(t: TensorProto): Constant {
  const dims = (t.dims ?? []).map(toNumber);
  const n = count(dims);
  const integer = INTEGER_TYPES.includes(t.data_type ?? 0);
  if (n > MAX_READ) return { dims, values: null, integer };
  return { dims, values: tensorValues(t, n), integer };
}

function tensorValues(t: TensorProto, n: number): number[] | null {
  const raw = t.raw_data;
  if (raw && raw.byteLength > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const size = { [DataType.INT64]: 8, [DataType.DOUBLE]: 8, [DataType.INT32]: 4, [DataType.FLOAT]: 4 }[
      t.data_type ?? 0
    ];
    if (!size || raw.byteLength < n * size) return null;
    return Array.from({ length: n }, (_, i) => {
      const at = i * size;
      if (t.data_type === DataType.INT64) return Number(view.getBigInt64(at, true));
      if (t.data_type === DataType.DOUBLE) return view.getFloat64(at, true);
      if (t.data_type === DataType.INT32) return view.getInt32(at, true);
      return view.getFloat32(at, true);
    });
  }
  const typed = t.int64_data?.length ? t.int64_data.map(toNumber) : (t.int32_data ?? t.float_data);
  return typed && typed.length === n ? [...typed] : null;
}

export function attribute(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute?.find((a) => a.name === name);
}

function constantNode(node: NodeProto): Constant | undefined {
  const a = node.attribute?.[0];
  if (!a) return undefined;
  if (a.t) return readTensor(a.t);
  if (a.name === 'value_ints' || a.name === 'value_floats') {
    const values = a.name === 'value_ints' ? (a.ints ?? []).map(toNumber) : [...(a.floats ?? [])];
    return { dims: [values.length], values, integer: a.name === 'value_ints' };
  }
  if (a.name === 'value_int') return { dims: [], values: [toNumber(a.i)], integer: true };
  if (a.name === 'value_float') return { dims: [], values: [a.f ?? 0] };
  return undefined;
}

const ints = (node: NodeProto, name: string) => attribute(node, name)?.ints?.map(toNumber);

/** Row-major strides of `dims`. */
function stridesOf(dims: readonly number[]): number[] {
  const out = dims.map(() => 1);
  for (let i = dims.length - 2; i >= 0; i--) out[i] = (out[i + 1] as number) * (dims[i + 1] as number);
  return out;
}

/** Every index of `dims`, in row-major order. */
function* indices(dims: readonly number[]): Generator<number[]> {
  if (dims.some((d) => d === 0)) return;
  const at = dims.map(() => 0);
  for (;;) {
    yield [...at];
    let axis = dims.length - 1;
    while (axis >= 0 && ++(at[axis] as number) === dims[axis]) at[axis--] = 0;
    if (axis < 0) return;
  }
}

const axisOf = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

function slice(
  x: Constant & { values: number[] },
  starts: number[],
  ends: number[],
  axes?: number[],
  steps?: number[],
) {
  const rank = x.dims.length;
  const begin = x.dims.map(() => 0);
  const step = x.dims.map(() => 1);
  const size = [...x.dims];
  starts.forEach((s, i) => {
    const axis = axisOf(axes?.[i] ?? i, rank);
    const d = x.dims[axis] as number;
    const st = steps?.[i] ?? 1;
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
    const from = st > 0 ? clamp(s, 0, d) : clamp(s, -1, d - 1);
    const to = st > 0 ? clamp(ends[i] as number, 0, d) : clamp(ends[i] as number, -1, d - 1);
    begin[axis] = from;
    step[axis] = st;
    size[axis] = Math.max(0, Math.ceil((to - from) / st));
  });
  const strides = stridesOf(x.dims);
  const values = [...indices(size)].map(
    (idx) =>
      x.values[
        idx.reduce((o, v, a) => o + ((begin[a] as number) + v * (step[a] as number)) * (strides[a] as number), 0)
      ] as number,
  );
  return { dims: size, values };
}

function transpose(x: Constant & { values: number[] }, perm: number[]) {
  const dims = perm.map((p) => x.dims[p] as number);
  const strides = stridesOf(x.dims);
  const values = [...indices(dims)].map(
    (idx) => x.values[idx.reduce((o, v, a) => o + v * (strides[perm[a] as number] as number), 0)] as number,
  );
  return { dims, values };
}

/**
 * Element-wise Add/Sub/Mul/Div of two small constants, one of them a single number or both of
 * one shape (the broadcasts shape arithmetic uses). Integer division truncates, as ONNX's.
 */
function arithmetic(
  op: string,
  x: Constant & { values: number[] },
  y: Constant & { values: number[] },
): Constant | undefined {
  const single = (t: Constant) => t.values?.length === 1;
  const sameDims = x.dims.length === y.dims.length && x.dims.every((d, i) => d === y.dims[i]);
  if (!sameDims && !single(x) && !single(y)) return undefined;
  const integer = !!x.integer && !!y.integer;
  const at = (t: Constant & { values: number[] }, i: number) =>
    (t.values.length === 1 ? t.values[0] : t.values[i]) as number;
  const dims = single(y) && (!single(x) || x.dims.length >= y.dims.length) ? x.dims : y.dims;
  const n = Math.max(x.values.length, y.values.length);
  const values = Array.from({ length: n }, (_, i) => {
    const a = at(x, i);
    const b = at(y, i);
    if (op === 'Add') return a + b;
    if (op === 'Sub') return a - b;
    if (op === 'Mul') return a * b;
    return integer ? Math.trunc(a / b) : a / b;
  });
  if (integer && values.some((v) => !Number.isFinite(v))) return undefined;
  return { dims, values, integer };
}

/**
 * Folds a node whose inputs are all small constants (the shape arithmetic an exporter leaves,
 * such as `F.pad`'s pads built by ConstantOfShape, Concat, Reshape, Slice and Transpose). Returns
 * undefined for any other node: it is then a layer, or a located message.
 */
export function foldConstant(node: NodeProto, inputs: readonly (Constant | undefined)[]): Constant | undefined {
  const out = fold(node, inputs);
  // Slicing, gathering, reshaping or joining keeps the element type of the first input.
  return out && out.integer === undefined ? { ...out, integer: inputs[0]?.integer } : out;
}

function fold(node: NodeProto, inputs: readonly (Constant | undefined)[]): Constant | undefined {
  if (node.op_type === 'Constant') return constantNode(node);
  if (inputs.length === 0 || inputs.some((x) => !x?.values)) return undefined;
  const xs = inputs as (Constant & { values: number[] })[];
  const [x, y] = xs as [Constant & { values: number[] }, (Constant & { values: number[] }) | undefined];
  switch (node.op_type) {
    case 'Identity':
      return x;
    case 'Cast': {
      const to = attribute(node, 'to')?.i;
      const integer = to === undefined ? x.integer : INTEGER_TYPES.includes(toNumber(to));
      return { ...x, values: integer ? x.values.map(Math.trunc) : x.values, integer };
    }
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
      return y ? arithmetic(node.op_type, x, y) : undefined;
    case 'ConstantOfShape': {
      const fill = attribute(node, 'value')?.t;
      const value = fill ? (readTensor(fill).values?.[0] ?? 0) : 0;
      const n = count(x.values);
      const integer = fill ? readTensor(fill).integer : false;
      return n > MAX_READ ? undefined : { dims: x.values, values: new Array<number>(n).fill(value), integer };
    }
    case 'Concat':
      if (xs.some((t) => t.dims.length !== 1)) return undefined;
      return { dims: [xs.reduce((n, t) => n + t.values.length, 0)], values: xs.flatMap((t) => t.values) };
    case 'Reshape': {
      if (!y) return undefined;
      const known = y.values.reduce((p, d, i) => p * (d === -1 ? 1 : d === 0 ? (x.dims[i] ?? 1) : d), 1);
      const dims = y.values.map((d, i) => (d === -1 ? x.values.length / known : d === 0 ? (x.dims[i] ?? 1) : d));
      return { dims, values: x.values };
    }
    case 'Unsqueeze':
    case 'Squeeze': {
      const axes = (y?.values ?? ints(node, 'axes') ?? []).map((a) =>
        axisOf(a, x.dims.length + (node.op_type === 'Unsqueeze' ? 1 : 0)),
      );
      const dims =
        node.op_type === 'Squeeze'
          ? x.dims.filter((d, i) => (axes.length ? !axes.includes(i) : d !== 1))
          : axes.sort((a, b) => a - b).reduce<number[]>((d, a) => [...d.slice(0, a), 1, ...d.slice(a)], [...x.dims]);
      return { dims, values: x.values };
    }
    case 'Transpose':
      return transpose(x, ints(node, 'perm') ?? x.dims.map((_, i) => x.dims.length - 1 - i));
    case 'Slice': {
      const [, s, e, a, st] = xs;
      if (s && e) return slice(x, s.values, e.values, a?.values, st?.values);
      const starts = ints(node, 'starts');
      const ends = ints(node, 'ends');
      return starts && ends ? slice(x, starts, ends, ints(node, 'axes')) : undefined;
    }
    case 'Gather': {
      if (!y || x.dims.length !== 1) return undefined;
      const d = x.values.length;
      return { dims: y.dims, values: y.values.map((i) => x.values[i < 0 ? i + d : i] as number), integer: x.integer };
    }
    default:
      return undefined;
  }
}
