import type { FileWeightSource, KernelAddress, KernelRequest, TrainedKernel } from '../../file-weights';
import type { FileWeight } from './hdf5';

const shapeText = (shape: readonly number[]) => shape.join('×');
const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** What each axis of a Keras kernel counts, by kind (keras/layers/convolutional/*.py, `build`). */
function axisNames(request: KernelRequest): [string, string] {
  switch (request.kind) {
    case 'conv':
    case 'pointwise':
      return ['input channels', 'filters'];
    case 'depthwise':
      return ['input channels', 'depth multiplier'];
    case 'transposed':
      return ['filters', 'input channels'];
  }
}

/**
 * Why a kernel the file holds (`held`) no longer fits the layer as it is now (`now`), in the
 * person's words: "you changed its filters from 32 to 64". A change of input channels comes from
 * a layer before it; a different kernel size or rank is named as the kernel.
 */
export function changeText(held: readonly number[], now: readonly number[], request: KernelRequest): string {
  const taps = (s: readonly number[]) => s.slice(0, -2);
  const changes: string[] = [];
  if (shapeText(taps(held)) !== shapeText(taps(now)))
    changes.push(`you changed its kernel from ${shapeText(taps(held)) || 'none'} to ${shapeText(taps(now)) || 'none'}`);
  const names = axisNames(request);
  for (let i = 0; i < 2; i++) {
    const a = held[held.length - 2 + i];
    const b = now[now.length - 2 + i];
    if (a === b || a === undefined || b === undefined) continue;
    const name = names[i] as string;
    changes.push(
      name === 'input channels'
        ? `its input channels went from ${a} to ${b} (a layer before it changed)`
        : `you changed its ${name} from ${a} to ${b}`,
    );
  }
  return changes.length
    ? changes.join(', and ')
    : `the file holds ${shapeText(held)}, the layer needs ${shapeText(now)}`;
}

/**
 * Reorders a Keras kernel (taps… × in/groups × out, channels last) into the view's order:
 * filter r, channel c of its group, tap t at ((r × depth) + c) × taps + t. Depthwise kernels are
 * taps… × in × multiplier (output channel r = in·multiplier + m, as Keras and PyTorch number
 * them), transposed ones taps… × out × in/groups.
 */
export function gridOrder(keras: ArrayLike<number>, request: KernelRequest): Float32Array {
  const taps = product(request.kernel);
  const { filters, channels, groups } = request;
  const depth = request.kind === 'depthwise' ? 1 : channels / groups;
  const out = new Float32Array(filters * depth * taps);
  const multiplier = filters / channels;
  for (let r = 0; r < filters; r++) {
    for (let c = 0; c < depth; c++) {
      for (let t = 0; t < taps; t++) {
        let at: number;
        if (request.kind === 'depthwise')
          at = (t * channels + Math.floor(r / multiplier)) * multiplier + (r % multiplier);
        else if (request.kind === 'transposed') at = (t * filters + r) * depth + c;
        else at = (t * depth + c) * filters + r;
        out[(r * depth + c) * taps + t] = keras[at] ?? Number.NaN;
      }
    }
  }
  return out;
}

/** The file's tensor for an address: by its name inside a nested model when that is unique, else by position. */
function find(list: readonly FileWeight[], address: KernelAddress): FileWeight | undefined {
  if (address.innerName) {
    const named = list.filter((w) => w.path.endsWith(`/${address.innerName}`));
    if (named.length === 1) return named[0];
  }
  return list[address.index];
}

/** Kernels read so far; a few, since one can be tens of megabytes. */
const KEEP = 6;

/**
 * The kernels of a Keras file, decoded the first time the Weights view asks for each (a file's
 * weights can be most of its 500 MB) and checked against the layer as it is now.
 */
export function kerasKernelSource(
  fileName: string,
  weights: ReadonlyMap<string, readonly FileWeight[]>,
): FileWeightSource {
  const cache = new Map<string, TrainedKernel>();
  const read = (address: KernelAddress, request: KernelRequest): TrainedKernel | null => {
    const list = weights.get(address.layer);
    if (!list?.length) return null;
    const weight = find(list, address);
    const intro = `${address.path}’s weights from ${fileName}`;
    if (!weight)
      return { ok: false, why: `${intro} hold no kernel at position ${address.index + 1}; showing initial values.` };
    if (shapeText(weight.shape) !== shapeText(address.kerasShape))
      return {
        ok: false,
        why: `${intro} no longer fit: ${changeText(weight.shape, address.kerasShape, request)}; showing initial values.`,
      };
    const values = weight.values();
    if (!values || values.length !== product(weight.shape))
      return {
        ok: false,
        why: `${intro} cannot be read: the dataset ${weight.path} is cut off or damaged (${values ? `${values.length} of ${product(weight.shape)} values` : 'no values'}); showing initial values.`,
      };
    let min = Infinity;
    let max = -Infinity;
    let bad = 0;
    for (const v of values) {
      if (!Number.isFinite(v)) bad++;
      else {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (bad)
      return {
        ok: false,
        why: `${intro} cannot be shown: ${weight.path} holds ${bad} values that are not numbers (NaN or infinite); showing initial values.`,
      };
    return { ok: true, values: gridOrder(values, request), min, max };
  };
  return {
    fileName,
    kernel(address, request) {
      const key = JSON.stringify([address, request.kind]);
      const kept = cache.get(key);
      if (kept) return kept;
      const result = read(address, request);
      if (!result) return null;
      cache.set(key, result);
      for (const old of cache.keys()) if (cache.size > KEEP) cache.delete(old);
      return result;
    },
  };
}
